//! Setting up and changing a newsletter connection (Flexmail). The token and Koppel's own
//! webhook secret live in the secrets port; the rest is on the connection.

use secrecy::SecretString;
use sha2::{Digest, Sha256};

use super::form;
use super::webhooks;
use crate::domain::catalog::{ACCESS_TOKEN, FLEXMAIL, WEBHOOK_TOKEN};
use crate::domain::connection::{Connection, ConnectionStatus};
use crate::domain::matching_key::MatchingKey;
use crate::domain::settings_input as input;
use crate::ports::Schedule;
use crate::ports::secrets::Credentials;
use crate::usecases::create_connection::{CreateConnection, DEFAULT_INTERVAL_MINUTES};
use crate::usecases::update_connection::UpdateConnection;
use crate::usecases::{activation, connections};
use crate::{AppError, Deps};

/// A fresh random secret for webhook requests (two ULIDs' randomness, hashed).
fn new_webhook_token(deps: &Deps) -> SecretString {
    let seed =
        format!("{}{}{}", deps.ids.new_id(), deps.ids.new_id(), deps.clock.now().timestamp_nanos_opt().unwrap_or(0));
    SecretString::from(hex::encode(Sha256::digest(seed.as_bytes())))
}

pub async fn create(deps: &Deps, tenant: &str, form: CreateConnection) -> Result<Connection, AppError> {
    let now = deps.clock.now();
    let mut problems = Vec::new();
    let name = input::check_name(&form.name).map_err(|p| problems.push(p)).ok();
    form::check_token(form.newsletter.personal_access_token.as_ref(), &mut problems);
    let settings = form::apply(&form.newsletter, None, &mut problems);
    let interval = input::check_interval(form.interval_minutes.unwrap_or(DEFAULT_INTERVAL_MINUTES))
        .map_err(|p| problems.push(p))
        .ok();
    let (Some(name), Some(settings), Some(interval_minutes), Some(token), true) =
        (name, settings, interval, form.newsletter.personal_access_token, problems.is_empty())
    else {
        return Err(AppError::Invalid(problems));
    };
    let id = deps.ids.new_id();
    let mut creds = Credentials::new();
    creds.insert(ACCESS_TOKEN, token);
    creds.insert(WEBHOOK_TOKEN, new_webhook_token(deps));
    deps.secrets.put(&connections::secret_name(deps, tenant, &id), creds.to_secret_json()).await?;
    let warnings = settings.interval_warning(interval_minutes).into_iter().collect();
    let mut conn = Connection {
        id,
        tenant_id: tenant.into(),
        provider: FLEXMAIL.into(),
        name,
        matching_key: MatchingKey::Email,
        start_date: now.date_naive(),
        link_only: !settings.opt_in,
        interval_minutes,
        status: ConnectionStatus::Draft,
        last_test: None,
        credential_fields: vec![ACCESS_TOKEN.into()],
        created_at: now,
        updated_at: now,
        newsletter: Some(settings),
        warnings,
        settings: Default::default(),
        push: None,
        link: None,
        oauth: None,
        version: 0,
    };
    connections::save(deps.store.as_ref(), &mut conn).await?;
    Ok(conn)
}

pub async fn update(deps: &Deps, mut conn: Connection, form: UpdateConnection) -> Result<Connection, AppError> {
    let store = deps.store.as_ref();
    let mut problems = Vec::new();
    for (field, given) in [
        ("matching_key", form.matching_key.is_some()),
        ("start_date", form.start_date.is_some()),
        ("subscription_key", form.subscription_key.is_some()),
        ("connection_key", form.connection_key.is_some()),
    ] {
        if given {
            problems.push(input::FieldProblem::new(field, "a Flexmail connection has no such setting"));
        }
    }
    let name = form.name.as_deref().map(input::check_name).transpose().map_err(|p| problems.push(p)).ok().flatten();
    let interval =
        form.interval_minutes.map(input::check_interval).transpose().map_err(|p| problems.push(p)).ok().flatten();
    if form.newsletter.personal_access_token.is_some() {
        form::check_token(form.newsletter.personal_access_token.as_ref(), &mut problems);
    }
    let before = conn.newsletter.clone().ok_or_else(|| AppError::Corrupt("newsletter settings missing".into()))?;
    let after = form::apply(&form.newsletter, Some(&before), &mut problems);
    let Some(mut after) = after.filter(|_| problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let secret_name = connections::secret_name(deps, &conn.tenant_id, &conn.id);
    if let Some(token) = form.newsletter.personal_access_token.clone() {
        let mut creds = Credentials::from_secret_json(&deps.secrets.get(&secret_name).await?)?;
        creds.insert(ACCESS_TOKEN, token);
        deps.secrets.put(&secret_name, creds.to_secret_json()).await?;
    }
    if form::needs_new_test(&form.newsletter, &before, &after) {
        conn.last_test = None;
        if conn.status == ConnectionStatus::Active {
            activation::remove_schedule(deps, &conn).await?;
            webhooks::remove(deps, &mut conn).await;
            after.webhook = conn.newsletter.as_ref().and_then(|s| s.webhook.clone());
            conn.status = ConnectionStatus::Inactive;
        }
    }
    if let Some(minutes) = interval.filter(|m| *m != conn.interval_minutes) {
        conn.interval_minutes = minutes;
        if conn.status == ConnectionStatus::Active {
            deps.scheduler.upsert(&Schedule::for_connection(&conn.tenant_id, &conn.id, minutes)).await?;
        }
    }
    conn.warnings = after.interval_warning(conn.interval_minutes).into_iter().collect();
    conn.link_only = !after.opt_in;
    conn.newsletter = Some(after);
    conn.name = name.unwrap_or(conn.name);
    conn.updated_at = deps.clock.now();
    connections::save(store, &mut conn).await?;
    Ok(conn)
}
