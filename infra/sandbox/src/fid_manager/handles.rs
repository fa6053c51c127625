//! Handles for tests and tools: faults, the office's data and what Koppel stored, stats — while
//! the stand-in serves. Cheap to clone.

use std::sync::Arc;
use std::time::Duration;

use super::state::Shared;
use super::stats::PushStatsSnapshot;
use super::store::{Client, DocumentStatus, Folder, StoredDocument, client_id};
use crate::faults::Fault;
use crate::state::{lock, read, write};

#[derive(Clone)]
pub struct FidManagerFaults {
    pub(crate) shared: Arc<Shared>,
}

impl FidManagerFaults {
    /// Any fault; `Fault::…(…).on_path("/api/v1/documents")` limits it to paths under a prefix.
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
    /// Every session ends now: the next call with an old token answers 401.
    pub fn expire_sessions(&self) {
        self.shared.expire_sessions();
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
pub struct FidManagerData {
    pub(crate) shared: Arc<Shared>,
}

impl FidManagerData {
    pub fn client_count(&self) -> usize {
        read(&self.shared.store).client_count()
    }
    /// The id of generated client `i` (1-based).
    pub fn generated_client_id(i: usize) -> String {
        client_id(i).to_string()
    }
    pub fn client(&self, id: &str) -> Option<Client> {
        read(&self.shared.store).client(id.trim().parse().ok()?).cloned()
    }
    /// Every client in list order (a copy).
    pub fn clients(&self) -> Vec<Client> {
        read(&self.shared.store).clients(None).into_iter().cloned().collect()
    }
    pub fn folders(&self, client: &str) -> Vec<Folder> {
        let Ok(id) = client.trim().parse() else { return Vec::new() };
        read(&self.shared.store).folders(id).map(<[Folder]>::to_vec).unwrap_or_default()
    }
    /// A new client with the first `folders` standard folders; its id.
    pub fn add_client(&self, name: &str, folders: usize) -> String {
        write(&self.shared.store).add_client(name, folders).to_string()
    }
    /// Someone deletes a client in Fid-Manager.
    pub fn remove_client(&self, id: &str) -> bool {
        id.trim().parse().is_ok_and(|id| write(&self.shared.store).remove_client(id))
    }
    /// Every stored document, oldest first, with its bytes.
    pub fn documents(&self) -> Vec<StoredDocument> {
        read(&self.shared.store).documents().cloned().collect()
    }
    /// The documents linked to one client.
    pub fn documents_of(&self, client: &str) -> Vec<StoredDocument> {
        self.documents().into_iter().filter(|d| d.client_id.to_string() == client.trim()).collect()
    }
    pub fn document(&self, id: &str) -> Option<StoredDocument> {
        read(&self.shared.store).document(id.trim().parse().ok()?).cloned()
    }
    /// The last 1,000 session tokens issued (tests assert none reaches a log).
    pub fn session_tokens(&self) -> Vec<String> {
        lock(&self.shared.issued).clone()
    }
    /// An accountant approves a document: it can no longer be deleted. `false` when unknown.
    pub fn approve(&self, id: &str) -> bool {
        let Ok(id) = id.trim().parse() else { return false };
        match write(&self.shared.store).document_mut(id) {
            Some(d) => {
                d.status = DocumentStatus::Approved;
                true
            }
            None => false,
        }
    }
}

#[derive(Clone)]
pub struct FidManagerStats {
    pub(crate) shared: Arc<Shared>,
}

impl FidManagerStats {
    pub fn snapshot(&self) -> PushStatsSnapshot {
        lock(&self.shared.stats).snapshot()
    }
    pub fn reset(&self) {
        lock(&self.shared.stats).reset();
    }
}
