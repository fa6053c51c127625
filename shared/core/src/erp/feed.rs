//! The actor feed: a sequence number per change of a Koppel connection's customer mirror, read by
//! SuperOffice's `GetActorsByTimestamp` (docs/erp-feed.md).
//!
//! Per Koppel (SnelStart) connection:
//! - the feed item `T#{t}#C#{c}` / `ERPFEED` ([`FeedState`]): the next sequence number, the
//!   backfill cursor and whether the backfill is done; written only with `Cond::IfVersion`;
//! - every customer mirror (`T#{t}#C#{c}#S#customers` / `R#{remote}`) carries `seq`, the number of
//!   its last change (0: not numbered yet);
//! - a change item per numbered change, same partition, `CHG#{seq:016}#{remote}`, body `{"at": unix
//!   seconds}`. Writers never delete one: a reader skips a change item whose mirror carries another
//!   `seq`, and deletes it when the mirror's `seq` is later (superseded) and the item is an hour old.
//!
//! Who numbers: the sync, for every customer mirror it writes while the feed item exists (one
//! allocation per page, [`stamp_page`]); [`record_write`] after a write from SuperOffice; the
//! backfill, one chunk per [`changes_since`] call, for mirrors written before the feed existed.
//!
//! Entry points: [`enable`], [`is_enabled`], [`changes_since`], [`record_write`], [`get`], [`scan`].

mod backfill;
mod layout;
mod read;
mod stamp;
mod state;
mod write;

use crate::domain::records::RemoteCustomer;

pub use layout::{
    CHANGE_PREFIX, FEED_SK, FeedState, SUPERSEDED_AFTER_MINUTES, change_sk, change_start, parse_change_sk,
};
pub use read::{changes_since, get, scan};
pub use stamp::stamp_page;
pub use state::{MAX_ATTEMPTS, allocate, enable, is_enabled, load};
pub use write::record_write;

/// Actors per `GetActorsByTimestamp` answer unless the caller asks fewer: a Lambda response is at
/// most 6 MB and one customer actor is well under 1 KB of SOAP.
pub const DEFAULT_CAP: usize = 2_000;
/// The largest cap a caller may ask (memory of one call).
pub const MAX_CAP: usize = 10_000;

/// One answer of [`changes_since`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedPage {
    /// `(seq, customer)`, ascending by `seq`, each customer at most once.
    pub records: Vec<(u64, RemoteCustomer)>,
    /// More changes wait: the cap was reached, or the backfill is not done yet. Ask again from
    /// the highest `seq` received (that record comes again: "on or after").
    pub more: bool,
}
