//! AdminPulse connector: relations imported as platform customers (Bearer token from OAuth or an API key),
//! and meetings sent to a relation as an interaction with its notes, reports and to-dos ([`push`]).
//!
//! Facts are tagged as in the provider research (`accounting-crm-newsletter.md` §3: **C**
//! confirmed, **S** third-party code, **U** unconfirmed); every **U** the code depends on is in
//! [`assumptions`], and `docs/connectors/adminpulse.md` lists them.
//!
//! - [`factory`]: [`AdminPulseFactory`] (the `SourceFactory` for provider `"adminpulse"`). Base URL
//!   [`DEFAULT_BASE_URL`], overridable by the caller from [`BASE_URL_ENV`]. Bearer: the OAuth
//!   `access_token` when the connection has one, else its `api_key`.
//! - [`session`]: [`AdminPulseSession`]. `probe()` = `GET /relations?pageSize=1`; `fetch_page()`
//!   reads the customers stream as `GET /relations?page={n}&pageSize=400`, the page number
//!   travelling in `PageRequest::token` / `PageNext::Token`. Every call goes through the HTTP seam
//!   (429 with `Retry-After`, 5xx and timeouts retried with backoff) and through a rolling-minute
//!   [`budget::CallBudget`] of 480 calls that waits (injected sleeper) before it would overrun.
//!   `api_calls()` counts every attempt.
//! - [`page`], [`rows`], [`errors`]: page arithmetic and the list envelope, relation → customer,
//!   error answers (401 → `Unauthorized` with the "Read relations" hint, 409 → `NotReady`).
//!
//! Secrets: the bearer lives in a `SecretString`, travels only in the (sensitive) `Authorization`
//! header, is never logged or `Debug`-printed, and is scrubbed from quoted error bodies.

pub mod assumptions;
pub mod budget;
pub mod errors;
pub mod factory;
pub mod page;
pub mod push;
pub mod rows;
pub mod session;

pub use errors::Bearer;
pub use factory::{AdminPulseFactory, AdminPulseOptions, BASE_URL_ENV, DEFAULT_BASE_URL, FactoryError};
pub use push::{AdminPulseMeetingSession, AdminPulseMeetings};
pub use session::AdminPulseSession;

/// The provider key of an AdminPulse connection.
pub const PROVIDER: &str = koppel_core::domain::catalog::ADMINPULSE;
/// The provider's name in messages.
pub const DISPLAY_NAME: &str = "AdminPulse";
