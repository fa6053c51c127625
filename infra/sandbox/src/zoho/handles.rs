//! Handles for tests and tools: inject faults, read stats, read what clients stored and change
//! the events — while the stand-in serves. Cheap to clone.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::faults::WriteFault;
use super::model::{Attachment, Counts, DriveFile, Event, Note, Task};
use super::state::Shared;
use super::stats::ZohoStatsSnapshot;
use crate::faults::Fault;
use crate::state::{lock, read, write};

#[derive(Clone)]
pub struct ZohoFaults {
    pub(crate) shared: Arc<Shared>,
}

impl ZohoFaults {
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }
    pub fn inject_write(&self, fault: WriteFault) {
        lock(&self.shared.write_faults).push(fault);
    }
    /// The next `count` calls answer 429 `TOO_MANY_REQUESTS` with `Retry-After: retry_after_secs`.
    pub fn rate_limit(&self, count: u32, retry_after_secs: u64) {
        self.inject(Fault::rate_limit(count, retry_after_secs));
    }
    /// The next `count` calls answer `status` (500, 502, 503, …) with `INTERNAL_ERROR`.
    pub fn server_error(&self, count: u32, status: u16) {
        self.inject(Fault::server_error(count, status));
    }
    /// The next `count` calls are answered after `delay` (real time).
    pub fn slow(&self, count: u32, delay: Duration) {
        self.inject(Fault::slow(count, delay));
    }
    /// The next `count` writes are stored, then answered only after `delay` (longer than the
    /// client's timeout: the client sees a timeout although the item exists).
    pub fn stall_after_store(&self, count: u32, delay: Duration) {
        self.inject_write(WriteFault::stall_after_store(count, delay));
    }
    /// The next `count` writes store nothing and answer `status` with a record error in `data[]`
    /// (Zoho does this with 400, and with 2xx on multi-record writes).
    pub fn record_error(&self, count: u32, status: u16, code: &str, message: &str) {
        self.inject_write(WriteFault::record_error(count, status, code, message));
    }
    /// Every access token answers 401 `INVALID_TOKEN` (expired or revoked) until `restore_tokens`.
    pub fn invalidate_tokens(&self) {
        self.shared.tokens_invalid.store(true, Ordering::SeqCst);
    }
    pub fn restore_tokens(&self) {
        self.shared.tokens_invalid.store(false, Ordering::SeqCst);
    }
    pub fn clear(&self) {
        lock(&self.shared.faults).clear();
        lock(&self.shared.write_faults).clear();
    }
    pub fn pending(&self) -> (Vec<Fault>, Vec<WriteFault>) {
        (lock(&self.shared.faults).pending(), lock(&self.shared.write_faults).pending())
    }
}

#[derive(Clone)]
pub struct ZohoData {
    pub(crate) shared: Arc<Shared>,
}

impl ZohoData {
    pub fn events_len(&self) -> usize {
        read(&self.shared.store).events_len()
    }
    pub fn event(&self, id: &str) -> Option<Event> {
        read(&self.shared.store).event(id).cloned()
    }
    /// Every event, newest-modified first (the list order).
    pub fn events(&self) -> Vec<Event> {
        read(&self.shared.store).events_where(|_| true).into_iter().cloned().collect()
    }
    /// A new (or replaced) event, listed first.
    pub fn add_event(&self, event: Event) {
        write(&self.shared.store).add_event(event);
    }
    /// Someone deletes the event in Zoho; `false` when there was none.
    pub fn remove_event(&self, id: &str) -> bool {
        write(&self.shared.store).remove_event(id)
    }
    /// The event's notes in creation order.
    pub fn notes_of(&self, event_id: &str) -> Vec<Note> {
        read(&self.shared.store).notes_of(event_id).into_iter().cloned().collect()
    }
    pub fn note(&self, id: &str) -> Option<Note> {
        read(&self.shared.store).note(id).cloned()
    }
    /// Someone deletes a note in Zoho.
    pub fn delete_note(&self, id: &str) -> bool {
        write(&self.shared.store).delete_note(id)
    }
    pub fn task(&self, id: &str) -> Option<Task> {
        read(&self.shared.store).task(id).cloned()
    }
    /// Every task (id order).
    pub fn tasks(&self) -> Vec<Task> {
        read(&self.shared.store).tasks_where(|_| true).into_iter().cloned().collect()
    }
    /// Tasks whose description holds `text` (e.g. a Koppel marker).
    pub fn tasks_with(&self, text: &str) -> Vec<Task> {
        read(&self.shared.store).tasks_where(|t| t.description.contains(text)).into_iter().cloned().collect()
    }
    pub fn delete_task(&self, id: &str) -> bool {
        write(&self.shared.store).delete_task(id)
    }
    /// The event's attachments (with their bytes) in upload order.
    pub fn attachments_of(&self, event_id: &str) -> Vec<Attachment> {
        read(&self.shared.store).attachments_of(event_id).into_iter().cloned().collect()
    }
    /// A folder's live WorkDrive files (every version's bytes kept) in upload order.
    pub fn workdrive_files(&self, folder: &str) -> Vec<DriveFile> {
        read(&self.shared.store).folder_files(folder).into_iter().cloned().collect()
    }
    /// A WorkDrive file, trashed or not.
    pub fn workdrive_file(&self, id: &str) -> Option<DriveFile> {
        read(&self.shared.store).drive_file(id).cloned()
    }
    /// Items created, updated and deleted per kind since the start (or the last stats reset).
    pub fn counts(&self) -> Counts {
        read(&self.shared.store).counts.clone()
    }
}

#[derive(Clone)]
pub struct ZohoStats {
    pub(crate) shared: Arc<Shared>,
}

impl ZohoStats {
    pub fn snapshot(&self) -> ZohoStatsSnapshot {
        let items = read(&self.shared.store).counts.clone();
        lock(&self.shared.stats).snapshot(items)
    }
    /// Forgets the calls and the item counts (the stored items stay).
    pub fn reset(&self) {
        lock(&self.shared.stats).reset();
        write(&self.shared.store).counts = Counts::default();
    }
}
