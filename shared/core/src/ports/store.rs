//! The item store: single-table semantics shared by DynamoDB and SQLite.
//!
//! Every partition key starts with `T#{tenant}` (see [`crate::keys`]), so one tenant's reads
//! can never reach another tenant's items.

use async_trait::async_trait;

/// DynamoDB's limit for one `BatchWriteItem` call; adapters chunk by it.
pub const MAX_BATCH_WRITE: usize = 25;
/// DynamoDB's limit for one `BatchGetItem` call; adapters chunk by it.
pub const MAX_BATCH_GET: usize = 100;
/// DynamoDB's limit for one `TransactWriteItems` call; both adapters refuse more.
pub const MAX_TRANSACT: usize = 100;

/// One stored item. `body` is JSON owned by the use-cases; the store never looks inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub pk: String,
    pub sk: String,
    pub body: String,
    /// Optimistic-concurrency version; the caller sets it.
    pub version: u64,
    /// Unix seconds after which the item is gone (DynamoDB TTL). Expired items are never
    /// returned, even before the backend has physically removed them.
    pub expires_at: Option<i64>,
}

impl Item {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>, body: impl Into<String>) -> Self {
        Self { pk: pk.into(), sk: sk.into(), body: body.into(), version: 0, expires_at: None }
    }
    pub fn with_version(mut self, version: u64) -> Self {
        self.version = version;
        self
    }
    pub fn with_expiry(mut self, unix_seconds: i64) -> Self {
        self.expires_at = Some(unix_seconds);
        self
    }
}

/// Condition of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cond {
    /// Unconditional.
    None,
    /// Only if no (unexpired) item has this key.
    IfAbsent,
    /// Only if the stored item exists and has exactly this version.
    IfVersion(u64),
}

/// One part of an atomic transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxOp {
    Put { item: Item, cond: Cond },
    Delete { pk: String, sk: String, cond: Cond },
}

/// One part of a batch write (unconditional, idempotent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOp {
    Put(Item),
    Delete { pk: String, sk: String },
}

/// A page of a query, in ascending sort-key order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<Item>,
    /// Opaque; pass back to get the next page. `None` when there is no more.
    pub next: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    /// A condition (`IfAbsent`, `IfVersion`) did not hold; nothing was written.
    #[error("the item changed or already exists (condition failed)")]
    ConditionFailed,
    /// A transaction was refused as a whole; nothing was written.
    #[error("the transaction was cancelled: {0}")]
    TransactionCancelled(String),
    /// The request breaks a backend limit (e.g. more than 100 transaction parts).
    #[error("invalid store request: {0}")]
    Invalid(String),
    /// A paging token that this store did not hand out.
    #[error("invalid paging token")]
    BadPageToken,
    /// The backend failed or could not be reached.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait ItemStore: Send + Sync {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError>;
    /// Several items at once (missing ones are left out, order is not kept).
    async fn batch_get(&self, keys: &[(String, String)]) -> Result<Vec<Item>, StoreError>;
    async fn put(&self, item: Item, cond: Cond) -> Result<(), StoreError>;
    async fn delete(&self, pk: &str, sk: &str, cond: Cond) -> Result<(), StoreError>;
    /// Items of one partition whose sort key starts with `sk_prefix`, ascending, at most
    /// `limit` per page.
    async fn query(
        &self,
        pk: &str,
        sk_prefix: &str,
        limit: usize,
        page_token: Option<&str>,
    ) -> Result<Page, StoreError>;
    /// Items of one partition whose sort key starts with `sk_prefix` and is at least `start_sk`,
    /// ascending, at most `limit` per page (a range read: `start_sk` is inclusive; a start below
    /// the prefix reads from the prefix's first item). Expired items are never returned.
    ///
    /// Every adapter implements it as one range on the sort key (SQLite: the primary key;
    /// DynamoDB: `BETWEEN`).
    async fn query_from(
        &self,
        pk: &str,
        sk_prefix: &str,
        start_sk: &str,
        limit: usize,
        page_token: Option<&str>,
    ) -> Result<Page, StoreError>;
    /// Unconditional puts and deletes, any number; adapters chunk to the backend's limit
    /// and retry what the backend left unprocessed.
    async fn batch_write(&self, ops: Vec<WriteOp>) -> Result<(), StoreError>;
    /// All or nothing; at most [`MAX_TRANSACT`] parts, no two on the same key.
    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), StoreError>;
}

/// Check the rules both adapters enforce for a transaction.
pub fn validate_transaction(ops: &[TxOp]) -> Result<(), StoreError> {
    if ops.is_empty() {
        return Err(StoreError::Invalid("a transaction needs at least one part".into()));
    }
    if ops.len() > MAX_TRANSACT {
        return Err(StoreError::Invalid(format!(
            "a transaction may hold at most {MAX_TRANSACT} parts, got {}",
            ops.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for op in ops {
        let key = match op {
            TxOp::Put { item, .. } => (item.pk.as_str(), item.sk.as_str()),
            TxOp::Delete { pk, sk, .. } => (pk.as_str(), sk.as_str()),
        };
        if !seen.insert(key) {
            return Err(StoreError::Invalid(format!("a transaction touches {}/{} twice", key.0, key.1)));
        }
    }
    Ok(())
}

/// Whether an item with this expiry is gone at `now` (unix seconds).
pub fn is_expired(expires_at: Option<i64>, now: i64) -> bool {
    matches!(expires_at, Some(t) if t <= now)
}

/// The smallest string greater than every string that starts with `prefix`, or `None` when
/// there is none (empty prefix, or only `char::MAX`s).
///
/// Both backends compare sort keys as UTF-8 bytes, which orders like code points, so
/// `prefix <= sk < upper` is exactly "sk starts with prefix": the adapters read a prefix (and
/// a range inside one) as one range on the sort key.
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = next_char(last) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

fn next_char(c: char) -> Option<char> {
    match c {
        // The surrogates are not chars; the next one after them is U+E000.
        '\u{D7FF}' => Some('\u{E000}'),
        char::MAX => None,
        _ => char::from_u32(u32::from(c) + 1),
    }
}
