//! The feed's items: keys, the feed item's body, and the `seq` inside a mirror's body.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::records::RemoteCustomer;
use crate::domain::stream::StreamKind;
use crate::ports::Item;
use crate::{AppError, keys};

/// Sort key of the feed item, in the connection's partition `T#{t}#C#{c}`.
pub const FEED_SK: &str = "ERPFEED";
/// Sort-key prefix of the change items, in the customer mirror partition.
pub const CHANGE_PREFIX: &str = "CHG#";
/// A change item whose record was numbered again since is deleted by a reader that passes it,
/// once it is this old (a page being committed right now is never touched). Change items have
/// no TTL: the current one of a record must stay for as long as the record does, or a full
/// read (`UpdatedOnOrAfter` 0) would miss records that have not changed for a while.
pub const SUPERSEDED_AFTER_MINUTES: i64 = 60;
/// Digits of a sequence number in a change key (and in `LastModified`).
const SEQ_DIGITS: usize = 16;

/// The feed item's body. Its store version is the optimistic-concurrency check of every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedState {
    /// The number the next change gets (the first is 1; 0 means "not numbered").
    pub next_seq: u64,
    /// Where the backfill of mirrors written before the feed existed goes on (a store page token
    /// of the mirror partition); `None` at the start.
    #[serde(default)]
    pub backfill_token: Option<String>,
    #[serde(default)]
    pub backfill_done: bool,
    pub enabled_at: DateTime<Utc>,
}

pub(super) fn feed_pk(tenant: &str, conn: &str) -> String {
    keys::conn_pk(tenant, conn)
}

/// The customer mirror partition, which also holds the change items.
pub(super) fn mirror_pk(tenant: &str, conn: &str) -> String {
    keys::stream_pk(tenant, conn, StreamKind::Customers)
}

/// `CHG#{seq:016}#{remote}`: ascending by sequence number.
pub fn change_sk(seq: u64, remote: &str) -> String {
    format!("{CHANGE_PREFIX}{seq:0SEQ_DIGITS$}#{remote}")
}

/// The first change key at or after `since`.
pub fn change_start(since: u64) -> String {
    format!("{CHANGE_PREFIX}{since:0SEQ_DIGITS$}")
}

/// `(seq, remote)` of a change key; `None` for anything else.
pub fn parse_change_sk(sk: &str) -> Option<(u64, &str)> {
    let rest = sk.strip_prefix(CHANGE_PREFIX)?;
    let (digits, remote) = rest.split_once('#')?;
    if digits.len() != SEQ_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) || remote.is_empty() {
        return None;
    }
    Some((digits.parse().ok()?, remote))
}

/// A change item: its key says everything; the body keeps when it was written.
pub(super) fn change_item(tenant: &str, conn: &str, seq: u64, remote: &str, now: DateTime<Utc>) -> Item {
    let body = serde_json::json!({ "at": now.timestamp() }).to_string();
    Item::new(mirror_pk(tenant, conn), change_sk(seq, remote), body)
}

/// Whether a change item was written long enough ago to be deleted once superseded (an item
/// without a time counts as old).
pub(super) fn settled(item: &Item, now: DateTime<Utc>) -> bool {
    #[derive(Deserialize)]
    struct At {
        #[serde(default)]
        at: i64,
    }
    let at = serde_json::from_str::<At>(&item.body).map(|a| a.at).unwrap_or(0);
    at <= (now - Duration::minutes(SUPERSEDED_AFTER_MINUTES)).timestamp()
}

/// The remote id of a customer mirror's sort key (`R#{remote}`).
pub(super) fn remote_of(sk: &str) -> Option<&str> {
    sk.strip_prefix(keys::RECORD_PREFIX).filter(|r| !r.is_empty())
}

/// What the feed reads of a mirror: its number and the provider record.
#[derive(Deserialize)]
struct Numbered {
    #[serde(default)]
    seq: u64,
    #[serde(default)]
    data: serde_json::Value,
}

/// The `seq` of a stored mirror.
pub(super) fn seq_of(item: &Item) -> Result<u64, AppError> {
    let n: Numbered = crate::repo::decode(item)?;
    Ok(n.seq)
}

/// `(seq, customer)` of a stored mirror. A mirror that does not hold a customer (a bug or a
/// manual edit) is left out and logged by key, so one bad item cannot stop the feed.
pub(super) fn customer_of(item: &Item) -> Option<(u64, RemoteCustomer)> {
    let read = crate::repo::decode::<Numbered>(item)
        .ok()
        .and_then(|n| serde_json::from_value::<RemoteCustomer>(n.data).ok().map(|c| (n.seq, c)));
    if read.is_none() {
        tracing::warn!(pk = %item.pk, sk = %item.sk, "actor feed: a customer mirror could not be read; left out");
    }
    read
}

/// The mirror item with `seq` in its body; its store version is the `seq` too, so a backfill
/// that read the mirror unnumbered (version 0) can tell it was rewritten since.
pub(super) fn with_seq(item: &Item, seq: u64) -> Result<Item, AppError> {
    let mut body: serde_json::Value =
        serde_json::from_str(&item.body).map_err(|e| AppError::Corrupt(format!("{}/{}: {e}", item.pk, item.sk)))?;
    let Some(fields) = body.as_object_mut() else {
        return Err(AppError::Corrupt(format!("{}/{}: a mirror is not a JSON object", item.pk, item.sk)));
    };
    fields.insert("seq".into(), seq.into());
    let mut out = item.clone();
    out.body = body.to_string();
    out.version = seq;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_keys_sort_by_number_and_round_trip() {
        let keys: Vec<String> = [9, 10, 100, 2].iter().map(|n| change_sk(*n, "r")).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(sorted, [change_sk(2, "r"), change_sk(9, "r"), change_sk(10, "r"), change_sk(100, "r")]);
        assert_eq!(change_sk(42, "rel#1"), "CHG#0000000000000042#rel#1");
        assert_eq!(parse_change_sk(&change_sk(42, "rel#1")), Some((42, "rel#1")));
        assert!(change_start(42).as_str() <= change_sk(42, "a").as_str());
        assert!(change_start(43).as_str() > change_sk(42, "zzz").as_str());
        for bad in ["CHG#12#r", "CHG#000000000000004x#r", "CHG#0000000000000042#", "R#1", "CHG#0000000000000042"] {
            assert_eq!(parse_change_sk(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_numbered_mirror_keeps_its_other_fields() {
        let item = Item::new("p", "R#1", r#"{"remote_id":"1","data":{"name":"A"},"seq":3}"#);
        let out = with_seq(&item, 7).expect("object");
        let body: serde_json::Value = serde_json::from_str(&out.body).expect("json");
        assert_eq!(body["seq"], 7);
        assert_eq!(body["remote_id"], "1");
        assert_eq!(body["data"]["name"], "A");
        assert_eq!(out.version, 7);
        assert_eq!(seq_of(&out).expect("seq"), 7);
        assert!(with_seq(&Item::new("p", "R#1", "[1]"), 1).is_err());
        assert_eq!(seq_of(&Item::new("p", "R#1", r#"{"remote_id":"1"}"#)).expect("seq"), 0);
    }
}
