//! Faults of the meeting side: "timeout after store" (the item is stored, the answer comes
//! later than the client waits) and `documents/add`'s own limit.

use std::time::Duration;

use super::handles::AdminPulseFaults;
use crate::faults::Fault;
use crate::state::lock;

impl AdminPulseFaults {
    /// The next `count` creates under `path_prefix` (`/interactions`, `/documents`, `/todos`; `/`
    /// for all) store their item, then answer only after `delay` (real time): a client whose
    /// timeout is shorter gets no answer although the item exists.
    pub fn timeout_after_store(&self, count: u32, path_prefix: &str, delay: Duration) {
        lock(&self.shared.after_store).push(Fault::slow(count, delay).on_path(path_prefix));
    }
    /// A new `documents/add` limit per window (`None` = off); calls already made still count.
    pub fn set_documents_limit(&self, per_minute: Option<u32>) {
        lock(&self.shared.documents_limiter).set_limit(per_minute);
    }
    /// Forgets the `documents/add` calls the limit has seen (a fresh minute).
    pub fn reset_documents_limit(&self) {
        lock(&self.shared.documents_limiter).reset();
    }
    /// Pending "timeout after store" faults.
    pub fn pending_after_store(&self) -> Vec<Fault> {
        lock(&self.shared.after_store).pending()
    }
}
