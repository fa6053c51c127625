//! The feed item: switching the feed on, and handing out sequence numbers.
//!
//! Every change of the feed item is read → change → write with `Cond::IfVersion`; a write that
//! lost the race to another writer reads again and retries, at most [`MAX_ATTEMPTS`] times.

use std::ops::Range;

use chrono::{DateTime, Utc};

use super::layout::{FEED_SK, FeedState, feed_pk};
use crate::ports::{ItemStore, StoreError};
use crate::{AppError, repo};

/// Attempts of one change of the feed item before the caller is told to try again later. Each
/// failed attempt means another writer's change went through, so this bounds a pathological
/// race, not ordinary contention (a sync page and a few SuperOffice writes).
pub const MAX_ATTEMPTS: usize = 32;

/// Start the feed of a connection: from now on the sync numbers every customer change, and
/// the first [`super::changes_since`] calls number the mirrors that exist already. Idempotent.
pub async fn enable(store: &dyn ItemStore, tenant: &str, conn: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let state = FeedState { next_seq: 1, backfill_token: None, backfill_done: false, enabled_at: now };
    match repo::put_next(store, &feed_pk(tenant, conn), FEED_SK, &state, 0).await {
        Ok(_) | Err(StoreError::ConditionFailed) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

pub async fn is_enabled(store: &dyn ItemStore, tenant: &str, conn: &str) -> Result<bool, AppError> {
    Ok(load(store, tenant, conn).await?.is_some())
}

/// The feed item and its version, `None` when the feed is off.
pub async fn load(store: &dyn ItemStore, tenant: &str, conn: &str) -> Result<Option<(FeedState, u64)>, AppError> {
    repo::get::<FeedState>(store, &feed_pk(tenant, conn), FEED_SK).await
}

/// Hand out `n` consecutive sequence numbers; `None` when the feed is off (one `get`, nothing
/// written). `n = 0` hands out an empty range.
pub async fn allocate(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    n: usize,
) -> Result<Option<Range<u64>>, AppError> {
    let n = n as u64;
    update(store, tenant, conn, None, |state| {
        let first = state.next_seq;
        state.next_seq = first.saturating_add(n);
        Some(first..state.next_seq)
    })
    .await
}

/// Change the feed item with `change` (which may decline by returning `None`: nothing is
/// written), retrying on a lost race. `first` is the item as already read, saving one `get`.
/// `None` when the feed is off or `change` declined.
pub(super) async fn update<T>(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    mut first: Option<(FeedState, u64)>,
    mut change: impl FnMut(&mut FeedState) -> Option<T>,
) -> Result<Option<T>, AppError> {
    let pk = feed_pk(tenant, conn);
    for _ in 0..MAX_ATTEMPTS {
        let current = match first.take() {
            Some(read) => Some(read),
            None => load(store, tenant, conn).await?,
        };
        let Some((mut state, version)) = current else {
            return Ok(None);
        };
        let Some(out) = change(&mut state) else {
            return Ok(None);
        };
        match repo::put_next(store, &pk, FEED_SK, &state, version).await {
            Ok(_) => return Ok(Some(out)),
            Err(StoreError::ConditionFailed) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(contended())
}

/// The error of a change that kept losing the race (the caller may simply try again).
pub(super) fn contended() -> AppError {
    AppError::Store(StoreError::Unavailable(format!(
        "the actor feed's sequence number kept changing under {MAX_ATTEMPTS} attempts; try again"
    )))
}
