//! Handles for tests and tools: faults, the parties and what Koppel stored, stats — while the
//! stand-in serves. Cheap to clone.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::state::Shared;
use super::store::{Party, StoredFile, party_id};
use crate::faults::Fault;
use crate::fid_manager::stats::PushStatsSnapshot;
use crate::state::{lock, read, write};

#[derive(Clone)]
pub struct BrokercloudFaults {
    pub(crate) shared: Arc<Shared>,
}

impl BrokercloudFaults {
    /// Any fault; `Fault::…(…).on_path("/api/v2/parties/5001/files")` limits it to a prefix.
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
    /// The next `count` uploads or deletes do their work, then answer only after `delay`: set
    /// it longer than the client's timeout for "timeout after the item was already stored".
    pub fn timeout_after_store(&self, count: u32, delay: Duration) {
        lock(&self.shared.stalls).push(count, delay);
    }
    /// This token stops working now (access withdrawn): 401 until `restore`.
    pub fn revoke(&self, token: &str) {
        lock(&self.shared.revoked).insert(token.to_string());
    }
    pub fn restore(&self, token: &str) {
        lock(&self.shared.revoked).remove(token);
    }
    /// Every token answers 401 until `restore_all` (for OAuth tokens expiring, see also
    /// `RunningBrokercloud::oauth().expire_access_tokens()`).
    pub fn revoke_all(&self) {
        self.shared.all_revoked.store(true, Ordering::SeqCst);
    }
    pub fn restore_all(&self) {
        self.shared.all_revoked.store(false, Ordering::SeqCst);
        lock(&self.shared.revoked).clear();
    }
    pub fn clear(&self) {
        lock(&self.shared.faults).clear();
        lock(&self.shared.stalls).clear();
    }
    pub fn pending(&self) -> Vec<Fault> {
        lock(&self.shared.faults).pending()
    }
}

#[derive(Clone)]
pub struct BrokercloudData {
    pub(crate) shared: Arc<Shared>,
}

impl BrokercloudData {
    pub fn party_count(&self) -> usize {
        read(&self.shared.store).party_count()
    }
    /// The id of generated party `i` (1-based).
    pub fn generated_party_id(i: usize) -> String {
        party_id(i).to_string()
    }
    pub fn party(&self, id: &str) -> Option<Party> {
        read(&self.shared.store).party(id.trim().parse().ok()?).cloned()
    }
    /// Every party in list order (a copy).
    pub fn parties(&self) -> Vec<Party> {
        read(&self.shared.store).parties().to_vec()
    }
    /// A new company party; its id.
    pub fn add_party(&self, name: &str) -> String {
        write(&self.shared.store).add_party(name).to_string()
    }
    /// Someone deletes a party in Brokercloud.
    pub fn remove_party(&self, id: &str) -> bool {
        id.trim().parse().is_ok_and(|id| write(&self.shared.store).remove_party(id))
    }
    /// Every stored file, oldest first, with its bytes.
    pub fn files(&self) -> Vec<StoredFile> {
        read(&self.shared.store).files().cloned().collect()
    }
    /// The files under one party.
    pub fn files_of(&self, party: &str) -> Vec<StoredFile> {
        self.files().into_iter().filter(|f| f.party_id.to_string() == party.trim()).collect()
    }
    pub fn file(&self, id: &str) -> Option<StoredFile> {
        read(&self.shared.store).file(id.trim().parse().ok()?).cloned()
    }
    /// The file is locked in Brokercloud (e.g. signed): deleting it answers 409. `false` when unknown.
    pub fn lock_file(&self, id: &str) -> bool {
        let Ok(id) = id.trim().parse() else { return false };
        match write(&self.shared.store).file_mut(id) {
            Some(f) => {
                f.locked = true;
                true
            }
            None => false,
        }
    }
}

#[derive(Clone)]
pub struct BrokercloudStats {
    pub(crate) shared: Arc<Shared>,
}

impl BrokercloudStats {
    pub fn snapshot(&self) -> PushStatsSnapshot {
        lock(&self.shared.stats).snapshot()
    }
    pub fn reset(&self) {
        lock(&self.shared.stats).reset();
    }
}
