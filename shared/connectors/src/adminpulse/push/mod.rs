//! The meeting side of AdminPulse: a meeting becomes an **interaction** on the chosen relation's
//! timeline, and its items hang on it (`MeetingApi::uses_envelope` is true).
//!
//! | Item | Call | Marker in |
//! |---|---|---|
//! | meeting (envelope) | `POST /interactions` `{relationId, subject, date, text, type}`; `PUT /interactions/{id}` | `text` |
//! | note | `POST /interactions/{id}/notes` `{text}`; `PUT …/notes/{noteId}` | `text` |
//! | report | `POST /documents/add` (multipart: file, relationId, interactionId, name, description); replaced by upload + `DELETE /documents/{id}` | `description` (+ content version) |
//! | to-do | `POST /todos` `{relationId, interactionId, subject, description, deadline, status}`; `PUT /todos/{id}` | `description` |
//!
//! Only `documents/add` and its 50 calls a minute are confirmed; every path, field and the
//! marker's place are [U] and live in [`super::assumptions`] (push section). `find` scans the
//! relation's list (`GET /interactions|/documents|/todos?relationId=`, or the interaction's notes)
//! for the marker. Creates, updates and deletes go through `HttpSeam::send_write` (only 429 is
//! retried); reads through the usual retries; all within the import side's 480-a-minute budget.

mod calls;
mod factory;
mod interaction;
mod notes;
mod reports;
mod session;
mod targets;
mod todos;
pub mod wire;

pub use calls::{PUSH_ACCESS_TOKEN_HINT, PUSH_API_KEY_HINT};
pub use factory::AdminPulseMeetings;
pub use reports::NO_DELETE_REASON;
pub use session::{AdminPulseMeetingSession, TARGET_KIND};
