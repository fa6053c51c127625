//! Test doubles for the import tests: an in-memory item store that counts writes and can be told
//! to fail, a clock the test moves, and sequential ids.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};

use crate::ports::{Clock, Cond, IdGen, Item, ItemStore, Page, StoreError, TxOp, WriteOp};

#[derive(Default)]
pub struct MemStore {
    items: Mutex<BTreeMap<(String, String), Item>>,
    pub writes: AtomicU64,
    /// When set, every batch write fails (a store outage).
    pub fail_writes: AtomicBool,
    /// When not 0, batch writes fail once this many items were written (an outage mid-way).
    pub fail_after: AtomicU64,
}

impl MemStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<(String, String), Item>> {
        self.items.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    /// Every item, for before/after comparisons.
    pub fn snapshot(&self) -> BTreeMap<(String, String), Item> {
        self.lock().clone()
    }
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl ItemStore for MemStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        Ok(self.lock().get(&(pk.to_string(), sk.to_string())).cloned())
    }
    async fn batch_get(&self, keys: &[(String, String)]) -> Result<Vec<Item>, StoreError> {
        let items = self.lock();
        Ok(keys.iter().filter_map(|k| items.get(k).cloned()).collect())
    }
    async fn put(&self, item: Item, _cond: Cond) -> Result<(), StoreError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.lock().insert((item.pk.clone(), item.sk.clone()), item);
        Ok(())
    }
    async fn delete(&self, pk: &str, sk: &str, _cond: Cond) -> Result<(), StoreError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.lock().remove(&(pk.to_string(), sk.to_string()));
        Ok(())
    }
    async fn query(&self, pk: &str, prefix: &str, limit: usize, token: Option<&str>) -> Result<Page, StoreError> {
        let items = self.lock();
        let mut out: Vec<Item> = items
            .range((pk.to_string(), token.unwrap_or(prefix).to_string())..)
            .take_while(|((p, s), _)| p == pk && s.starts_with(prefix))
            .filter(|((_, s), _)| token.is_none_or(|t| s.as_str() > t))
            .map(|(_, i)| i.clone())
            .take(limit + 1)
            .collect();
        let next = (out.len() > limit).then(|| {
            out.truncate(limit);
            out.last().map(|i| i.sk.clone()).unwrap_or_default()
        });
        Ok(Page { items: out, next })
    }
    async fn query_from(
        &self,
        pk: &str,
        prefix: &str,
        start: &str,
        limit: usize,
        token: Option<&str>,
    ) -> Result<Page, StoreError> {
        let from = start.max(prefix);
        let items = self.lock();
        let mut out: Vec<Item> = items
            .range((pk.to_string(), from.to_string())..)
            .take_while(|((p, s), _)| p == pk && s.starts_with(prefix))
            .filter(|((_, s), _)| token.is_none_or(|t| s.as_str() > t))
            .map(|(_, i)| i.clone())
            .take(limit + 1)
            .collect();
        let next = (out.len() > limit).then(|| {
            out.truncate(limit);
            out.last().map(|i| i.sk.clone()).unwrap_or_default()
        });
        Ok(Page { items: out, next })
    }
    async fn batch_write(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        let after = self.fail_after.load(Ordering::SeqCst);
        if self.fail_writes.load(Ordering::SeqCst) || (after > 0 && self.writes() >= after) {
            return Err(StoreError::Unavailable("test outage".into()));
        }
        let mut items = self.lock();
        for op in ops {
            self.writes.fetch_add(1, Ordering::SeqCst);
            match op {
                WriteOp::Put(i) => {
                    items.insert((i.pk.clone(), i.sk.clone()), i);
                }
                WriteOp::Delete { pk, sk } => {
                    items.remove(&(pk, sk));
                }
            }
        }
        Ok(())
    }
    async fn transact(&self, _ops: Vec<TxOp>) -> Result<(), StoreError> {
        Err(StoreError::Invalid("the import does not use transactions".into()))
    }
}

/// A clock that stands still until the test moves it.
pub struct TestClock(AtomicI64);

impl TestClock {
    pub fn new() -> Self {
        Self(AtomicI64::new(1_750_000_000))
    }
    pub fn advance_minutes(&self, m: i64) {
        self.0.fetch_add(m * 60, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        Utc.timestamp_opt(self.0.load(Ordering::SeqCst), 0).single().unwrap_or_default()
    }
}

#[derive(Default)]
pub struct SeqIds(AtomicU64);

impl IdGen for SeqIds {
    fn new_id(&self) -> String {
        format!("01TEST{:06}", self.0.fetch_add(1, Ordering::SeqCst))
    }
}
