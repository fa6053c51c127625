//! Handles for tests and tools: inject faults, expire tokens, read stats, read what was pushed
//! and change companies and periods — while the stand-in serves. Cheap to clone.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::faults::SilverfinFault;
use super::model::{Company, Document, Period, Remark};
use super::state::Shared;
use super::stats::SilverfinStatsSnapshot;
use crate::state::{lock, read, write};

#[derive(Clone)]
pub struct SilverfinFaults {
    pub(crate) shared: Arc<Shared>,
}

impl SilverfinFaults {
    pub fn inject(&self, fault: SilverfinFault) {
        lock(&self.shared.faults).push(fault);
    }
    /// The next `count` calls answer 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limit(&self, count: u32, retry_after_secs: u64) {
        self.inject(SilverfinFault::rate_limit(count, retry_after_secs));
    }
    /// The next `count` calls answer `status` (500, 502, 503, …).
    pub fn server_error(&self, count: u32, status: u16) {
        self.inject(SilverfinFault::server_error(count, status));
    }
    /// The next `count` calls are answered after `delay` (real time).
    pub fn slow(&self, count: u32, delay: Duration) {
        self.inject(SilverfinFault::slow(count, delay));
    }
    /// The next `count` writes store their item, then answer after `delay` (real time): a client
    /// with a shorter timeout sees a timeout although the item is there.
    pub fn stall_after_store(&self, count: u32, delay: Duration) {
        self.inject(SilverfinFault::stall_after_store(count, delay));
    }
    /// The next `count` calls answer 403 `insufficient_scope` (Doorkeeper's body).
    pub fn insufficient_scope(&self, count: u32) {
        let body = serde_json::json!({
            "error": "insufficient_scope",
            "error_description": "The action requires a scope this access token does not have.",
        });
        self.inject(SilverfinFault::answer(count, 403, body));
    }
    /// This token answers 401 "The access token expired" until `restore`.
    pub fn expire(&self, token: &str) {
        lock(&self.shared.expired).insert(token.to_string());
    }
    /// This token answers 401 "The access token was revoked" until `restore`.
    pub fn revoke(&self, token: &str) {
        lock(&self.shared.revoked).insert(token.to_string());
    }
    pub fn restore(&self, token: &str) {
        lock(&self.shared.expired).remove(token);
        lock(&self.shared.revoked).remove(token);
    }
    /// Every token answers 401 (expired) until `restore_all`.
    pub fn expire_all(&self) {
        self.shared.all_expired.store(true, Ordering::SeqCst);
    }
    pub fn restore_all(&self) {
        self.shared.all_expired.store(false, Ordering::SeqCst);
        lock(&self.shared.expired).clear();
        lock(&self.shared.revoked).clear();
    }
    pub fn clear(&self) {
        lock(&self.shared.faults).clear();
    }
    pub fn pending(&self) -> Vec<SilverfinFault> {
        lock(&self.shared.faults).pending()
    }
}

#[derive(Clone)]
pub struct SilverfinData {
    pub(crate) shared: Arc<Shared>,
}

impl SilverfinData {
    /// The configured firm's id.
    pub fn firm_id(&self) -> String {
        self.shared.config.firm_id.clone()
    }
    /// The configured firm's companies in list order (a copy).
    pub fn companies(&self) -> Vec<Company> {
        read(&self.shared.store).companies(&self.shared.config.firm_id)
    }
    /// Companies of any served firm.
    pub fn companies_of(&self, firm: &str) -> Vec<Company> {
        read(&self.shared.store).companies(firm)
    }
    pub fn company(&self, id: u64) -> Option<Company> {
        read(&self.shared.store).company(&self.shared.config.firm_id, id).cloned()
    }
    /// A new company of the configured firm with one period per year of `years`; its id.
    pub fn add_company(&self, name: &str, file_code: &str, years: (i32, i32)) -> Option<u64> {
        write(&self.shared.store).add_company(&self.shared.config.firm_id, name, file_code, years)
    }
    /// Archives a company: out of the list, 404 on every call about it.
    pub fn archive_company(&self, id: u64) -> bool {
        write(&self.shared.store).archive_company(id)
    }
    pub fn periods(&self, company: u64) -> Vec<Period> {
        read(&self.shared.store).periods(company).to_vec()
    }
    /// Replaces a company's periods (e.g. none, or quarters).
    pub fn set_periods(&self, company: u64, periods: Vec<Period>) {
        write(&self.shared.store).set_periods(company, periods);
    }
    /// Every remark (notes and to-dos) of a company, oldest first.
    pub fn remarks(&self, company: u64) -> Vec<Remark> {
        read(&self.shared.store).remarks_of(company)
    }
    /// Every permanent document of a company (with content), oldest first.
    pub fn documents(&self, company: u64) -> Vec<Document> {
        read(&self.shared.store).documents_in(company).into_iter().cloned().collect()
    }
    /// Someone deletes a remark in Silverfin.
    pub fn delete_remark(&self, period: u64, id: u64) -> bool {
        write(&self.shared.store).delete_remark(period, id)
    }
    /// Someone edits a remark's text or done state in Silverfin.
    pub fn update_remark(&self, period: u64, id: u64, change: impl FnOnce(&mut Remark)) -> bool {
        let mut store = write(&self.shared.store);
        match store.remark_mut(period, id) {
            Some(r) => {
                change(r);
                true
            }
            None => false,
        }
    }
    /// Remarks and documents stored, all companies.
    pub fn item_counts(&self) -> (usize, usize) {
        let store = read(&self.shared.store);
        (store.remark_count(), store.document_count())
    }
    /// Every pushed remark and document gone (companies and periods stay).
    pub fn clear_items(&self) {
        write(&self.shared.store).clear_items();
    }
}

#[derive(Clone)]
pub struct SilverfinStats {
    pub(crate) shared: Arc<Shared>,
}

impl SilverfinStats {
    pub fn snapshot(&self) -> SilverfinStatsSnapshot {
        lock(&self.shared.stats).snapshot()
    }
    pub fn reset(&self) {
        lock(&self.shared.stats).reset();
    }
}
