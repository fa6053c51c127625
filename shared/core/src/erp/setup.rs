//! Setting up a `superoffice` connection in Koppel: the SuperOffice tenant's context id in,
//! Koppel's connector address and access key out.
//!
//! Creating one generates an unguessable route id and an access key. The key goes to the secrets
//! port only and is shown once: in the create answer's `settings.access_key` (the stored
//! connection never has it; a lost key means creating the connection again). The connection
//! shows `settings.connector_url` = `{public_url}/superoffice-erp/{route}`; the route item
//! (`route::RouteItem`) names the tenant and connection. The test is ok while the route exists and
//! tells whether SuperOffice signed in and how many ERP connections it saved; deleting the
//! connection removes the route and the saved ERP connections.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

use super::config::ACCESS_KEY_FIELD;
use super::route::{self, RouteItem};
use super::saved;
use crate::domain::catalog::SUPEROFFICE;
use crate::domain::connection::{Connection, ConnectionStatus, TestResult};
use crate::domain::matching_key::MatchingKey;
use crate::domain::settings_input::{self as input, FieldProblem};
use crate::ports::secrets::Credentials;
use crate::usecases::connections;
use crate::usecases::create_connection::{CreateConnection, DEFAULT_INTERVAL_MINUTES};
use crate::{AppError, Deps};

/// Settings on the connection (non-secret).
pub use crate::domain::catalog::CONTEXT_ID;
pub const CONNECTOR_URL: &str = "connector_url";
pub const ROUTE: &str = "erp_route";
/// Only in the create answer: the access key, shown once.
pub const ACCESS_KEY_ONCE: &str = "access_key";
/// Random bytes of an access key (256 bits, 43 base64url characters).
pub const ACCESS_KEY_BYTES: usize = 32;

pub fn connector_url(deps: &Deps, route: &str) -> String {
    format!("{}/superoffice-erp/{route}", deps.public_url.trim_end_matches('/'))
}

/// SuperOffice context ids look like `Cust12345` (letters, digits, `_`, `-`; at most 64).
fn check_context_id(raw: Option<&str>) -> Result<String, FieldProblem> {
    let t = raw.map(str::trim).unwrap_or_default();
    if t.is_empty() {
        return Err(FieldProblem::new(
            CONTEXT_ID,
            "the SuperOffice tenant's context id is missing (e.g. Cust12345: the part after the server name in \
             SuperOffice's address)",
        ));
    }
    if t.len() > 64 || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return Err(FieldProblem::new(CONTEXT_ID, "a context id has only letters, digits, _ and - (e.g. Cust12345)"));
    }
    Ok(t.to_string())
}

fn new_access_key() -> SecretString {
    let mut bytes = [0u8; ACCESS_KEY_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    SecretString::from(URL_SAFE_NO_PAD.encode(bytes))
}

pub async fn create(deps: &Deps, tenant: &str, form: CreateConnection) -> Result<Connection, AppError> {
    let now = deps.clock.now();
    let mut problems = Vec::new();
    let name = input::check_name(&form.name).map_err(|p| problems.push(p)).ok();
    let context_id = check_context_id(form.context_id.as_deref()).map_err(|p| problems.push(p)).ok();
    let foreign = form.subscription_key.is_some()
        || form.connection_key.is_some()
        || form.api_key.is_some()
        || form.office_url.is_some()
        || form.auth_mode.is_some()
        || !form.newsletter.is_empty()
        || !form.push.is_empty();
    if foreign {
        problems.push(FieldProblem::new(
            "provider",
            "a SuperOffice connection takes only name and context_id; Koppel makes its own access key",
        ));
    }
    let (Some(name), Some(context_id), true) = (name, context_id, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let id = deps.ids.new_id();
    let route_id = route::new_route_id();
    let key = new_access_key();
    let secret = Credentials::new().with(ACCESS_KEY_FIELD, key.clone());
    deps.secrets.put(&connections::secret_name(deps, tenant, &id), secret.to_secret_json()).await?;
    let item = RouteItem {
        tenant: tenant.into(),
        connection: id.clone(),
        context_id: context_id.clone(),
        handshake_until: None,
        handshake_at: None,
    };
    route::create(deps.store.as_ref(), &route_id, &item).await?;
    let settings = [
        (CONTEXT_ID.to_string(), context_id),
        (CONNECTOR_URL.to_string(), connector_url(deps, &route_id)),
        (ROUTE.to_string(), route_id),
    ];
    let mut conn = Connection {
        id,
        tenant_id: tenant.into(),
        provider: SUPEROFFICE.into(),
        name,
        matching_key: MatchingKey::CustomerNumber,
        start_date: now.date_naive(),
        link_only: true,
        interval_minutes: DEFAULT_INTERVAL_MINUTES,
        status: ConnectionStatus::Draft,
        last_test: None,
        credential_fields: vec![ACCESS_KEY_FIELD.into()],
        created_at: now,
        updated_at: now,
        newsletter: None,
        warnings: Vec::new(),
        settings: settings.into_iter().collect(),
        push: None,
        link: None,
        oauth: None,
        version: 0,
    };
    connections::save(deps.store.as_ref(), &mut conn).await?;
    // Shown once: the answer carries the key, the stored connection does not.
    let mut shown = conn;
    shown.settings.insert(ACCESS_KEY_ONCE.into(), key.expose_secret().to_string());
    Ok(shown)
}

/// The test of a superoffice connection: its route exists. Says whether SuperOffice signed in
/// and how many ERP connections it saved.
pub async fn test(deps: &Deps, mut conn: Connection) -> Result<TestResult, AppError> {
    let store = deps.store.as_ref();
    let now = deps.clock.now();
    let route_id = conn.settings.get(ROUTE).cloned().unwrap_or_default();
    let found = route::load(store, &route_id).await?;
    let result = match found {
        Some((item, _)) if item.connection == conn.id && item.tenant == conn.tenant_id => {
            let saved = saved::list(store, &conn.tenant_id, &conn.id).await?.len();
            let url = conn.settings.get(CONNECTOR_URL).cloned().unwrap_or_default();
            let handshake = match (item.handshake_at, item.handshake_until) {
                (Some(at), Some(until)) if until > now => {
                    format!("SuperOffice signed in at {}.", at.format("%Y-%m-%d %H:%M UTC"))
                }
                (Some(at), _) => format!(
                    "SuperOffice last signed in at {}; it signs in again by itself before its next sync.",
                    at.format("%Y-%m-%d %H:%M UTC")
                ),
                _ => format!(
                    "SuperOffice has not signed in yet: add a Sync Connector with the address {url} in SuperOffice."
                ),
            };
            TestResult {
                ok: true,
                tested_at: now,
                message: format!(
                    "The connector address is ready for SuperOffice tenant {}. {handshake} {saved} ERP connection(s) saved.",
                    item.context_id
                ),
                hint: None,
                account: Some(item.context_id),
            }
        }
        _ => TestResult {
            ok: false,
            tested_at: now,
            message: "The connector address of this connection no longer exists.".into(),
            hint: Some("Delete this connection and create it again; give SuperOffice the new address and key.".into()),
            account: None,
        },
    };
    conn.last_test = Some(result.clone());
    conn.updated_at = now;
    connections::save(store, &mut conn).await?;
    Ok(result)
}

/// When a superoffice connection is deleted: its route (old addresses answer 404) and its saved
/// ERP connections go. Other connections: nothing.
pub async fn remove(deps: &Deps, conn: &Connection) -> Result<(), AppError> {
    if conn.provider != SUPEROFFICE {
        return Ok(());
    }
    let store = deps.store.as_ref();
    if let Some(route_id) = conn.settings.get(ROUTE) {
        route::delete(store, route_id).await?;
    }
    for (guid, _) in saved::list(store, &conn.tenant_id, &conn.id).await? {
        saved::delete(store, &conn.tenant_id, &conn.id, &guid).await?;
    }
    Ok(())
}
