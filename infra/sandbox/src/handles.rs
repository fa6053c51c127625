//! Handles for tests and tools: inject faults, read stats, change data — while the sandbox
//! serves. Cheap to clone.

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

use crate::data::Resource;
use crate::error::SandboxError;
use crate::faults::Fault;
use crate::state::{AfterStore, Shared, lock, read, write};
use crate::stats::StatsSnapshot;

#[derive(Clone)]
pub struct Faults {
    pub(crate) shared: Arc<Shared>,
}

impl Faults {
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }
    /// The next `count` requests answer 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limit(&self, count: u32, retry_after_secs: u64) {
        self.inject(Fault::rate_limit(count, retry_after_secs));
    }
    /// The next `count` requests answer `status` (500, 503, …).
    pub fn server_error(&self, count: u32, status: u16) {
        self.inject(Fault::server_error(count, status));
    }
    /// The next `count` requests are answered after `delay`.
    pub fn slow(&self, count: u32, delay: Duration) {
        self.inject(Fault::slow(count, delay));
    }
    /// Every token issued so far stops working now (expiry mid-run).
    pub fn expire_tokens(&self) {
        lock(&self.shared.tokens).expire_all();
    }
    /// The next `count` relatie writes (POST / PUT `/v2/relaties`) store the change and then
    /// answer `status` (500, 502, 503, …): the client cannot tell the write happened.
    pub fn fail_after_store(&self, count: u32, status: u16) {
        let mut queue = lock(&self.shared.after_store);
        queue.extend((0..count).map(|_| AfterStore::ServerError { status }));
    }
    /// The next `count` relatie writes store the change and answer only after `delay` (make it
    /// longer than the client's timeout to play "timeout after storing").
    pub fn slow_after_store(&self, count: u32, delay: Duration) {
        let mut queue = lock(&self.shared.after_store);
        queue.extend((0..count).map(|_| AfterStore::Slow { delay_ms: delay.as_millis() as u64 }));
    }
    /// Drops every pending fault, the after-store ones included.
    pub fn clear(&self) {
        lock(&self.shared.faults).clear();
        lock(&self.shared.after_store).clear();
    }
    pub fn pending(&self) -> Vec<Fault> {
        lock(&self.shared.faults).pending()
    }
}

#[derive(Clone)]
pub struct SandboxData {
    pub(crate) shared: Arc<Shared>,
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

impl SandboxData {
    pub fn len(&self, resource: Resource) -> usize {
        read(&self.shared.data).len(resource)
    }
    pub fn is_empty(&self, resource: Resource) -> bool {
        self.len(resource) == 0
    }
    /// Gives `count` records (spread over the set) a new `modifiedOn` (now) and a new field
    /// value; returns their ids.
    pub fn touch(&self, resource: Resource, count: usize) -> Vec<String> {
        write(&self.shared.data).touch(resource, count, now_ms())
    }
    /// Adds `count` records modified now; returns their ids.
    pub fn add(&self, resource: Resource, count: usize) -> Vec<String> {
        write(&self.shared.data).add(resource, count, now_ms())
    }
    /// Sets one field of one record to any JSON value; `bump_modified` also moves its
    /// `modifiedOn` to now (without it, the change is invisible to a `ModifiedOn` filter).
    pub fn set_field(
        &self,
        resource: Resource,
        id: &str,
        field: &str,
        value: Value,
        bump_modified: bool,
    ) -> Result<(), SandboxError> {
        write(&self.shared.data).set_field(resource, id, field, value, bump_modified, now_ms())
    }
    /// One record as the API would print it.
    pub fn record(&self, resource: Resource, id: &str) -> Option<Value> {
        read(&self.shared.data).record(resource, id)
    }
    /// All ids in API order (modifiedOn, then id).
    pub fn ids_in_order(&self, resource: Resource) -> Vec<String> {
        read(&self.shared.data).ids_in_order(resource)
    }
    pub fn max_modified(&self, resource: Resource) -> Option<DateTime<Utc>> {
        read(&self.shared.data).max_modified(resource).and_then(DateTime::from_timestamp_millis)
    }
}

#[derive(Clone)]
pub struct Stats {
    pub(crate) shared: Arc<Shared>,
}

impl Stats {
    pub fn snapshot(&self) -> StatsSnapshot {
        lock(&self.shared.stats).snapshot()
    }
    pub fn reset(&self) {
        lock(&self.shared.stats).reset();
    }
}
