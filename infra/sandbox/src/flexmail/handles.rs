//! Handles for tests and tools: inject faults, read stats, read and change data — while the
//! stand-in serves. Cheap to clone.

use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::model::{Contact, CustomField, Import, Interest, Source, Webhook};
use super::state::Shared;
use super::stats::FlexmailStatsSnapshot;
use crate::faults::Fault;
use crate::state::{lock, read, write};

#[derive(Clone)]
pub struct FlexmailFaults {
    pub(crate) shared: Arc<Shared>,
}

impl FlexmailFaults {
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }
    /// The next `count` calls answer 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limit(&self, count: u32, retry_after_secs: u64) {
        self.inject(Fault::rate_limit(count, retry_after_secs));
    }
    /// The next `count` calls answer `status` (500, 503, …).
    pub fn server_error(&self, count: u32, status: u16) {
        self.inject(Fault::server_error(count, status));
    }
    /// The next `count` calls are answered after `delay`.
    pub fn slow(&self, count: u32, delay: Duration) {
        self.inject(Fault::slow(count, delay));
    }
    /// The token stops working now: every call answers 401 until `restore_token`.
    pub fn revoke_token(&self) {
        self.shared.token_revoked.store(true, Ordering::SeqCst);
    }
    pub fn restore_token(&self) {
        self.shared.token_revoked.store(false, Ordering::SeqCst);
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
pub struct FlexmailData {
    pub(crate) shared: Arc<Shared>,
}

impl FlexmailData {
    pub fn contact_count(&self) -> usize {
        read(&self.shared.store).contact_count()
    }
    pub fn unsubscribed_count(&self) -> usize {
        read(&self.shared.store).contacts().iter().filter(|c| !c.subscribed).count()
    }
    pub fn contact(&self, id: u64) -> Option<Contact> {
        let store = read(&self.shared.store);
        store.index_of(id).and_then(|i| store.get(i)).map(|c| store.public(c))
    }
    /// Exact e-mail, case-insensitive.
    pub fn contact_by_email(&self, email: &str) -> Option<Contact> {
        let store = read(&self.shared.store);
        store.index_by_email(email).and_then(|i| store.get(i)).map(|c| store.public(c))
    }
    /// Contacts in id order, `limit` from `offset`.
    pub fn contacts_page(&self, offset: usize, limit: usize) -> Vec<Contact> {
        let store = read(&self.shared.store);
        store.contacts().iter().skip(offset).take(limit).map(|c| store.public(c)).collect()
    }
    /// Every contact (a copy; for small sets).
    pub fn contacts(&self) -> Vec<Contact> {
        self.contacts_page(0, usize::MAX)
    }
    pub fn sources(&self) -> Vec<Source> {
        read(&self.shared.store).sources.clone()
    }
    pub fn custom_fields(&self) -> Vec<CustomField> {
        read(&self.shared.store).fields.clone()
    }
    pub fn interests(&self) -> Vec<Interest> {
        read(&self.shared.store).interests.clone()
    }
    /// The interest with this label (`"nieuwsbrief"`) or name.
    pub fn interest_by_label(&self, label: &str) -> Option<Interest> {
        let store = read(&self.shared.store);
        store.interest_by_label(label).map(|i| store.interests[i].clone())
    }
    pub fn webhooks(&self) -> Vec<Webhook> {
        read(&self.shared.store).webhooks.clone()
    }
    pub fn imports(&self) -> Vec<Import> {
        read(&self.shared.store).imports.clone()
    }
    pub fn import(&self, id: &str) -> Option<Import> {
        let store = read(&self.shared.store);
        store.import_index(id).map(|i| store.imports[i].clone())
    }
    /// Marks a contact unsubscribed in Flexmail without any webhook (for reconciliation);
    /// `false` when there is no such contact.
    pub fn unsubscribe(&self, email: &str) -> bool {
        self.set_subscribed(email, false)
    }
    pub fn set_subscribed(&self, email: &str, subscribed: bool) -> bool {
        let mut store = write(&self.shared.store);
        store.index_by_email(email).and_then(|i| store.set_subscribed(i, subscribed)).is_some()
    }
    /// Sets (or with `Value::Null` clears) one custom field of a contact, as someone editing
    /// in Flexmail would; `false` when the contact or the placeholder is unknown.
    pub fn set_custom_field(&self, email: &str, placeholder: &str, value: Value) -> bool {
        let mut store = write(&self.shared.store);
        let (Some(index), Some(field)) = (store.index_by_email(email), store.field_index(placeholder)) else {
            return false;
        };
        let value = Some(value).filter(|v| !v.is_null());
        let patch = super::store::ContactPatch { values: vec![(field, value)], ..Default::default() };
        store.patch(index, patch).is_ok()
    }
}

#[derive(Clone)]
pub struct FlexmailStats {
    pub(crate) shared: Arc<Shared>,
}

impl FlexmailStats {
    pub fn snapshot(&self) -> FlexmailStatsSnapshot {
        lock(&self.shared.stats).snapshot()
    }
    pub fn reset(&self) {
        lock(&self.shared.stats).reset();
    }
}
