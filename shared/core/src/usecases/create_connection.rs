//! Setup: check what the user typed, keep the keys in the secrets port, save the connection.

use secrecy::SecretString;
use serde::Deserialize;

use super::connections;
use crate::domain::catalog::{self, CONNECTION_KEY, SUBSCRIPTION_KEY};
use crate::domain::connection::{Connection, ConnectionStatus};
use crate::domain::settings_input::{self as input, FieldProblem};
use crate::newsletter::form::NewsletterForm;
use crate::ports::secrets::Credentials;
use crate::{AppError, Deps};

pub const DEFAULT_INTERVAL_MINUTES: u32 = 60;

/// The setup form. Keys are write-only: they are never returned.
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct CreateConnection {
    pub provider: String,
    pub name: String,
    #[schema(value_type = String)]
    pub subscription_key: Option<SecretString>,
    #[schema(value_type = String)]
    pub connection_key: Option<SecretString>,
    /// SnelStart: `customer_number`, `vat_number`, `email` or `name`.
    #[serde(default)]
    pub matching_key: String,
    /// SnelStart: `28-05-2019` or `2019-05-28`.
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub link_only: bool,
    pub interval_minutes: Option<u32>,
    /// AdminPulse (with `auth_mode` `api_key`) and Admin IS / Consult.
    #[schema(value_type = Option<String>)]
    pub api_key: Option<SecretString>,
    /// Admin IS / Consult: the office's API address.
    pub office_url: Option<String>,
    /// AdminPulse: `oauth` (default) or `api_key`.
    pub auth_mode: Option<String>,
    /// Flexmail settings.
    #[serde(flatten)]
    pub newsletter: NewsletterForm,
    /// SuperOffice (ERP link): the SuperOffice tenant's context id, e.g. `Cust12345`.
    pub context_id: Option<String>,
    /// Meeting connectors' settings (Fid-Manager, Odoo, Zoho; which kinds are sent).
    #[serde(flatten)]
    pub push: super::push_setup::PushForm,
}

pub fn check_keys(
    sub: Option<&SecretString>,
    conn_key: Option<&SecretString>,
    problems: &mut Vec<FieldProblem>,
) -> Credentials {
    let mut creds = Credentials::new();
    for (field, label, value) in
        [(SUBSCRIPTION_KEY, "subscription key", sub), (CONNECTION_KEY, "connection key", conn_key)]
    {
        match value {
            None => problems.push(FieldProblem::new(field, format!("the {label} is missing"))),
            Some(v) => match input::check_key(field, label, v) {
                Ok(()) => creds.insert(field, v.clone()),
                Err(p) => problems.push(p),
            },
        }
    }
    creds
}

pub async fn create(deps: &Deps, tenant: &str, form: CreateConnection) -> Result<Connection, AppError> {
    let now = deps.clock.now();
    let mut problems = Vec::new();
    if catalog::find(form.provider.trim()).is_none() {
        problems.push(FieldProblem::new(
            "provider",
            format!("{:?} is not a connector Koppel offers; see GET /connectors", form.provider),
        ));
    }
    if form.provider.trim() == catalog::FLEXMAIL {
        return crate::newsletter::setup::create(deps, tenant, form).await;
    }
    if form.provider.trim() == catalog::SUPEROFFICE {
        return crate::erp::setup::create(deps, tenant, form).await;
    }
    if super::push_setup::handles(form.provider.trim()) {
        return super::push_setup::create(deps, tenant, form).await;
    }
    let takes_push = form.provider.trim() == catalog::ADMINPULSE
        && form.push.username.is_none()
        && form.push.password.is_none()
        && form.push.partner_code.is_none()
        && form.push.server_url.is_none()
        && form.push.database.is_none()
        && form.push.workdrive_folder.is_none();
    if !form.push.is_empty() && !takes_push {
        return Err(AppError::invalid(
            "push",
            "these are settings of meeting connectors; leave them out for this connector",
        ));
    }
    if super::import_setup::handles(form.provider.trim()) {
        return super::import_setup::create(deps, tenant, form).await;
    }
    if form.api_key.is_some() || form.office_url.is_some() || form.auth_mode.is_some() {
        problems.push(FieldProblem::new("api_key", "api_key, office_url and auth_mode do not apply to this connector"));
    }
    let name = input::check_name(&form.name).map_err(|p| problems.push(p)).ok();
    let creds = check_keys(form.subscription_key.as_ref(), form.connection_key.as_ref(), &mut problems);
    let matching_key = input::parse_matching_key(&form.matching_key).map_err(|p| problems.push(p)).ok();
    let start_date = input::parse_start_date(&form.start_date, now.date_naive()).map_err(|p| problems.push(p)).ok();
    let interval = input::check_interval(form.interval_minutes.unwrap_or(DEFAULT_INTERVAL_MINUTES))
        .map_err(|p| problems.push(p))
        .ok();
    let (Some(name), Some(matching_key), Some(start_date), Some(interval_minutes), true) =
        (name, matching_key, start_date, interval, problems.is_empty())
    else {
        return Err(AppError::Invalid(problems));
    };
    let id = deps.ids.new_id();
    deps.secrets.put(&connections::secret_name(deps, tenant, &id), creds.to_secret_json()).await?;
    let mut conn = Connection {
        id,
        tenant_id: tenant.into(),
        provider: form.provider.trim().into(),
        name,
        matching_key,
        start_date,
        link_only: form.link_only,
        interval_minutes,
        status: ConnectionStatus::Draft,
        last_test: None,
        credential_fields: creds.names().map(str::to_string).collect(),
        created_at: now,
        updated_at: now,
        newsletter: None,
        warnings: Vec::new(),
        settings: Default::default(),
        push: None,
        link: None,
        oauth: None,
        version: 0,
    };
    connections::save(deps.store.as_ref(), &mut conn).await?;
    Ok(conn)
}
