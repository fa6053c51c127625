//! Setup of the connections meetings are sent to: Brokercloud, Silverfin and Zoho sign in with
//! OAuth; Fid-Manager takes its office address, user name, password and partner code; Odoo its
//! address, database and API key. Everything is checked before anything is stored; secrets go
//! to the secrets port only. (AdminPulse is set up as an import connection and receives
//! meetings too.)

use secrecy::SecretString;
use serde::Deserialize;

use super::connections;
use super::create_connection::{CreateConnection, DEFAULT_INTERVAL_MINUTES};
use crate::domain::catalog::{API_KEY, OFFICE_URL};
use crate::domain::catalog_push::{
    BROKERCLOUD, DATABASE, FID_MANAGER, ODOO, PARTNER_CODE, PASSWORD, SERVER_URL, SILVERFIN, USERNAME,
    WORKDRIVE_FOLDER, ZOHO,
};
use crate::domain::connection::{Connection, ConnectionStatus};
use crate::domain::matching_key::MatchingKey;
use crate::domain::meeting::PushSettings;
use crate::domain::oauth::OAuthState;
use crate::domain::office_url;
use crate::domain::settings_input::{self as input, FieldProblem};
use crate::ports::secrets::Credentials;
use crate::{AppError, Deps};

/// The setup fields of the meeting connectors (flattened into the connection form).
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct PushForm {
    /// Fid-Manager: the user Koppel signs in as.
    pub username: Option<String>,
    #[schema(value_type = Option<String>)]
    pub password: Option<SecretString>,
    #[schema(value_type = Option<String>)]
    pub partner_code: Option<SecretString>,
    /// Odoo: the server address and database.
    pub server_url: Option<String>,
    pub database: Option<String>,
    /// Zoho: the WorkDrive folder reports are uploaded to.
    pub workdrive_folder: Option<String>,
    /// Which kinds of item are sent (default: all the provider takes).
    pub push: Option<PushSettings>,
}

impl PushForm {
    pub fn is_empty(&self) -> bool {
        self.username.is_none()
            && self.password.is_none()
            && self.partner_code.is_none()
            && self.server_url.is_none()
            && self.database.is_none()
            && self.workdrive_folder.is_none()
            && self.push.is_none()
    }
}

pub fn handles(provider: &str) -> bool {
    matches!(provider, BROKERCLOUD | FID_MANAGER | ODOO | SILVERFIN | ZOHO)
}

struct Checked {
    creds: Credentials,
    settings: std::collections::BTreeMap<String, String>,
    warnings: Vec<String>,
    oauth: bool,
}

fn secret(
    field: &str,
    label: &str,
    value: Option<&SecretString>,
    creds: &mut Credentials,
    problems: &mut Vec<FieldProblem>,
) {
    match value {
        Some(v) => match input::check_key(field, label, v) {
            Ok(()) => creds.insert(field, v.clone()),
            Err(p) => problems.push(p),
        },
        None => problems.push(FieldProblem::new(field, format!("the {label} is missing"))),
    }
}

fn plain(field: &str, label: &str, value: Option<&str>, problems: &mut Vec<FieldProblem>) -> Option<String> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() && v.len() <= 256 && !v.chars().any(char::is_control) => Some(v.to_string()),
        Some(v) if !v.is_empty() => {
            problems.push(FieldProblem::new(field, format!("the {label} is too long or holds control characters")));
            None
        }
        _ => {
            problems.push(FieldProblem::new(field, format!("the {label} is missing")));
            None
        }
    }
}

fn address(field: &str, raw: Option<&str>, out: &mut Checked, problems: &mut Vec<FieldProblem>) {
    match office_url::check(raw.unwrap_or_default()) {
        // The password or API key goes with every call: plain HTTP only to this machine (tests, demos).
        Ok((url, Some(_))) if !is_loopback(&url) => problems.push(FieldProblem::new(
            field,
            format!("{url:?} is not HTTPS; the credentials would travel unencrypted: use the https:// address"),
        )),
        Ok((url, warning)) => {
            out.settings.insert(field.into(), url);
            out.warnings.extend(warning);
        }
        Err(p) => problems.push(FieldProblem::new(field, p.message.replace("office API address", "address"))),
    }
}

fn is_loopback(url: &str) -> bool {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| matches!(h, "127.0.0.1" | "localhost" | "[::1]")))
        .unwrap_or(false)
}

fn check(provider: &str, form: &CreateConnection, problems: &mut Vec<FieldProblem>) -> Checked {
    let p = &form.push;
    let mut out = Checked { creds: Credentials::new(), settings: Default::default(), warnings: vec![], oauth: false };
    match provider {
        FID_MANAGER => {
            address(OFFICE_URL, form.office_url.as_deref(), &mut out, problems);
            if let Some(u) = plain(USERNAME, "user name", p.username.as_deref(), problems) {
                out.settings.insert(USERNAME.into(), u);
            }
            secret(PASSWORD, "password", p.password.as_ref(), &mut out.creds, problems);
            secret(PARTNER_CODE, "partner code", p.partner_code.as_ref(), &mut out.creds, problems);
        }
        ODOO => {
            address(SERVER_URL, p.server_url.as_deref(), &mut out, problems);
            if let Some(db) = plain(DATABASE, "database", p.database.as_deref(), problems) {
                out.settings.insert(DATABASE.into(), db);
            }
            secret(API_KEY, "API key", form.api_key.as_ref(), &mut out.creds, problems);
        }
        BROKERCLOUD | SILVERFIN | ZOHO => {
            out.oauth = true;
            if let Some(folder) = p.workdrive_folder.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
                if provider != ZOHO {
                    problems.push(FieldProblem::new(WORKDRIVE_FOLDER, "only Zoho connections have a WorkDrive folder"));
                } else if folder.len() > 128
                    || !folder.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    problems.push(FieldProblem::new(
                        WORKDRIVE_FOLDER,
                        "the WorkDrive folder id is letters and digits, as in the folder's link",
                    ));
                } else {
                    out.settings.insert(WORKDRIVE_FOLDER.into(), folder.into());
                }
            }
            if form.api_key.is_some() {
                problems.push(FieldProblem::new(API_KEY, "this connector signs in with OAuth; leave api_key out"));
            }
        }
        _ => {}
    }
    if provider != FID_MANAGER && (p.username.is_some() || p.password.is_some() || p.partner_code.is_some()) {
        problems.push(FieldProblem::new(USERNAME, "user name, password and partner code are Fid-Manager fields"));
    }
    out
}

pub async fn create(deps: &Deps, tenant: &str, form: CreateConnection) -> Result<Connection, AppError> {
    let now = deps.clock.now();
    let provider = form.provider.trim().to_string();
    let mut problems = Vec::new();
    if !form.newsletter.is_empty() || form.subscription_key.is_some() || form.connection_key.is_some() {
        problems.push(FieldProblem::new("provider", "those fields belong to other connectors; leave them out"));
    }
    let name = input::check_name(&form.name).map_err(|p| problems.push(p)).ok();
    let checked = check(&provider, &form, &mut problems);
    let (Some(name), true) = (name, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let id = deps.ids.new_id();
    deps.secrets.put(&connections::secret_name(deps, tenant, &id), checked.creds.to_secret_json()).await?;
    let mut conn = Connection {
        id,
        tenant_id: tenant.into(),
        provider,
        name,
        // Meeting connections match nothing; the key and date only fill the shared shape.
        matching_key: MatchingKey::Name,
        start_date: now.date_naive(),
        link_only: true,
        interval_minutes: form.interval_minutes.unwrap_or(DEFAULT_INTERVAL_MINUTES),
        status: ConnectionStatus::Draft,
        last_test: None,
        credential_fields: checked.creds.names().map(str::to_string).collect(),
        created_at: now,
        updated_at: now,
        newsletter: None,
        warnings: checked.warnings,
        settings: checked.settings,
        push: form.push.push,
        link: None,
        oauth: checked.oauth.then(|| OAuthState::awaiting(now)),
        version: 0,
    };
    connections::save(deps.store.as_ref(), &mut conn).await?;
    Ok(conn)
}
