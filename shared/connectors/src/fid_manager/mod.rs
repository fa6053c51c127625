//! Fid-Manager meeting connector: a meeting's reports go to the office's "documents to approve",
//! linked to the client (and folder) the user picked.
//!
//! Fid-Manager's API is documented only to partners: apart from the per-office address
//! (`https://{office}.fid-manager.be`, C) and the user flow in the seed, every path, field and
//! answer is **U** and lives in [`assumptions`]; `docs/connectors/fid-manager.md` lists them and
//! the stand-in (`infra/sandbox/src/fid_manager`) serves the same choices.
//!
//! - [`factory`]: [`FidManagerMeetings`] (the `MeetingFactory` for provider `"fid_manager"`);
//!   `with_defaults()` / `with_options(FidManagerOptions)`. The office address comes from the
//!   connection (`office_url`), the sign-in from `username`, `password`, `partner_code`.
//! - [`transport`]: sign-in (`POST …/api/v1/auth/login` → session token, cached, renewed before
//!   its end, signed in again once on a 401) and every call through the HTTP seam: reads retried
//!   on 429/5xx/timeouts, uploads and deletes only on 429 (`HttpSeam::send_write`).
//! - [`targets`]: clients (searched and paged by Fid-Manager) and a client's folders.
//! - [`documents`]: upload (multipart, marker in the description), find by marker, replace
//!   (delete the earlier version, then upload; an approved document stays → `Unsupported`).
//! - [`wire`], [`errors`], [`multipart`]: wire format, error answers, the form body.
//!
//! Secrets: password, partner code and session token never reach a log, an error or `Debug`; the
//! token travels in a sensitive `Authorization` header, quoted answers are scrubbed.

pub mod assumptions;
pub mod documents;
pub mod errors;
pub mod factory;
pub mod multipart;
pub mod session;
pub mod targets;
pub mod transport;
pub mod wire;

pub use factory::{FactoryError, FidManagerMeetings, FidManagerOptions};
pub use session::FidManagerSession;

/// The provider key of a Fid-Manager connection.
pub const PROVIDER: &str = koppel_core::domain::catalog_push::FID_MANAGER;
/// The provider's name in messages.
pub const DISPLAY_NAME: &str = "Fid-Manager";
