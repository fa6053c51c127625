//! Reading connections. The `*_visible` forms hide connections whose link rules' visibility
//! leaves the caller out (see `docs/link-rules.md`); a hidden connection is "not found", exactly
//! like another tenant's, so its existence is not revealed.

use crate::domain::connection::Connection;
use crate::links::Viewer;
use secrecy::SecretString;

use crate::ports::secrets::Credentials;
use crate::ports::{ItemStore, SecretName};
use crate::{AppError, Deps, keys, repo};

pub fn secret_name(deps: &Deps, tenant: &str, conn: &str) -> SecretName {
    SecretName::for_connection(&deps.env, tenant, conn)
}

/// What a connector needs to open a session: the connection's secret fields, plus its
/// non-secret provider settings (`Connection::settings`). OAuth connections get a fresh access
/// token here (refreshed under the connection's lease when it is about to expire).
pub async fn credentials(deps: &Deps, conn: &Connection) -> Result<Credentials, AppError> {
    let mut creds = match &conn.oauth {
        Some(state) => crate::oauth::refresh::credentials(deps, conn, state).await?,
        None => credentials_raw(deps, conn).await?,
    };
    for (name, value) in &conn.settings {
        if creds.get(name).is_none() {
            creds.insert(name, SecretString::from(value.clone()));
        }
    }
    Ok(creds)
}

/// The connection's secret fields only, as stored.
pub async fn credentials_raw(deps: &Deps, conn: &Connection) -> Result<Credentials, AppError> {
    let secret = deps.secrets.get(&secret_name(deps, &conn.tenant_id, &conn.id)).await?;
    Ok(Credentials::from_secret_json(&secret)?)
}

/// A connection of this tenant; another tenant's id is simply not found.
pub async fn load(store: &dyn ItemStore, tenant: &str, id: &str) -> Result<Connection, AppError> {
    match repo::get::<Connection>(store, &keys::tenant(tenant), &keys::connection_sk(id)).await? {
        Some((mut c, v)) => {
            c.version = v;
            Ok(c)
        }
        None => Err(AppError::NotFound(format!("connection {id}"))),
    }
}

/// [`load`], but "not found" when the connection's link is not visible to `viewer`.
pub async fn load_visible(
    store: &dyn ItemStore,
    tenant: &str,
    id: &str,
    viewer: &Viewer,
) -> Result<Connection, AppError> {
    let conn = load(store, tenant, id).await?;
    if viewer.sees(&conn) { Ok(conn) } else { Err(AppError::NotFound(format!("connection {id}"))) }
}

/// [`list`], without the connections whose link is not visible to `viewer`.
pub async fn list_visible(store: &dyn ItemStore, tenant: &str, viewer: &Viewer) -> Result<Vec<Connection>, AppError> {
    Ok(list(store, tenant).await?.into_iter().filter(|c| viewer.sees(c)).collect())
}

pub async fn list(store: &dyn ItemStore, tenant: &str) -> Result<Vec<Connection>, AppError> {
    let items = repo::query_all(store, &keys::tenant(tenant), keys::CONN_PREFIX).await?;
    items
        .iter()
        .map(|i| {
            let mut c: Connection = repo::decode(i)?;
            c.version = i.version;
            Ok(c)
        })
        .collect()
}

/// Save the next version; a concurrent change makes this a conflict, not a lost update.
pub async fn save(store: &dyn ItemStore, conn: &mut Connection) -> Result<(), AppError> {
    let previous = conn.version;
    conn.version = previous + 1;
    match repo::put_next(store, &keys::tenant(&conn.tenant_id), &keys::connection_sk(&conn.id), conn, previous).await {
        Ok(_) => Ok(()),
        Err(crate::ports::StoreError::ConditionFailed) => {
            conn.version = previous;
            Err(AppError::conflict("the connection was changed at the same time", "Reload it and try again."))
        }
        Err(e) => {
            conn.version = previous;
            Err(e.into())
        }
    }
}
