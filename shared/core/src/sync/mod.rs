//! The sync engine: one connection's streams, page by page, within a time budget.
//!
//! Per page: read mirrors in one batch, decide per record (unchanged → no write), write the
//! page's items in one batch, then save the cursor and the run's progress. A run that stops
//! anywhere resumes from its last saved page; because platform ids are derived from the
//! provider's ids, a page processed twice writes the same items, never duplicates.

pub mod attach;
pub mod cursor;
pub mod customers;
pub mod lease;
pub mod mirror;
pub mod not_ready;
pub mod page;
pub mod records;
pub mod run;
pub mod run_item;
pub mod runlog;
pub mod stream_pass;

pub use run::{SyncOutcome, SyncRequest, run_sync};

/// Rows asked per provider call.
pub const PAGE_SIZE: u32 = 500;
