//! Changing a connection's settings or keys.
//!
//! New keys clear the last test and deactivate the connection (its schedule goes): the
//! user tests again and re-activates. A new start date makes the next run start over.
//! A new interval on an active connection updates its schedule.

use secrecy::SecretString;
use serde::Deserialize;

use super::create_connection::check_keys;
use super::{activation, connections};
use crate::domain::connection::{Connection, ConnectionStatus};
use crate::domain::settings_input as input;
use crate::ports::Schedule;
use crate::ports::secrets::Credentials;
use crate::sync::cursor;
use crate::{AppError, Deps};

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct UpdateConnection {
    pub name: Option<String>,
    pub matching_key: Option<String>,
    pub start_date: Option<String>,
    pub link_only: Option<bool>,
    pub interval_minutes: Option<u32>,
    /// Give both keys to replace them.
    #[schema(value_type = Option<String>)]
    pub subscription_key: Option<SecretString>,
    #[schema(value_type = Option<String>)]
    pub connection_key: Option<SecretString>,
    /// AdminPulse (API-key sign-in) and Admin IS / Consult: a new API key.
    #[schema(value_type = Option<String>)]
    pub api_key: Option<SecretString>,
    /// Admin IS / Consult: a new office address.
    pub office_url: Option<String>,
    /// Flexmail settings.
    #[serde(flatten)]
    pub newsletter: crate::newsletter::form::NewsletterForm,
}

pub async fn update(deps: &Deps, tenant: &str, id: &str, form: UpdateConnection) -> Result<Connection, AppError> {
    let store = deps.store.as_ref();
    let mut conn = connections::load(store, tenant, id).await?;
    if conn.newsletter.is_some() {
        return crate::newsletter::setup::update(deps, conn, form).await;
    }
    if !form.newsletter.is_empty() {
        return Err(AppError::invalid(
            "provider",
            "these are Flexmail settings; this connection is not a Flexmail one",
        ));
    }
    let now = deps.clock.now();
    let mut problems = Vec::new();
    let name = form.name.as_deref().map(input::check_name).transpose().map_err(|p| problems.push(p)).ok().flatten();
    let key = form
        .matching_key
        .as_deref()
        .map(input::parse_matching_key)
        .transpose()
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    let start = form
        .start_date
        .as_deref()
        .map(|s| input::parse_start_date(s, now.date_naive()))
        .transpose()
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    let interval =
        form.interval_minutes.map(input::check_interval).transpose().map_err(|p| problems.push(p)).ok().flatten();
    let new_keys: Option<Credentials> = match (&form.subscription_key, &form.connection_key) {
        (None, None) => None,
        (s, c) => Some(check_keys(s.as_ref(), c.as_ref(), &mut problems)),
    };
    let import = super::import_setup::handles(&conn.provider);
    if import && new_keys.is_some() {
        problems.push(input::FieldProblem::new("subscription_key", "SnelStart keys do not apply here; use api_key"));
    }
    if !import && (form.api_key.is_some() || form.office_url.is_some()) {
        problems.push(input::FieldProblem::new("api_key", "api_key and office_url do not apply to this connector"));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let changed_access = import
        && super::import_setup::apply_update(deps, &mut conn, form.api_key.as_ref(), form.office_url.as_deref(), now)
            .await?;
    if changed_access {
        conn.last_test = None;
        if conn.status == ConnectionStatus::Active {
            activation::remove_schedule(deps, &conn).await?;
            conn.status = ConnectionStatus::Inactive;
        }
    }
    if let Some(creds) = new_keys {
        deps.secrets.put(&connections::secret_name(deps, tenant, id), creds.to_secret_json()).await?;
        conn.last_test = None;
        if conn.status == ConnectionStatus::Active {
            activation::remove_schedule(deps, &conn).await?;
            conn.status = ConnectionStatus::Inactive;
        }
    }
    if let Some(start) = start.filter(|s| *s != conn.start_date) {
        cursor::reset_all(store, tenant, id).await?;
        conn.start_date = start;
    }
    if let Some(minutes) = interval.filter(|m| *m != conn.interval_minutes) {
        conn.interval_minutes = minutes;
        if conn.status == ConnectionStatus::Active {
            deps.scheduler.upsert(&Schedule::for_connection(tenant, id, minutes)).await?;
        }
    }
    conn.name = name.unwrap_or(conn.name);
    conn.matching_key = key.unwrap_or(conn.matching_key);
    conn.link_only = form.link_only.unwrap_or(conn.link_only);
    conn.updated_at = now;
    connections::save(store, &mut conn).await?;
    Ok(conn)
}
