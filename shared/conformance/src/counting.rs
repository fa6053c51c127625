//! An item-store wrapper that counts calls and written items, for tests and the benchmark
//! ("a second run of unchanged data writes no record").

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use koppel_core::ports::store::{Cond, Item, ItemStore, Page, StoreError, TxOp, WriteOp};

#[derive(Default, Debug)]
pub struct Counts {
    /// Items asked for: a `get` counts 1, a `batch_get` of 60 keys counts 60, a query 1.
    pub reads: AtomicU64,
    /// Calls by kind, for "this use-case makes exactly one get and one query".
    pub gets: AtomicU64,
    pub batch_gets: AtomicU64,
    /// `query` and `query_from` calls.
    pub queries: AtomicU64,
    /// Items put or deleted (a batch of 60 counts 60).
    pub writes: AtomicU64,
    /// Written items whose sort key starts with one of the record prefixes (`R#`, `CUS#`, `INV#`, `PAY#`).
    pub record_writes: AtomicU64,
}

impl Counts {
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }
    pub fn record_writes(&self) -> u64 {
        self.record_writes.load(Ordering::Relaxed)
    }
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }
    pub fn gets(&self) -> u64 {
        self.gets.load(Ordering::Relaxed)
    }
    pub fn batch_gets(&self) -> u64 {
        self.batch_gets.load(Ordering::Relaxed)
    }
    pub fn queries(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }
    pub fn reset(&self) {
        self.reads.store(0, Ordering::Relaxed);
        self.gets.store(0, Ordering::Relaxed);
        self.batch_gets.store(0, Ordering::Relaxed);
        self.queries.store(0, Ordering::Relaxed);
        self.writes.store(0, Ordering::Relaxed);
        self.record_writes.store(0, Ordering::Relaxed);
    }
}

pub struct CountingStore {
    inner: Arc<dyn ItemStore>,
    pub counts: Arc<Counts>,
}

impl CountingStore {
    pub fn new(inner: Arc<dyn ItemStore>) -> Self {
        Self { inner, counts: Arc::new(Counts::default()) }
    }
    fn wrote(&self, sk: &str) {
        self.counts.writes.fetch_add(1, Ordering::Relaxed);
        if ["R#", "CUS#", "INV#", "PAY#"].iter().any(|p| sk.starts_with(p)) {
            self.counts.record_writes.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[async_trait::async_trait]
impl ItemStore for CountingStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        self.counts.reads.fetch_add(1, Ordering::Relaxed);
        self.counts.gets.fetch_add(1, Ordering::Relaxed);
        self.inner.get(pk, sk).await
    }
    async fn batch_get(&self, keys: &[(String, String)]) -> Result<Vec<Item>, StoreError> {
        self.counts.reads.fetch_add(keys.len() as u64, Ordering::Relaxed);
        self.counts.batch_gets.fetch_add(1, Ordering::Relaxed);
        self.inner.batch_get(keys).await
    }
    async fn put(&self, item: Item, cond: Cond) -> Result<(), StoreError> {
        self.wrote(&item.sk);
        self.inner.put(item, cond).await
    }
    async fn delete(&self, pk: &str, sk: &str, cond: Cond) -> Result<(), StoreError> {
        self.wrote(sk);
        self.inner.delete(pk, sk, cond).await
    }
    async fn query(&self, pk: &str, prefix: &str, limit: usize, token: Option<&str>) -> Result<Page, StoreError> {
        self.counts.reads.fetch_add(1, Ordering::Relaxed);
        self.counts.queries.fetch_add(1, Ordering::Relaxed);
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
        self.counts.reads.fetch_add(1, Ordering::Relaxed);
        self.counts.queries.fetch_add(1, Ordering::Relaxed);
        self.inner.query_from(pk, prefix, start, limit, token).await
    }
    async fn batch_write(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        for op in &ops {
            match op {
                WriteOp::Put(i) => self.wrote(&i.sk),
                WriteOp::Delete { sk, .. } => self.wrote(sk),
            }
        }
        self.inner.batch_write(ops).await
    }
    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), StoreError> {
        for op in &ops {
            match op {
                TxOp::Put { item, .. } => self.wrote(&item.sk),
                TxOp::Delete { sk, .. } => self.wrote(sk),
            }
        }
        self.inner.transact(ops).await
    }
}
