//! The ERP benchmark's store: the embedded SQLite store, counted by kind of call (gets,
//! batch-gets and their keys, queries, writes) and, while recording, with the key of every read
//! written down — to show what one call of the connector reads.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use koppel_core::ports::store::{Cond, Item, ItemStore, Page, StoreError, TxOp, WriteOp};

/// Counts so far (subtract two to get one call's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadCounts {
    pub gets: u64,
    pub batch_gets: u64,
    pub batch_keys: u64,
    pub queries: u64,
    pub writes: u64,
}

impl ReadCounts {
    pub fn since(self, before: ReadCounts) -> ReadCounts {
        ReadCounts {
            gets: self.gets - before.gets,
            batch_gets: self.batch_gets - before.batch_gets,
            batch_keys: self.batch_keys - before.batch_keys,
            queries: self.queries - before.queries,
            writes: self.writes - before.writes,
        }
    }
    /// Items asked for: a get 1, a batch-get its keys, a query 1.
    pub fn reads(&self) -> u64 {
        self.gets + self.batch_keys + self.queries
    }
}

#[derive(Default)]
pub struct ReadLog {
    gets: AtomicU64,
    batch_gets: AtomicU64,
    batch_keys: AtomicU64,
    queries: AtomicU64,
    writes: AtomicU64,
    recording: AtomicBool,
    lines: Mutex<Vec<String>>,
}

impl ReadLog {
    pub fn counts(&self) -> ReadCounts {
        ReadCounts {
            gets: self.gets.load(Ordering::Relaxed),
            batch_gets: self.batch_gets.load(Ordering::Relaxed),
            batch_keys: self.batch_keys.load(Ordering::Relaxed),
            queries: self.queries.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
        }
    }

    /// Start writing down every read (clears what was written before).
    pub fn record(&self) {
        if let Ok(mut l) = self.lines.lock() {
            l.clear();
        }
        self.recording.store(true, Ordering::Relaxed);
    }

    /// Stop, and return the reads written down.
    pub fn take(&self) -> Vec<String> {
        self.recording.store(false, Ordering::Relaxed);
        self.lines.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default()
    }

    fn note(&self, line: impl FnOnce() -> String) {
        if self.recording.load(Ordering::Relaxed)
            && let Ok(mut l) = self.lines.lock()
        {
            l.push(line());
        }
    }
}

/// Tenant and connection ids in a key, shortened for the report.
fn short(key: &str) -> String {
    key.split('#')
        .map(|p| {
            if p.chars().count() > 12 { format!("{}…", p.chars().take(8).collect::<String>()) } else { p.to_string() }
        })
        .collect::<Vec<_>>()
        .join("#")
}

pub struct RecordingStore {
    inner: Arc<dyn ItemStore>,
    pub log: Arc<ReadLog>,
}

impl RecordingStore {
    pub fn new(inner: Arc<dyn ItemStore>) -> Self {
        Self { inner, log: Arc::new(ReadLog::default()) }
    }
}

#[async_trait::async_trait]
impl ItemStore for RecordingStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        self.log.gets.fetch_add(1, Ordering::Relaxed);
        self.log.note(|| format!("get {} / {}", short(pk), short(sk)));
        self.inner.get(pk, sk).await
    }
    async fn batch_get(&self, keys: &[(String, String)]) -> Result<Vec<Item>, StoreError> {
        self.log.batch_gets.fetch_add(1, Ordering::Relaxed);
        self.log.batch_keys.fetch_add(keys.len() as u64, Ordering::Relaxed);
        self.log.note(|| {
            let first = keys.first().map(|(p, s)| format!("{} / {}", short(p), short(s))).unwrap_or_default();
            format!("batch_get {} keys ({first} …)", keys.len())
        });
        self.inner.batch_get(keys).await
    }
    async fn put(&self, item: Item, cond: Cond) -> Result<(), StoreError> {
        self.log.writes.fetch_add(1, Ordering::Relaxed);
        self.inner.put(item, cond).await
    }
    async fn delete(&self, pk: &str, sk: &str, cond: Cond) -> Result<(), StoreError> {
        self.log.writes.fetch_add(1, Ordering::Relaxed);
        self.inner.delete(pk, sk, cond).await
    }
    async fn query(&self, pk: &str, prefix: &str, limit: usize, token: Option<&str>) -> Result<Page, StoreError> {
        self.log.queries.fetch_add(1, Ordering::Relaxed);
        self.log.note(|| format!("query {} / {}* (limit {limit})", short(pk), short(prefix)));
        self.inner.query(pk, prefix, limit, token).await
    }
    async fn query_from(
        &self,
        pk: &str,
        prefix: &str,
        start: &str,
        limit: usize,
        token: Option<&str>,
    ) -> Result<Page, StoreError> {
        self.log.queries.fetch_add(1, Ordering::Relaxed);
        self.log
            .note(|| format!("query_from {} / {}* from {} (limit {limit})", short(pk), short(prefix), short(start)));
        self.inner.query_from(pk, prefix, start, limit, token).await
    }
    async fn batch_write(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        self.log.writes.fetch_add(ops.len() as u64, Ordering::Relaxed);
        self.inner.batch_write(ops).await
    }
    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), StoreError> {
        self.log.writes.fetch_add(ops.len() as u64, Ordering::Relaxed);
        self.inner.transact(ops).await
    }
}
