//! The refresh lease: one item per connection (`T#{t}#C#{c}` / `OAUTH#REFRESH`) with an expiry,
//! taken with a conditional put, so only one process spends a refresh token at a time. It is
//! separate from the sync lease, which a run holds while it asks for credentials.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::ports::{Cond, ItemStore, StoreError};
use crate::{AppError, keys, repo};

pub const REFRESH_LEASE_SK: &str = "OAUTH#REFRESH";
/// Longer than a token call may take (`koppel_connectors::oauth::TOKEN_CALL_TIMEOUT`, 15 s);
/// a process that dies holding it blocks refreshes for at most this long.
pub const LEASE_SECONDS: i64 = 60;

#[derive(Serialize, Deserialize)]
struct Body {
    holder: String,
    until: DateTime<Utc>,
}

#[derive(Debug)]
pub struct RefreshLease {
    pk: String,
    /// A random item version: it tells this holder's item from a later holder's.
    version: u64,
}

/// Take the lease, or `None` when someone holds it.
pub async fn try_take(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Option<RefreshLease>, AppError> {
    let pk = keys::conn_pk(tenant, conn);
    let until = now + Duration::seconds(LEASE_SECONDS);
    let version = u64::from(rand::random::<u32>()) + 1;
    let item = repo::encode(&pk, REFRESH_LEASE_SK, &Body { holder: holder.into(), until }, version)
        .with_expiry(until.timestamp());
    match store.put(item, Cond::IfAbsent).await {
        Ok(()) => Ok(Some(RefreshLease { pk, version })),
        Err(StoreError::ConditionFailed) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

impl RefreshLease {
    /// Free it (a lease that expired and was taken by another is left alone).
    pub async fn release(self, store: &dyn ItemStore) {
        if let Err(e) = store.delete(&self.pk, REFRESH_LEASE_SK, Cond::IfVersion(self.version)).await
            && e != StoreError::ConditionFailed
        {
            // It expires by itself; a failed delete only delays the next refresh.
            tracing::warn!(error = %e, "could not release the OAuth refresh lease");
        }
    }
}
