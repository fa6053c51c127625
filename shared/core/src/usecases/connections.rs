//! Reading connections.

use crate::domain::connection::Connection;
use crate::ports::{ItemStore, SecretName};
use crate::{AppError, Deps, keys, repo};

pub fn secret_name(deps: &Deps, tenant: &str, conn: &str) -> SecretName {
    SecretName::for_connection(&deps.env, tenant, conn)
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
