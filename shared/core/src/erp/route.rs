//! The connector route: opaque id → tenant and superoffice connection, and the handshake gate.
//!
//! SuperOffice's calls carry no identity but the URL (`{public_url}/superoffice-erp/{route}`),
//! so the route item `ERPROUTE#{route}` / `-` is the one partition outside a tenant (like the
//! Flexmail `HOOK#{hook}`). It names the tenant, the superoffice connection and its SuperOffice
//! context id, and keeps until when the last successful handshake is valid.

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::assumptions::HANDSHAKE_VALID_HOURS;
use crate::ports::{Cond, ItemStore, StoreError};
use crate::{AppError, repo};

/// Random bytes in a route id (128 bits, 32 hex characters).
pub const ROUTE_BYTES: usize = 16;
pub const ROUTE_SK: &str = "-";

pub fn route_pk(route: &str) -> String {
    format!("ERPROUTE#{route}")
}

/// The route item's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteItem {
    pub tenant: String,
    /// The superoffice connection's id.
    pub connection: String,
    /// SuperOffice's tenant (`Cust12345`); a handshake for another context is refused.
    pub context_id: String,
    /// Calls are answered until then (the last successful handshake + 24 h).
    #[serde(default)]
    pub handshake_until: Option<DateTime<Utc>>,
    /// When the last successful handshake happened (shown by the connection test).
    #[serde(default)]
    pub handshake_at: Option<DateTime<Utc>>,
}

/// Who a call on a route is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErpCtx {
    pub tenant: String,
    /// The superoffice connection's id.
    pub connection: String,
    pub route: String,
    /// A handshake succeeded and has not run out at the time the route was resolved.
    /// `service::handle` refuses every call when false.
    pub authenticated: bool,
}

/// A new unguessable route id (from the OS-seeded CSPRNG).
pub fn new_route_id() -> String {
    let mut bytes = [0u8; ROUTE_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Route ids are Koppel's (hex); anything else is not looked up.
pub fn valid_route(route: &str) -> bool {
    (1..=64).contains(&route.len()) && route.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Write the item of a new route (refused when the id exists: ids are never reused).
pub async fn create(store: &dyn ItemStore, route: &str, item: &RouteItem) -> Result<(), AppError> {
    store.put(repo::encode(&route_pk(route), ROUTE_SK, item, 1), Cond::IfAbsent).await?;
    Ok(())
}

pub async fn load(store: &dyn ItemStore, route: &str) -> Result<Option<(RouteItem, u64)>, AppError> {
    if !valid_route(route) {
        return Ok(None);
    }
    repo::get(store, &route_pk(route), ROUTE_SK).await
}

pub async fn delete(store: &dyn ItemStore, route: &str) -> Result<(), AppError> {
    if valid_route(route) {
        store.delete(&route_pk(route), ROUTE_SK, Cond::None).await?;
    }
    Ok(())
}

/// The route's tenant and connection, and whether a handshake holds at `now`. `None`: no such
/// route (the function answers 404).
pub async fn resolve(store: &dyn ItemStore, route: &str, now: DateTime<Utc>) -> Result<Option<ErpCtx>, AppError> {
    Ok(load(store, route).await?.map(|(item, _)| ErpCtx {
        authenticated: item.handshake_until.is_some_and(|until| until > now),
        tenant: item.tenant,
        connection: item.connection,
        route: route.to_string(),
    }))
}

/// After the handshake's token was verified: open the route for 24 hours when the token's
/// context id is the connection's. `false` (nothing stored) for an unknown route or another
/// context.
pub async fn record_handshake(
    store: &dyn ItemStore,
    route: &str,
    context_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    for _ in 0..3 {
        let Some((mut item, version)) = load(store, route).await? else { return Ok(false) };
        if !same_context(&item.context_id, context_id) {
            tracing::warn!(route = %route, "handshake for another SuperOffice context refused");
            return Ok(false);
        }
        item.handshake_until = Some(now + Duration::hours(HANDSHAKE_VALID_HOURS));
        item.handshake_at = Some(now);
        match repo::put_next(store, &route_pk(route), ROUTE_SK, &item, version).await {
            Ok(_) => return Ok(true),
            Err(StoreError::ConditionFailed) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::conflict("the route changed at the same time", "SuperOffice signs in again by itself."))
}

/// Context ids compare without case and surrounding blanks (`Cust12345` = `cust12345`).
pub fn same_context(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && a.eq_ignore_ascii_case(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_ids_are_long_random_hex() {
        let (a, b) = (new_route_id(), new_route_id());
        assert_eq!(a.len(), 2 * ROUTE_BYTES);
        assert_ne!(a, b);
        assert!(valid_route(&a));
        assert!(!valid_route("../x") && !valid_route("") && !valid_route(&"a".repeat(65)));
    }

    #[test]
    fn contexts_compare_without_case() {
        assert!(same_context("Cust12345", " cust12345"));
        assert!(!same_context("Cust12345", "Cust12346"));
        assert!(!same_context("", ""));
    }
}
