//! One run per connection at a time: a lease item with an expiry.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::AppError;
use crate::keys;
use crate::ports::{Cond, ItemStore, StoreError};
use crate::repo;

/// How long a lease holds without renewal; a crashed run frees it after this.
pub const LEASE_MINUTES: i64 = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseBody {
    pub run_id: String,
    pub until: DateTime<Utc>,
}

#[derive(Debug)]
pub struct Lease {
    pk: String,
    run_id: String,
    version: u64,
}

pub enum Acquired {
    Yes(Lease),
    /// Another run holds it.
    Busy {
        run_id: String,
    },
}

fn body_item(pk: &str, run_id: &str, now: DateTime<Utc>, version: u64) -> crate::ports::Item {
    let until = now + Duration::minutes(LEASE_MINUTES);
    repo::encode(pk, keys::LEASE_SK, &LeaseBody { run_id: run_id.into(), until }, version)
        .with_expiry(until.timestamp())
}

/// Take the lease for `run_id`, or take it over if `run_id` already holds it (a continuation).
pub async fn acquire(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    run_id: &str,
    now: DateTime<Utc>,
) -> Result<Acquired, AppError> {
    let pk = keys::conn_pk(tenant, conn);
    match store.put(body_item(&pk, run_id, now, 1), Cond::IfAbsent).await {
        Ok(()) => {
            return Ok(Acquired::Yes(Lease { pk, run_id: run_id.into(), version: 1 }));
        }
        Err(StoreError::ConditionFailed) => {}
        Err(e) => return Err(e.into()),
    }
    let Some((held, version)) = repo::get::<LeaseBody>(store, &pk, keys::LEASE_SK).await? else {
        // Expired between our put and our read: try once more.
        return match store.put(body_item(&pk, run_id, now, 1), Cond::IfAbsent).await {
            Ok(()) => Ok(Acquired::Yes(Lease { pk, run_id: run_id.into(), version: 1 })),
            Err(StoreError::ConditionFailed) => Ok(Acquired::Busy { run_id: String::new() }),
            Err(e) => Err(e.into()),
        };
    };
    if held.run_id != run_id {
        return Ok(Acquired::Busy { run_id: held.run_id });
    }
    let mut lease = Lease { pk, run_id: run_id.into(), version };
    lease.renew(store, now).await?;
    Ok(Acquired::Yes(lease))
}

impl Lease {
    /// Extend the lease; fails if someone else took it (it had expired).
    pub async fn renew(&mut self, store: &dyn ItemStore, now: DateTime<Utc>) -> Result<(), AppError> {
        let next = self.version + 1;
        store.put(body_item(&self.pk, &self.run_id, now, next), Cond::IfVersion(self.version)).await.map_err(|e| {
            match e {
                StoreError::ConditionFailed => {
                    AppError::conflict("the run lost its lease to another run", "Start the sync again later.")
                }
                other => other.into(),
            }
        })?;
        self.version = next;
        Ok(())
    }

    pub async fn release(self, store: &dyn ItemStore) -> Result<(), AppError> {
        match store.delete(&self.pk, keys::LEASE_SK, Cond::IfVersion(self.version)).await {
            Ok(()) | Err(StoreError::ConditionFailed) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
