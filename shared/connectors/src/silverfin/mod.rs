//! Silverfin connector: a meeting's reports, notes and to-dos sent to a company (dossier) of the
//! firm the user authorized (`koppel_core::ports::meeting`).
//!
//! Facts are tagged as in the provider research (`meeting-push-and-oauth.md` §2, §8.2: **C**
//! confirmed, **C2** secondary source, **U** unconfirmed); every **U** the code depends on, and
//! every choice Koppel makes where the facts leave room, is in [`assumptions`];
//! `docs/connectors/silverfin.md` lists them.
//!
//! - [`factory`]: [`SilverfinMeetings`] (the `MeetingFactory` for provider `"silverfin"`), host
//!   [`DEFAULT_BASE_URL`] (overridable from [`BASE_URL_ENV`] by the caller). Credentials: the OAuth
//!   `access_token` (the engine refreshes it before opening a session) and `firm_id`.
//! - [`session`]: [`SilverfinSession`]; every call is `{host}/api/v4/f/{firm_id}/…` with
//!   `Authorization: Bearer`. Reads go through the seam's retries (429 with `Retry-After`, 5xx,
//!   timeouts); creates, updates and deletes through `send_write` (429 only: a timeout or 5xx may
//!   come after Silverfin stored the item, and the engine then calls `find`).
//! - [`meeting`]: `probe` = `GET /user/firm` (the firm's name); `targets` = companies;
//!   reports → [`documents`] (permanent documents, marker in the name, replaced on change);
//!   notes and to-dos → [`remarks`] (remarks in the period of the meeting date, [`periods`];
//!   marker on the text's last line; to-dos with `todo: true`, done ones flagged).
//! - [`targets`], [`text`], [`multipart`], [`wire`], [`errors`]: the picker with local search,
//!   what Koppel writes, the upload form, what Silverfin sends, error answers.
//!
//! Secrets: the token lives in a `SecretString`, travels only in the (sensitive) `Authorization`
//! header, is never logged or `Debug`-printed, and is scrubbed from quoted error bodies. Log
//! lines name calls by template (`POST /companies/{id}/…`), never by id.

pub mod assumptions;
pub mod documents;
pub mod errors;
pub mod factory;
pub mod meeting;
pub mod multipart;
pub mod periods;
pub mod remarks;
pub mod session;
pub mod targets;
pub mod text;
pub mod wire;

pub use factory::{BASE_URL_ENV, DEFAULT_BASE_URL, FactoryError, SilverfinMeetings, SilverfinOptions};
pub use session::SilverfinSession;

/// The provider key of a Silverfin connection.
pub const PROVIDER: &str = koppel_core::domain::catalog_push::SILVERFIN;
/// The provider's name in messages.
pub const DISPLAY_NAME: &str = "Silverfin";
