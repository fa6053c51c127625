//! The sync's part: number the customer mirrors a page writes, when the feed is on.

use chrono::{DateTime, Utc};

use super::layout::{change_item, mirror_pk, remote_of, with_seq};
use super::state::allocate;
use crate::AppError;
use crate::ports::{ItemStore, WriteOp};

/// Give every customer mirror put among `writes` the next sequence number (one allocation for
/// the page) and add its change item after the mirrors. A page without customer mirror puts
/// costs nothing; with the feed off, one `get` and the writes stay exactly as they were.
pub async fn stamp_page(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    writes: &mut Vec<WriteOp>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let pk = mirror_pk(tenant, conn);
    let mirrors: Vec<usize> = writes
        .iter()
        .enumerate()
        .filter(|(_, op)| matches!(op, WriteOp::Put(item) if item.pk == pk && remote_of(&item.sk).is_some()))
        .map(|(i, _)| i)
        .collect();
    if mirrors.is_empty() {
        return Ok(());
    }
    let Some(seqs) = allocate(store, tenant, conn, mirrors.len()).await? else {
        return Ok(());
    };
    let mut changes = Vec::with_capacity(mirrors.len());
    for (index, seq) in mirrors.into_iter().zip(seqs) {
        if let Some(WriteOp::Put(item)) = writes.get_mut(index) {
            *item = with_seq(item, seq)?;
            if let Some(remote) = remote_of(&item.sk) {
                changes.push(WriteOp::Put(change_item(tenant, conn, seq, remote, now)));
            }
        }
    }
    writes.extend(changes);
    Ok(())
}
