//! [`ItemStore`] on one SQLite table: `items(pk, sk, body, version, expires_at)`, keyed by
//! `(pk, sk)` without a rowid, so a partition's items sit in sort-key order on disk.
//!
//! Every operation runs inline under a `std::sync::Mutex` (a statement takes microseconds;
//! the lock is never held across an `.await`). Statements are prepared once and cached.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use koppel_core::ports::store::validate_transaction;
use koppel_core::ports::{Clock, Cond, Item, ItemStore, Page, StoreError, SystemClock, TxOp, WriteOp};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::sqlite;
use crate::sqlite_paging::{PageToken, prefix_upper_bound};

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID";

/// `?3` is now: an item whose `expires_at <= now` is gone.
const GET: &str = "SELECT body, version, expires_at FROM items
    WHERE pk = ?1 AND sk = ?2 AND (expires_at IS NULL OR expires_at > ?3)";
const PUT: &str = "INSERT OR REPLACE INTO items (pk, sk, body, version, expires_at)
    VALUES (?1, ?2, ?3, ?4, ?5)";
/// Inserts, or overwrites only an expired item (`?6` is now).
const PUT_IF_ABSENT: &str = "INSERT INTO items (pk, sk, body, version, expires_at)
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (pk, sk) DO UPDATE SET
        body = excluded.body, version = excluded.version, expires_at = excluded.expires_at
    WHERE items.expires_at IS NOT NULL AND items.expires_at <= ?6";
const PUT_IF_VERSION: &str = "UPDATE items SET body = ?3, version = ?4, expires_at = ?5
    WHERE pk = ?1 AND sk = ?2 AND version = ?6 AND (expires_at IS NULL OR expires_at > ?7)";
const DELETE: &str = "DELETE FROM items WHERE pk = ?1 AND sk = ?2";
const DELETE_IF_VERSION: &str = "DELETE FROM items
    WHERE pk = ?1 AND sk = ?2 AND version = ?3 AND (expires_at IS NULL OR expires_at > ?4)";
const PURGE_EXPIRED: &str = "DELETE FROM items WHERE expires_at IS NOT NULL AND expires_at <= ?1";

/// The SQLite item store (`SqliteStore::open(path)` or `SqliteStore::in_memory()`).
pub struct SqliteStore {
    conn: Mutex<Connection>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Open (or create) the store in a SQLite file that other processes may share.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let conn = sqlite::open_file(path.as_ref()).map_err(db)?;
        Self::init(conn)
    }

    /// A private store that lives as long as this value.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(sqlite::open_in_memory().map_err(db)?)
    }

    /// Judge expiry by this clock instead of the system clock (tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Physically remove expired items (they are already invisible); returns how many.
    pub fn purge_expired(&self) -> Result<usize, StoreError> {
        let now = self.now();
        execute(&self.lock(), PURGE_EXPIRED, params![now])
    }

    fn init(conn: Connection) -> Result<Self, StoreError> {
        conn.execute_batch(SCHEMA).map_err(db)?;
        Ok(Self { conn: Mutex::new(conn), clock: Arc::new(SystemClock) })
    }

    fn now(&self) -> i64 {
        sqlite::unix_seconds(self.clock.now())
    }

    /// A panic while the lock was held rolled back its open transaction (rusqlite rolls back
    /// on drop), so a poisoned connection is still consistent.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Items of `pk` with `sk_prefix`, from `start_sk` (inclusive) on, after the token's last key.
    fn range(
        &self,
        pk: &str,
        sk_prefix: &str,
        start_sk: &str,
        limit: usize,
        page_token: Option<&str>,
    ) -> Result<Page, StoreError> {
        if limit == 0 {
            return Err(StoreError::Invalid("a query needs a limit of at least 1".into()));
        }
        let after = page_token.map(|t| PageToken::decode(t, pk, sk_prefix)).transpose()?;
        let upper = prefix_upper_bound(sk_prefix);
        // Both bounds are range conditions on the primary key, so SQLite seeks to the first
        // match and stops at the end of the prefix (no LIKE: `_` and `%` are literal here).
        let first = start_sk.max(sk_prefix);
        let (lower_op, lower) = match &after {
            Some(token) if token.last_sk.as_str() >= first => (">", token.last_sk.as_str()),
            _ => (">=", first),
        };
        let upper_sql = if upper.is_some() { "AND sk < ?3" } else { "AND ?3 IS NULL" };
        let sql = format!(
            "SELECT sk, body, version, expires_at FROM items
             WHERE pk = ?1 AND sk {lower_op} ?2 {upper_sql}
               AND (expires_at IS NULL OR expires_at > ?4)
             ORDER BY sk LIMIT ?5"
        );
        // One row more than asked tells whether another page exists.
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
        let now = self.now();
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&sql).map_err(db)?;
        let rows = stmt
            .query_map(params![pk, lower, upper, now, fetch], |r| {
                Ok(Item {
                    pk: pk.to_string(),
                    sk: r.get(0)?,
                    body: r.get(1)?,
                    version: from_db(r.get(2)?),
                    expires_at: r.get(3)?,
                })
            })
            .map_err(db)?;
        let mut items = rows.collect::<Result<Vec<_>, _>>().map_err(db)?;
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|last| PageToken::encode(pk, &last.sk))
        } else {
            None
        };
        Ok(Page { items, next })
    }
}

#[async_trait]
impl ItemStore for SqliteStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let now = self.now();
        let conn = self.lock();
        get_live(&conn, pk, sk, now).map_err(db)
    }

    async fn batch_get(&self, keys: &[(String, String)]) -> Result<Vec<Item>, StoreError> {
        let now = self.now();
        let mut conn = self.lock();
        // One read transaction: a consistent snapshot, and one lock for all the lookups.
        let tx = conn.transaction().map_err(db)?;
        let mut seen = HashSet::with_capacity(keys.len());
        let mut items = Vec::with_capacity(keys.len());
        for (pk, sk) in keys {
            if seen.insert((pk, sk))
                && let Some(item) = get_live(&tx, pk, sk, now).map_err(db)?
            {
                items.push(item);
            }
        }
        tx.commit().map_err(db)?;
        Ok(items)
    }

    async fn put(&self, item: Item, cond: Cond) -> Result<(), StoreError> {
        let now = self.now();
        let conn = self.lock();
        let Item { pk, sk, body, version, expires_at } = &item;
        let version = to_db(*version);
        match cond {
            Cond::None => execute(&conn, PUT, params![pk, sk, body, version, expires_at]).map(drop),
            Cond::IfAbsent => {
                let changed = execute(&conn, PUT_IF_ABSENT, params![pk, sk, body, version, expires_at, now])?;
                held(changed)
            }
            Cond::IfVersion(expected) => {
                let expected = to_db(expected);
                let changed =
                    execute(&conn, PUT_IF_VERSION, params![pk, sk, body, version, expires_at, expected, now])?;
                held(changed)
            }
        }
    }

    async fn delete(&self, pk: &str, sk: &str, cond: Cond) -> Result<(), StoreError> {
        let now = self.now();
        let mut conn = self.lock();
        match cond {
            Cond::None => execute(&conn, DELETE, params![pk, sk]).map(drop),
            Cond::IfVersion(expected) => {
                held(execute(&conn, DELETE_IF_VERSION, params![pk, sk, to_db(expected), now])?)
            }
            Cond::IfAbsent => {
                // Holds only when nothing live is there; an expired remnant is removed.
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
                if get_live(&tx, pk, sk, now).map_err(db)?.is_some() {
                    return Err(StoreError::ConditionFailed);
                }
                execute(&tx, DELETE, params![pk, sk])?;
                tx.commit().map_err(db)
            }
        }
    }

    async fn query(
        &self,
        pk: &str,
        sk_prefix: &str,
        limit: usize,
        page_token: Option<&str>,
    ) -> Result<Page, StoreError> {
        self.range(pk, sk_prefix, sk_prefix, limit, page_token)
    }

    async fn query_from(
        &self,
        pk: &str,
        sk_prefix: &str,
        start_sk: &str,
        limit: usize,
        page_token: Option<&str>,
    ) -> Result<Page, StoreError> {
        self.range(pk, sk_prefix, start_sk, limit, page_token)
    }

    async fn batch_write(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        if ops.is_empty() {
            return Ok(());
        }
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
        {
            let mut put = tx.prepare_cached(PUT).map_err(db)?;
            let mut delete = tx.prepare_cached(DELETE).map_err(db)?;
            for op in &ops {
                match op {
                    WriteOp::Put(item) => {
                        put.execute(params![item.pk, item.sk, item.body, to_db(item.version), item.expires_at])
                    }
                    WriteOp::Delete { pk, sk } => delete.execute(params![pk, sk]),
                }
                .map_err(db)?;
            }
        }
        tx.commit().map_err(db)
    }

    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), StoreError> {
        validate_transaction(&ops)?;
        let now = self.now();
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
        // Every condition first (the keys are distinct, so no part sees another's write);
        // returning early drops the transaction, which rolls it back.
        for (index, op) in ops.iter().enumerate() {
            let (kind, pk, sk, cond) = match op {
                TxOp::Put { item, cond } => ("put", &item.pk, &item.sk, *cond),
                TxOp::Delete { pk, sk, cond } => ("delete", pk, sk, *cond),
            };
            let live = live_version(&tx, pk, sk, now).map_err(db)?;
            let holds = match cond {
                Cond::None => true,
                Cond::IfAbsent => live.is_none(),
                Cond::IfVersion(expected) => live == Some(expected),
            };
            if !holds {
                return Err(StoreError::TransactionCancelled(format!(
                    "part {index} ({kind} {pk}/{sk}): condition {cond:?} failed"
                )));
            }
        }
        {
            let mut put = tx.prepare_cached(PUT).map_err(db)?;
            let mut delete = tx.prepare_cached(DELETE).map_err(db)?;
            for op in &ops {
                match op {
                    TxOp::Put { item, .. } => {
                        put.execute(params![item.pk, item.sk, item.body, to_db(item.version), item.expires_at])
                    }
                    TxOp::Delete { pk, sk, .. } => delete.execute(params![pk, sk]),
                }
                .map_err(db)?;
            }
        }
        tx.commit().map_err(db)
    }
}

fn get_live(conn: &Connection, pk: &str, sk: &str, now: i64) -> rusqlite::Result<Option<Item>> {
    conn.prepare_cached(GET)?
        .query_row(params![pk, sk, now], |r| {
            Ok(Item {
                pk: pk.to_string(),
                sk: sk.to_string(),
                body: r.get(0)?,
                version: from_db(r.get(1)?),
                expires_at: r.get(2)?,
            })
        })
        .optional()
}

fn execute(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<usize, StoreError> {
    conn.prepare_cached(sql).and_then(|mut s| s.execute(params)).map_err(db)
}

/// A conditional write changed exactly its one row, or its condition did not hold.
fn held(changed: usize) -> Result<(), StoreError> {
    if changed == 1 { Ok(()) } else { Err(StoreError::ConditionFailed) }
}

fn live_version(conn: &Connection, pk: &str, sk: &str, now: i64) -> rusqlite::Result<Option<u64>> {
    Ok(get_live(conn, pk, sk, now)?.map(|item| item.version))
}

/// SQLite integers are i64; versions are u64. The bit pattern round-trips exactly.
fn to_db(version: u64) -> i64 {
    i64::from_ne_bytes(version.to_ne_bytes())
}

fn from_db(version: i64) -> u64 {
    u64::from_ne_bytes(version.to_ne_bytes())
}

fn db(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("sqlite: {e}"))
}

#[cfg(test)]
#[path = "sqlite_store_tests.rs"]
mod tests;
