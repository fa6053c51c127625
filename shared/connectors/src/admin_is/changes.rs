//! An incremental page: one page of `customer/changes` from the window's start, then only the
//! customers it names, fetched with `CustomerId in (…)`. Each record's `modified_on` is the
//! newest `DateAction` of its changes on the page, so the engine's watermark moves with the feed.
//!
//! DELETE rows are skipped: Admin IS has no tombstone Koppel could read, and the platform keeps
//! its customer (as with SnelStart). A customer whose newest change on the page is a DELETE is
//! not fetched; one that is gone anyway is simply not returned.

use chrono::{DateTime, Utc};
use koppel_core::ports::source::{ConnectorError, PageNext, SourcePage};
use reqwest::Url;
use std::collections::HashMap;

use super::assumptions::FEED_MAX_ROWS;
use super::position::Position;
use super::reader::Reader;
use super::session::{AdminIsSession, too_long};
use super::{query, rows};

/// Where the feed is read from.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    /// The window's start (`DateAction ge`).
    pub from: DateTime<Utc>,
    /// The next page of the window's query; `None` asks the query's first page.
    pub next: Option<Url>,
    /// Rows the window's query gave so far.
    pub seen: u64,
    pub newest: Option<DateTime<Utc>>,
}

pub(crate) async fn page(
    session: &AdminIsSession,
    reader: &Reader<'_>,
    window: Window,
) -> Result<SourcePage, ConnectorError> {
    let url = match &window.next {
        Some(next) => next.clone(),
        None => query::feed(&session.wire.api_url(&["customer", "changes"]), window.from, reader.per_page),
    };
    let listed = reader.page(&url, "customer/changes").await.map_err(too_long)?;
    let seen = window.seen + listed.rows.len() as u64;
    let changes: Vec<rows::Change> = listed.rows.iter().filter_map(rows::change).collect();
    let newest = changes.iter().filter_map(|c| c.at).max().max(window.newest);

    // The newest change per customer decides: its time becomes `modified_on`; a DELETE skips it.
    let mut latest: HashMap<&str, (Option<DateTime<Utc>>, bool)> = HashMap::new();
    for c in &changes {
        let entry = latest.entry(c.customer_id.as_str()).or_insert((c.at, c.delete));
        if c.at >= entry.0 {
            *entry = (c.at, c.delete);
        }
    }
    let mut ids: Vec<String> = latest.iter().filter(|(_, (_, delete))| !delete).map(|(id, _)| id.to_string()).collect();
    ids.sort_by_key(|id| id.parse::<u64>().unwrap_or(u64::MAX));
    let deleted = latest.len() - ids.len();
    if deleted > 0 {
        tracing::info!(deleted, "Admin IS reports deleted customers; the platform keeps them");
    }
    let customers = reader.by_ids("customers", "CustomerId", &ids).await?;
    let when: HashMap<String, Option<DateTime<Utc>>> =
        latest.iter().map(|(id, (at, _))| (id.to_string(), *at)).collect();
    let raw_len = customers.len();
    let records = reader.records(customers, |id| when.get(id).copied().flatten()).await?;
    tracing::debug!(changes = listed.rows.len(), customers = raw_len, deleted, "Admin IS change feed page read");

    let next = match listed.next {
        Some(link) => Some(Position::Changes { from: window.from, next: Some(link.to_string()), seen, newest }),
        // The query hit the feed's row cap: ask again from the newest change seen (`ge`).
        None if seen >= FEED_MAX_ROWS => match newest.filter(|n| *n > window.from) {
            Some(n) => Some(Position::Changes { from: n, next: None, seen: 0, newest: None }),
            None => {
                tracing::warn!(seen, "the change feed is full within one second; the rest waits for the next run");
                None
            }
        },
        None => None,
    };
    let next = next.map_or(PageNext::End, |p| PageNext::Token(p.encode()));
    Ok(SourcePage { records, raw_len, next })
}
