//! Numbering the mirrors that were written before the feed existed: one chunk (one page of the
//! mirror partition) per `changes_since` call, until the partition has been walked once.
//!
//! A chunk: read a page of mirrors; hand out numbers for the unnumbered ones (the same write
//! checks that the cursor is still where this chunk started); write each mirror with its
//! number on the condition that it is still the version that was read, with its change item,
//! 50 mirrors per transaction; then move the cursor on. A mirror the sync rewrote in the
//! meantime already has a number and keeps it. A call that stops half-way leaves the cursor
//! where it was: the next call reads the same page and numbers what is still unnumbered.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::layout::{FeedState, change_item, customer_of, mirror_pk, remote_of, seq_of, with_seq};
use super::state::update;
use crate::AppError;
use crate::domain::records::RemoteCustomer;
use crate::keys;
use crate::ports::store::MAX_TRANSACT;
use crate::ports::{Cond, Item, ItemStore, StoreError, TxOp, WriteOp};

/// Mirrors per transaction: each brings its change item.
const PER_TRANSACTION: usize = MAX_TRANSACT / 2;

/// What one chunk did.
pub(super) struct Chunk {
    /// The backfill has walked the whole partition.
    pub done: bool,
    /// The mirrors this chunk numbered, by remote id (the read that follows needs not fetch them).
    pub numbered: HashMap<String, (u64, RemoteCustomer)>,
}

pub(super) async fn run(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    read: (FeedState, u64),
    limit: usize,
    now: DateTime<Utc>,
) -> Result<Chunk, AppError> {
    let start = read.0.backfill_token.clone();
    let page = store.query(&mirror_pk(tenant, conn), keys::RECORD_PREFIX, limit, start.as_deref()).await?;
    let todo: Vec<&Item> =
        page.items.iter().filter(|i| remote_of(&i.sk).is_some() && matches!(seq_of(i), Ok(0))).collect();
    let mut numbered = HashMap::new();
    let mut first_read = Some(read);
    if !todo.is_empty() {
        let n = todo.len() as u64;
        // Numbers only while the cursor is still at this chunk: else another call did it.
        let seqs = update(store, tenant, conn, first_read.take(), |s| {
            (s.backfill_token == start && !s.backfill_done).then(|| {
                let first = s.next_seq;
                s.next_seq = first.saturating_add(n);
                first
            })
        })
        .await?;
        let Some(first) = seqs else {
            return Ok(Chunk { done: false, numbered });
        };
        let planned: Vec<(&Item, u64)> = todo.into_iter().zip(first..).collect();
        for group in planned.chunks(PER_TRANSACTION) {
            write_group(store, tenant, conn, group, now, &mut numbered).await?;
        }
    }
    let next = page.next;
    let done = next.is_none();
    update(store, tenant, conn, first_read, |s| {
        (s.backfill_token == start && !s.backfill_done).then(|| {
            s.backfill_token = next.clone();
            s.backfill_done = done;
        })
    })
    .await?;
    Ok(Chunk { done, numbered })
}

/// Number a group of mirrors in one transaction; when any was rewritten since it was read, the
/// transaction is refused as a whole and each is tried alone.
async fn write_group(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    group: &[(&Item, u64)],
    now: DateTime<Utc>,
    numbered: &mut HashMap<String, (u64, RemoteCustomer)>,
) -> Result<(), AppError> {
    let mut ops = Vec::with_capacity(group.len() * 2);
    let mut written = Vec::with_capacity(group.len());
    for (item, seq) in group {
        let Some(remote) = remote_of(&item.sk) else { continue };
        let next = with_seq(item, *seq)?;
        ops.push(TxOp::Put { item: next.clone(), cond: Cond::IfVersion(item.version) });
        ops.push(TxOp::Put { item: change_item(tenant, conn, *seq, remote, now), cond: Cond::None });
        written.push(next);
    }
    if ops.is_empty() {
        return Ok(());
    }
    match store.transact(ops).await {
        Ok(()) => {}
        Err(StoreError::TransactionCancelled(_)) => {
            written = one_by_one(store, tenant, conn, group, now).await?;
        }
        Err(e) => return Err(e.into()),
    }
    for item in &written {
        if let (Some(remote), Some(record)) = (remote_of(&item.sk), customer_of(item)) {
            numbered.insert(remote.to_string(), record);
        }
    }
    Ok(())
}

/// The slow path: each mirror on its own condition; change items only for those written.
async fn one_by_one(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    group: &[(&Item, u64)],
    now: DateTime<Utc>,
) -> Result<Vec<Item>, AppError> {
    let mut written = Vec::new();
    let mut changes = Vec::new();
    for (item, seq) in group {
        let Some(remote) = remote_of(&item.sk) else { continue };
        let next = with_seq(item, *seq)?;
        match store.put(next.clone(), Cond::IfVersion(item.version)).await {
            Ok(()) => {
                changes.push(WriteOp::Put(change_item(tenant, conn, *seq, remote, now)));
                written.push(next);
            }
            // Rewritten since it was read: it has its own number now.
            Err(StoreError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
    }
    store.batch_write(changes).await?;
    Ok(written)
}
