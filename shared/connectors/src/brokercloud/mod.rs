//! Brokercloud meeting connector: a meeting's reports go under the picked party's files
//! ("Bestanden"; no folder choice).
//!
//! Facts are tagged as in the provider research (`meeting-push-and-oauth.md` §4): **C** confirmed
//! by Brokercloud's public REST page (hosts, `/api/v2`, OAuth paths, DataTables paging, party
//! fields), **U** unconfirmed — every U the code depends on is in [`assumptions`] and listed in
//! `docs/connectors/brokercloud.md`; the stand-in (`infra/sandbox/src/brokercloud`) serves the
//! same choices.
//!
//! - [`factory`]: [`BrokercloudMeetings`] (the `MeetingFactory` for provider `"brokercloud"`);
//!   `with_defaults(base_url)` ([`DEFAULT_BASE_URL`], overridable by the caller from
//!   [`BASE_URL_ENV`]) / `with_options(base_url, BrokercloudOptions)`. Bearer: the connection's
//!   OAuth `access_token` (Koppel's generic OAuth refreshes it before the session opens).
//! - [`transport`]: every call through the HTTP seam (reads retried on 429/5xx/timeouts,
//!   uploads and deletes only on 429); 401 → `Unauthorized` "reconnect".
//! - [`targets`]: parties, paged (`start`/`length` 100) and searched (`search[value]`).
//! - [`files`]: upload (multipart, marker in the description), find by marker, replace (delete
//!   the earlier file, then upload; a refused delete → `Unsupported`).
//! - [`wire`], [`errors`]: wire format and error answers.
//!
//! Secrets: the access token travels only in a sensitive `Authorization` header, is never logged
//! or `Debug`-printed, and is scrubbed from quoted answers.

pub mod assumptions;
pub mod errors;
pub mod factory;
pub mod files;
pub mod session;
pub mod targets;
pub mod transport;
pub mod wire;

pub use factory::{
    ACCEPTANCE_BASE_URL, BASE_URL_ENV, BrokercloudMeetings, BrokercloudOptions, DEFAULT_BASE_URL, FactoryError,
};
pub use session::BrokercloudSession;

/// The provider key of a Brokercloud connection.
pub const PROVIDER: &str = koppel_core::domain::catalog_push::BROKERCLOUD;
/// The provider's name in messages.
pub const DISPLAY_NAME: &str = "Brokercloud";
