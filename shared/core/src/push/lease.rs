//! One send per (connection, meeting) at a time: a lease item with an expiry, so that the
//! `meeting.completed` event and a user's "send" cannot both create the same item.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use crate::ports::{Cond, StoreError};
use crate::{AppError, Deps, repo};

/// Longer than a send can take (the meeting-push function's timeout is 5 minutes).
pub const LEASE_MINUTES: i64 = 6;

#[derive(Serialize, Deserialize)]
struct Body {
    holder: String,
    until: DateTime<Utc>,
}

pub struct PushLease {
    pk: String,
    sk: String,
}

pub async fn acquire(deps: &Deps, tenant: &str, conn: &str, meeting: &str) -> Result<PushLease, AppError> {
    let (pk, sk) = (crate::keys::conn_pk(tenant, conn), keys::lease_sk(meeting));
    let now = deps.clock.now();
    let until = now + Duration::minutes(LEASE_MINUTES);
    let body = Body { holder: deps.ids.new_id(), until };
    let item = repo::encode(&pk, &sk, &body, 1).with_expiry(until.timestamp());
    match deps.store.put(item.clone(), Cond::IfAbsent).await {
        Ok(()) => return Ok(PushLease { pk, sk }),
        Err(StoreError::ConditionFailed) => {}
        Err(e) => return Err(e.into()),
    }
    // Held: free only if its holder's time is up (a crashed send).
    if let Some((held, version)) = repo::get::<Body>(deps.store.as_ref(), &pk, &sk).await? {
        if held.until > now {
            return Err(busy());
        }
        let item = item.with_version(version + 1);
        return match deps.store.put(item, Cond::IfVersion(version)).await {
            Ok(()) => Ok(PushLease { pk, sk }),
            Err(StoreError::ConditionFailed) => Err(busy()),
            Err(e) => Err(e.into()),
        };
    }
    match deps.store.put(item, Cond::IfAbsent).await {
        Ok(()) => Ok(PushLease { pk, sk }),
        Err(StoreError::ConditionFailed) => Err(busy()),
        Err(e) => Err(e.into()),
    }
}

fn busy() -> AppError {
    AppError::conflict(
        "this meeting is being sent to this connection right now",
        "Wait a minute and look at the meeting's pushes; send again only if something is still missing.",
    )
}

impl PushLease {
    pub async fn release(self, deps: &Deps) -> Result<(), AppError> {
        match deps.store.delete(&self.pk, &self.sk, Cond::None).await {
            Ok(()) | Err(StoreError::ConditionFailed) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
