//! Setup of the customer-import connections: AdminPulse (OAuth, or a user-made API key) and
//! Admin IS / Consult (API key + the office's address). Everything is checked before anything
//! is stored; keys go to the secrets port only.

use chrono::{DateTime, Utc};
use secrecy::SecretString;

use super::connections;
use super::create_connection::{CreateConnection, DEFAULT_INTERVAL_MINUTES};
use crate::domain::catalog::{ADMIN_IS, ADMINPULSE, API_KEY, AUTH_MODE, OFFICE_URL};
use crate::domain::connection::{Connection, ConnectionStatus};
use crate::domain::oauth::OAuthState;
use crate::domain::office_url;
use crate::domain::settings_input::{self as input, FieldProblem};
use crate::ports::secrets::Credentials;
use crate::{AppError, Deps};

pub const AUTH_OAUTH: &str = "oauth";
pub const AUTH_API_KEY: &str = "api_key";

/// Whether this provider is set up here.
pub fn handles(provider: &str) -> bool {
    matches!(provider, ADMINPULSE | ADMIN_IS)
}

/// What the provider-specific fields come to: secrets, settings, warnings, OAuth or not.
pub struct Checked {
    pub creds: Credentials,
    pub settings: std::collections::BTreeMap<String, String>,
    pub warnings: Vec<String>,
    pub oauth: bool,
}

/// Check the provider-specific fields (`api_key`, `office_url`, `auth_mode`).
pub fn check_fields(
    provider: &str,
    auth_mode: Option<&str>,
    api_key: Option<&SecretString>,
    office: Option<&str>,
    problems: &mut Vec<FieldProblem>,
) -> Checked {
    let mut out = Checked { creds: Credentials::new(), settings: Default::default(), warnings: vec![], oauth: false };
    let key = |required: bool, problems: &mut Vec<FieldProblem>, creds: &mut Credentials| match api_key {
        Some(k) => match input::check_key(API_KEY, "API key", k) {
            Ok(()) => creds.insert(API_KEY, k.clone()),
            Err(p) => problems.push(p),
        },
        None if required => problems.push(FieldProblem::new(API_KEY, "the API key is missing")),
        None => {}
    };
    match provider {
        ADMINPULSE => {
            let mode = auth_mode.map(str::trim).filter(|m| !m.is_empty()).unwrap_or(AUTH_OAUTH);
            match mode {
                AUTH_OAUTH if api_key.is_some() => problems.push(FieldProblem::new(
                    API_KEY,
                    "an API key is only used with auth_mode \"api_key\"; leave it out to sign in with AdminPulse, or set auth_mode to \"api_key\"",
                )),
                AUTH_OAUTH => out.oauth = true,
                AUTH_API_KEY => key(true, problems, &mut out.creds),
                other => problems.push(FieldProblem::new(
                    AUTH_MODE,
                    format!("{other:?} is not a sign-in Koppel knows; use \"oauth\" or \"api_key\""),
                )),
            }
            out.settings.insert(AUTH_MODE.into(), mode.into());
        }
        ADMIN_IS => {
            key(true, problems, &mut out.creds);
            match office_url::check(office.unwrap_or_default()) {
                Ok((url, warning)) => {
                    out.settings.insert(OFFICE_URL.into(), url);
                    out.warnings.extend(warning);
                }
                Err(p) => problems.push(p),
            }
        }
        _ => {}
    }
    out
}

pub async fn create(deps: &Deps, tenant: &str, form: CreateConnection) -> Result<Connection, AppError> {
    let now = deps.clock.now();
    let provider = form.provider.trim().to_string();
    let mut problems = Vec::new();
    if !form.newsletter.is_empty() {
        problems.push(FieldProblem::new("provider", "these are Flexmail settings; leave them out for this connector"));
    }
    if form.subscription_key.is_some() || form.connection_key.is_some() {
        problems.push(FieldProblem::new("subscription_key", "SnelStart keys do not apply here; use api_key"));
    }
    let name = input::check_name(&form.name).map_err(|p| problems.push(p)).ok();
    let matching_key = input::parse_matching_key(&form.matching_key).map_err(|p| problems.push(p)).ok();
    let interval = input::check_interval(form.interval_minutes.unwrap_or(DEFAULT_INTERVAL_MINUTES))
        .map_err(|p| problems.push(p))
        .ok();
    let checked = check_fields(
        &provider,
        form.auth_mode.as_deref(),
        form.api_key.as_ref(),
        form.office_url.as_deref(),
        &mut problems,
    );
    let (Some(name), Some(matching_key), Some(interval_minutes), true) =
        (name, matching_key, interval, problems.is_empty())
    else {
        return Err(AppError::Invalid(problems));
    };
    let id = deps.ids.new_id();
    deps.secrets.put(&connections::secret_name(deps, tenant, &id), checked.creds.to_secret_json()).await?;
    let mut conn = Connection {
        id,
        tenant_id: tenant.into(),
        provider,
        name,
        matching_key,
        // Imports read everything the provider has; the date only dates the connection.
        start_date: now.date_naive(),
        link_only: form.link_only,
        interval_minutes,
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

/// A new API key or office address: checked, stored, and (like new SnelStart keys) the last
/// test is cleared and an active connection deactivated until it is tested again.
pub async fn apply_update(
    deps: &Deps,
    conn: &mut Connection,
    api_key: Option<&SecretString>,
    office: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if api_key.is_none() && office.is_none() {
        return Ok(false);
    }
    let mut problems = Vec::new();
    let mode = conn.settings.get(AUTH_MODE).cloned();
    if conn.provider == ADMINPULSE && mode.as_deref() != Some(AUTH_API_KEY) {
        return Err(AppError::invalid(API_KEY, "this AdminPulse connection signs in with OAuth; reconnect it instead"));
    }
    let mut current = connections::credentials_raw(deps, conn).await?;
    let office = office.or(conn.settings.get(OFFICE_URL).map(String::as_str)).map(str::to_string);
    let key = api_key.or(current.get(API_KEY));
    let checked = check_fields(&conn.provider, mode.as_deref(), key, office.as_deref(), &mut problems);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    if let Some(k) = checked.creds.get(API_KEY) {
        current.insert(API_KEY, k.clone());
    }
    deps.secrets.put(&connections::secret_name(deps, &conn.tenant_id, &conn.id), current.to_secret_json()).await?;
    conn.settings.extend(checked.settings);
    conn.warnings = checked.warnings;
    conn.credential_fields = current.names().map(str::to_string).collect();
    conn.updated_at = now;
    Ok(true)
}
