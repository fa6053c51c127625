//! Reading the feed: the changes on or after a number, and mirrored customers by id or in pages.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::layout::{CHANGE_PREFIX, change_start, customer_of, mirror_pk, parse_change_sk, remote_of, settled};
use super::state::{contended, enable, load};
use super::{FeedPage, MAX_CAP, backfill};
use crate::AppError;
use crate::domain::records::RemoteCustomer;
use crate::keys;
use crate::ports::{Item, ItemStore, WriteOp};

type Known = HashMap<String, (u64, RemoteCustomer)>;

/// The customers whose last change has a number `>= since`, ascending, at most `cap` (clamped to
/// 2..=[`MAX_CAP`]: with "on or after", one record per answer repeats, so a cap of 1 could never
/// move on). While the backfill is not done, one chunk of it runs first and `more` stays true.
/// A connection without the feed gets it switched on here, so its first answer is not silently
/// empty.
///
/// Cost when nothing changed since `since`: one `get` of the feed item. Else, in addition, one
/// range read per `cap` change items walked, one `batch_get` for the mirrors of each (the store
/// chunks by 100), and one batch write deleting the superseded change items the walk passed.
pub async fn changes_since(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    since: u64,
    cap: usize,
    now: DateTime<Utc>,
) -> Result<FeedPage, AppError> {
    let cap = cap.clamp(2, MAX_CAP);
    let read = match load(store, tenant, conn).await? {
        Some(read) => read,
        None => {
            enable(store, tenant, conn, now).await?;
            load(store, tenant, conn).await?.ok_or_else(contended)?
        }
    };
    let (mut known, mut backfill_done) = (Known::new(), read.0.backfill_done);
    if !backfill_done {
        let chunk = backfill::run(store, tenant, conn, read, cap, now).await?;
        (known, backfill_done) = (chunk.numbered, chunk.done);
    } else if since >= read.0.next_seq {
        // No number at or after `since` has been handed out: there is nothing to read.
        return Ok(FeedPage::default());
    }
    let (records, capped) = read_changes(store, (tenant, conn), since, cap, known, now).await?;
    Ok(FeedPage { records, more: capped || !backfill_done })
}

/// Walk the change items from `since`, keeping those whose mirror still carries their number
/// (a mirror changed again carries a later one: its older change items are skipped, and deleted
/// once settled). Returns the records and whether the cap stopped the walk.
async fn read_changes(
    store: &dyn ItemStore,
    (tenant, conn): (&str, &str),
    since: u64,
    cap: usize,
    mut known: Known,
    now: DateTime<Utc>,
) -> Result<(Vec<(u64, RemoteCustomer)>, bool), AppError> {
    let pk = mirror_pk(tenant, conn);
    let start = change_start(since);
    let mut fetched: HashSet<String> = known.keys().cloned().collect();
    let (mut out, mut superseded) = (Vec::new(), Vec::new());
    let mut token: Option<String> = None;
    let capped = loop {
        let page = store.query_from(&pk, CHANGE_PREFIX, &start, cap, token.as_deref()).await?;
        let changes: Vec<(&Item, u64, &str)> =
            page.items.iter().filter_map(|i| parse_change_sk(&i.sk).map(|(seq, remote)| (i, seq, remote))).collect();
        let wanted: Vec<(String, String)> = changes
            .iter()
            .filter(|(_, _, remote)| fetched.insert((*remote).to_string()))
            .map(|(_, _, remote)| (pk.clone(), keys::record_sk(remote)))
            .collect();
        if !wanted.is_empty() {
            for item in store.batch_get(&wanted).await? {
                if let (Some(remote), Some(record)) = (remote_of(&item.sk), customer_of(&item)) {
                    known.insert(remote.to_string(), record);
                }
            }
        }
        let mut stopped = None;
        for (index, (item, seq, remote)) in changes.iter().enumerate() {
            match known.get(*remote) {
                // Each mirror carries one number, so a customer is kept at most once.
                Some((current, customer)) if current == seq => out.push((*seq, customer.clone())),
                // A later number: this change can never be the record's current one again. (An
                // earlier number is a page still being written: left alone.)
                Some((current, _)) if current < seq => {}
                _ if settled(item, now) => superseded.push(WriteOp::Delete { pk: pk.clone(), sk: item.sk.clone() }),
                _ => {}
            }
            if out.len() == cap {
                stopped = Some(index + 1 < changes.len() || page.next.is_some());
                break;
            }
        }
        match (stopped, page.next) {
            (Some(more), _) => break more,
            (None, Some(next)) => token = Some(next),
            (None, None) => break false,
        }
    };
    if !superseded.is_empty() {
        store.batch_write(superseded).await?;
    }
    Ok((out, capped))
}

/// The mirrored customers among `remote_ids` with their numbers, in the order asked (unknown
/// ones left out, each at most once). One `batch_get`.
pub async fn get(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    remote_ids: &[String],
) -> Result<Vec<(u64, RemoteCustomer)>, AppError> {
    let pk = mirror_pk(tenant, conn);
    let mut asked = HashSet::new();
    let order: Vec<&str> = remote_ids.iter().map(String::as_str).filter(|r| asked.insert(*r)).collect();
    if order.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<(String, String)> = order.iter().map(|r| (pk.clone(), keys::record_sk(r))).collect();
    let mut found: Known = HashMap::new();
    for item in store.batch_get(&wanted).await? {
        if let (Some(remote), Some(record)) = (remote_of(&item.sk), customer_of(&item)) {
            found.insert(remote.to_string(), record);
        }
    }
    Ok(order.into_iter().filter_map(|r| found.remove(r)).collect())
}

/// One page of every mirrored customer with its number, by remote id; pass the token back for
/// the next page (`None`: no more). One query.
pub async fn scan(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    page_token: Option<&str>,
    limit: usize,
) -> Result<(Vec<(u64, RemoteCustomer)>, Option<String>), AppError> {
    let page = store.query(&mirror_pk(tenant, conn), keys::RECORD_PREFIX, limit.max(1), page_token).await?;
    Ok((page.items.iter().filter_map(customer_of).collect(), page.next))
}
