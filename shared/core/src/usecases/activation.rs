//! Activating creates the connection's schedule; deactivating removes it.

use super::connections;
use crate::domain::connection::{Connection, ConnectionStatus};
use crate::ports::Schedule;
use crate::{AppError, Deps};

pub async fn activate(deps: &Deps, tenant: &str, id: &str) -> Result<Connection, AppError> {
    let store = deps.store.as_ref();
    let mut conn = connections::load(store, tenant, id).await?;
    if !conn.test_passed() {
        return Err(AppError::conflict(
            "the connection cannot be activated before a test has passed",
            "Run Test API (POST /connections/{id}/test) and fix what it reports.",
        ));
    }
    if conn.newsletter.is_some() {
        let registered = crate::newsletter::webhooks::register(deps, &mut conn).await;
        if let Err(e) = registered {
            // Keep what was registered, so a retry or a deactivation can clean it up.
            conn.updated_at = deps.clock.now();
            connections::save(store, &mut conn).await?;
            return Err(e);
        }
    }
    // Connections that only receive meetings have nothing to sync on a schedule.
    if crate::domain::catalog::syncs(&conn.provider) {
        deps.scheduler.upsert(&Schedule::for_connection(tenant, id, conn.interval_minutes)).await?;
    }
    conn.status = ConnectionStatus::Active;
    conn.updated_at = deps.clock.now();
    connections::save(store, &mut conn).await?;
    Ok(conn)
}

pub async fn deactivate(deps: &Deps, tenant: &str, id: &str) -> Result<Connection, AppError> {
    let store = deps.store.as_ref();
    let mut conn = connections::load(store, tenant, id).await?;
    remove_schedule(deps, &conn).await?;
    crate::newsletter::webhooks::remove(deps, &mut conn).await;
    if conn.status == ConnectionStatus::Active {
        conn.status = ConnectionStatus::Inactive;
    }
    conn.updated_at = deps.clock.now();
    connections::save(store, &mut conn).await?;
    Ok(conn)
}

pub async fn remove_schedule(deps: &Deps, conn: &Connection) -> Result<(), AppError> {
    let schedule = Schedule::for_connection(&conn.tenant_id, &conn.id, conn.interval_minutes);
    deps.scheduler.delete(&schedule.name).await?;
    Ok(())
}
