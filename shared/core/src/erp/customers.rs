//! The chosen Koppel (SnelStart) connection's customers as the actor feed keeps them, in the
//! shapes the use-cases need. The one place the service touches `erp::feed`.

use chrono::{DateTime, Utc};

use super::feed;
use crate::AppError;
use crate::domain::records::RemoteCustomer;
use crate::ports::ItemStore;

/// A customer with its feed sequence number (its `LastModified`).
pub type Record = (u64, RemoteCustomer);

/// Start keeping the feed for the connection (idempotent).
pub async fn enable(store: &dyn ItemStore, tenant: &str, conn: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    feed::enable(store, tenant, conn, now).await
}

/// Customers changed at or after `since`, at most `cap`, ascending; `true` when more wait.
pub async fn changes_since(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    since: u64,
    cap: usize,
    now: DateTime<Utc>,
) -> Result<(Vec<Record>, bool), AppError> {
    let page = feed::changes_since(store, tenant, conn, since, cap, now).await?;
    Ok((page.records, page.more))
}

/// The mirrored customers among `remote_ids`, in the order asked (unknown ones left out).
pub async fn get(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    remote_ids: &[String],
) -> Result<Vec<Record>, AppError> {
    feed::get(store, tenant, conn, remote_ids).await
}

/// One page of every mirrored record (suppliers too).
pub async fn scan(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    token: Option<&str>,
    limit: usize,
) -> Result<(Vec<Record>, Option<String>), AppError> {
    feed::scan(store, tenant, conn, token, limit).await
}

/// After SnelStart stored `customer`: update its mirror (keeping its link to the platform
/// customer) and give it a new sequence number.
pub async fn record_write(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    customer: &RemoteCustomer,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    feed::record_write(store, tenant, conn, customer, None, now).await
}
