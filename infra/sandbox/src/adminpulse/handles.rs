//! Handles for tests and tools: inject faults, read stats, read and change the relations —
//! while the stand-in serves. Cheap to clone.

use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::model::Relation;
use super::state::Shared;
use super::stats::AdminPulseStatsSnapshot;
use crate::faults::Fault;
use crate::state::{lock, read, write};

#[derive(Clone)]
pub struct AdminPulseFaults {
    pub(crate) shared: Arc<Shared>,
}

impl AdminPulseFaults {
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }
    /// The next `count` calls answer 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limit(&self, count: u32, retry_after_secs: u64) {
        self.inject(Fault::rate_limit(count, retry_after_secs));
    }
    /// The next `count` calls answer `status` (500, 502, 503, …).
    pub fn server_error(&self, count: u32, status: u16) {
        self.inject(Fault::server_error(count, status));
    }
    /// The next `count` calls are answered after `delay` (real time).
    pub fn slow(&self, count: u32, delay: Duration) {
        self.inject(Fault::slow(count, delay));
    }
    /// This bearer stops working now (a key withdrawn in AdminPulse): 401 until `restore`.
    pub fn revoke(&self, bearer: &str) {
        lock(&self.shared.revoked).insert(bearer.to_string());
    }
    pub fn restore(&self, bearer: &str) {
        lock(&self.shared.revoked).remove(bearer);
    }
    /// Every bearer answers 401 until `restore_all`.
    pub fn revoke_all(&self) {
        self.shared.all_revoked.store(true, Ordering::SeqCst);
    }
    pub fn restore_all(&self) {
        self.shared.all_revoked.store(false, Ordering::SeqCst);
        lock(&self.shared.revoked).clear();
    }
    /// The next `calls` calls answer "not ready yet".
    pub fn not_ready_calls(&self, calls: u32) {
        lock(&self.shared.readiness).for_calls(calls);
    }
    /// Every call answers "not ready yet" for `period` from now (on the stand-in's clock).
    pub fn not_ready_for(&self, period: Duration) {
        let until = self.shared.config.clock.now() + chrono::Duration::from_std(period).unwrap_or_default();
        lock(&self.shared.readiness).until(until);
    }
    /// Ready now: on-demand periods end and first uses are forgotten.
    pub fn ready(&self) {
        lock(&self.shared.readiness).clear();
    }
    /// A new rate limit per window (`None` = off); calls already made still count.
    pub fn set_rate_limit(&self, per_minute: Option<u32>) {
        lock(&self.shared.limiter).set_limit(per_minute);
    }
    /// Forgets the calls the rate limit has seen (a fresh minute).
    pub fn reset_rate_limit(&self) {
        lock(&self.shared.limiter).reset();
    }
    pub fn clear(&self) {
        lock(&self.shared.faults).clear();
    }
    pub fn pending(&self) -> Vec<Fault> {
        lock(&self.shared.faults).pending()
    }
}

#[derive(Clone)]
pub struct AdminPulseData {
    pub(crate) shared: Arc<Shared>,
}

impl AdminPulseData {
    /// Rows in the list (bad rows included).
    pub fn len(&self) -> usize {
        read(&self.shared.store).len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn relation(&self, id: &str) -> Option<Relation> {
        read(&self.shared.store).get(id)
    }
    /// Every relation in list order (a copy; for small sets).
    pub fn relations(&self) -> Vec<Relation> {
        read(&self.shared.store).relations()
    }
    /// Someone renames a relation in AdminPulse; `false` when there is no such relation.
    pub fn rename(&self, id: &str, name: &str) -> bool {
        self.update(id, |r| r.name = name.to_string())
    }
    /// Changes a relation in place (the id stays); `false` when there is no such relation.
    pub fn update(&self, id: &str, change: impl FnOnce(&mut Relation)) -> bool {
        write(&self.shared.store).update(id, change)
    }
    /// A new relation at the end of the list; an id in use is refused.
    pub fn add(&self, relation: Relation) -> Result<(), String> {
        write(&self.shared.store).add(relation)
    }
    /// Any JSON as a row at the end of the list (to see a bad row handled).
    pub fn add_raw(&self, row: Value) {
        write(&self.shared.store).add_raw(row);
    }
    pub fn remove(&self, id: &str) -> bool {
        write(&self.shared.store).remove(id)
    }
}

#[derive(Clone)]
pub struct AdminPulseStats {
    pub(crate) shared: Arc<Shared>,
}

impl AdminPulseStats {
    pub fn snapshot(&self) -> AdminPulseStatsSnapshot {
        lock(&self.shared.stats).snapshot()
    }
    pub fn reset(&self) {
        lock(&self.shared.stats).reset();
    }
}
