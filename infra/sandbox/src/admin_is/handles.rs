//! Handles for tests and tools: change the office's data (each change lands in the change feed),
//! inject faults, read stats — while the stand-in serves. Cheap to clone.

use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::faults::{AdminIsFault, AdminIsFaultKind};
use super::model::{Change, Customer, CustomerAddress};
use super::state::Shared;
use super::stats::AdminIsStatsSnapshot;
use crate::state::{lock, read, write};

#[derive(Clone)]
pub struct AdminIsData {
    pub(crate) shared: Arc<Shared>,
}

impl AdminIsData {
    pub fn len(&self) -> usize {
        read(&self.shared.store).len()
    }
    pub fn is_empty(&self) -> bool {
        read(&self.shared.store).is_empty()
    }
    /// Customer ids in order.
    pub fn ids(&self) -> Vec<u64> {
        read(&self.shared.store).customers().map(|c| c.customer_id).collect()
    }
    pub fn customer(&self, id: u64) -> Option<Customer> {
        read(&self.shared.store).customer(id).cloned()
    }
    /// The customer as the API prints it.
    pub fn customer_json(&self, id: u64) -> Option<Value> {
        self.customer(id).and_then(|c| serde_json::to_value(c).ok())
    }
    pub fn addresses(&self, id: u64) -> Vec<CustomerAddress> {
        read(&self.shared.store).addresses_of(id).to_vec()
    }
    pub fn changes(&self) -> Vec<Change> {
        read(&self.shared.store).changes().to_vec()
    }
    /// Edits a customer as a user in Admin IS would; logs an UPDATE now.
    pub fn update(&self, id: u64, change: impl FnOnce(&mut Customer)) -> bool {
        let now = self.shared.config.clock.now();
        write(&self.shared.store).update(id, now, change)
    }
    /// Logs an UPDATE without a change.
    pub fn touch(&self, id: u64) -> bool {
        let now = self.shared.config.clock.now();
        write(&self.shared.store).touch(id, now)
    }
    /// Sets `IsActive` off with today's `DisabledDate`; logs an UPDATE.
    pub fn deactivate(&self, id: u64) -> bool {
        let now = self.shared.config.clock.now();
        let today = now.format("%Y-%m-%d").to_string();
        write(&self.shared.store).update(id, now, |c| {
            c.is_active = false;
            c.disabled_date = Some(today);
        })
    }
    /// Adds a customer (id assigned) with an optional address; logs an INSERT.
    pub fn insert(&self, customer: Customer, address: Option<CustomerAddress>) -> u64 {
        let now = self.shared.config.clock.now();
        write(&self.shared.store).insert(customer, address, now)
    }
    /// Deletes a customer; logs a DELETE.
    pub fn delete(&self, id: u64) -> bool {
        let now = self.shared.config.clock.now();
        write(&self.shared.store).delete(id, now)
    }
    /// Every token issued so far (to check that none leaks into logs).
    pub fn issued_tokens(&self) -> Vec<String> {
        lock(&self.shared.tokens).issued()
    }
}

#[derive(Clone)]
pub struct AdminIsFaults {
    pub(crate) shared: Arc<Shared>,
}

impl AdminIsFaults {
    pub fn inject(&self, fault: AdminIsFault) {
        lock(&self.shared.faults).push(fault);
    }
    pub fn server_error(&self, count: u32, status: u16) {
        self.inject(AdminIsFault::new(AdminIsFaultKind::ServerError { status }, count));
    }
    pub fn slow(&self, count: u32, delay: Duration) {
        self.inject(AdminIsFault::slow(count, delay));
    }
    /// The next `count` API calls answer 401.
    pub fn unauthorized(&self, count: u32) {
        self.inject(AdminIsFault::new(AdminIsFaultKind::Unauthorized, count));
    }
    /// The next `count` calls answer the throttling 403.
    pub fn throttle(&self, count: u32) {
        self.inject(AdminIsFault::new(AdminIsFaultKind::Throttled, count));
    }
    /// The next `count` calls under `path_prefix` answer the permission 403.
    pub fn no_permission(&self, count: u32, path_prefix: &str) {
        self.inject(AdminIsFault::new(AdminIsFaultKind::NoPermission, count).on_path(path_prefix));
    }
    /// Every issued token stops working now.
    pub fn expire_tokens(&self) {
        lock(&self.shared.tokens).expire_all();
    }
    /// Whether the software is active for the office (no token when not).
    pub fn set_vendor_active(&self, active: bool) {
        self.shared.vendor_active.store(active, Ordering::SeqCst);
    }
    /// The enforced limit per rolling minute (`None`: off); `/apisettings` keeps reporting the
    /// configured `RateLimit`.
    pub fn set_rate_limit(&self, limit: Option<u32>) {
        lock(&self.shared.limiter).set_limit(limit);
    }
    pub fn reset_rate_limit(&self) {
        lock(&self.shared.limiter).reset();
    }
    /// `link` headers point to this host (`"evil.example:2100"`) from now on; `None` restores.
    pub fn links_to(&self, host: Option<&str>) {
        *lock(&self.shared.link_host) = host.map(str::to_string);
    }
    pub fn clear(&self) {
        lock(&self.shared.faults).clear();
    }
    pub fn pending(&self) -> Vec<AdminIsFault> {
        lock(&self.shared.faults).pending()
    }
}

#[derive(Clone)]
pub struct AdminIsStats {
    pub(crate) shared: Arc<Shared>,
}

impl AdminIsStats {
    pub fn snapshot(&self) -> AdminIsStatsSnapshot {
        lock(&self.shared.stats).snapshot()
    }
    pub fn reset(&self) {
        lock(&self.shared.stats).reset();
    }
}
