//! Meeting pushes: a meeting's reports, notes and to-dos sent to the target the user picked on
//! each meeting connection, through the push ledger so that sending again never duplicates.
//!
//! - [`meetings`]: the platform's meetings (`PUT`/`GET`), report contents in their own items.
//! - [`ledger`]: per (connection, meeting, item) the remote id and the content hash.
//! - [`plan`]: what a connection receives of a meeting (its settings, the provider's kinds).
//! - [`send`]: one meeting to one connection; [`item`] decides per item.
//! - [`status`]: which connections can receive a meeting and what was sent ("send afterwards").
//! - [`completed`]: the platform's `meeting.completed` event.
//! - [`targets`]: target lists, cached per connection, refreshed on demand.
//! - [`settings`]: which kinds a connection sends.

pub mod completed;
pub mod input;
pub mod item;
pub mod keys;
pub mod lease;
pub mod ledger;
pub mod meetings;
pub mod plan;
pub mod send;
pub mod settings;
pub mod status;
pub mod targets;

/// Meeting, report and item ids: what the platform uses, restricted so they fit in keys.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
