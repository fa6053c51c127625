//! The sync function: accepts a Scheduler payload or a `koppel.sync.requested.v1` event,
//! runs the connection within its time budget, and hands over to a continuation event when
//! the budget runs out. The local runner calls [`handle_request`] too.

pub mod event;
pub mod handler;

pub use event::parse_event;
pub use handler::{SyncError, handle, handle_request};
