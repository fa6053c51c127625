//! The Flexmail REST API connector: Koppel's newsletter side (`koppel_core::ports::newsletter`).
//!
//! The HTTP contract it speaks is `docs/connectors/flexmail-wire.md`; facts are tagged as in the
//! provider research (`accounting-crm-newsletter.md` §2: **C** confirmed, **S** third-party code,
//! **U** unconfirmed), and every **U** the code depends on is in [`assumptions`].
//!
//! - [`factory`]: [`FlexmailFactory`] (the `NewsletterFactory` for provider `"flexmail"`). Base URL
//!   [`DEFAULT_BASE_URL`], overridable by the caller from the [`BASE_URL_ENV`] variable. The account
//!   id (digits only) is HTTP Basic's user, the credential field [`TOKEN_FIELD`] its password.
//! - [`session`]: [`FlexmailSession`] (the `NewsletterApi`). **Every method makes exactly one HTTP
//!   request and never retries**: the engine counts each call against the connection's budget
//!   (60 per minute, S) and decides itself when to try again. `api_calls()` counts every request
//!   sent, failed ones included; a call Koppel refuses locally (blank id, more than 500 import
//!   records) sends nothing and is `Rejected { status: 0 }`.
//! - `wire` (private): the one-request transport. It does not use [`crate::http::HttpSeam`]
//!   (whose retry loop and header-less reply do not fit), only its client builder (rustls,
//!   timeouts, redirects off) and `Retry-After` parser. Status mapping: 401 → `Unauthorized`
//!   (hint: Settings > API > Personal access tokens), 403 → `Forbidden`, 429 → `RateLimited`
//!   with `Retry-After`, 5xx → `Server`, other non-2xx → `Rejected` with the provider's message
//!   (≤ 300 characters, secrets scrubbed), no answer or timeout → `Transport`, unreadable JSON →
//!   `Parse`. 409 on subscribe-interest and 404 on unsubscribe-interest / delete-webhook are
//!   successes.
//! - [`hal`], [`rows`], [`bodies`], [`errors`]: HAL lists (`_embedded.item`, missing = empty,
//!   `total`), rows → port types, request bodies, error answers.
//! - [`webhook`]: [`webhook::verify`] (constant-time token check) and [`webhook::parse`] (body →
//!   `NewsletterEvent`, 64 KiB limit) for the receiving endpoint.
//!
//! Secrets: the token lives in a `SecretString`, travels only in the (sensitive) `Authorization`
//! header, is never logged, never `Debug`-printed, and is scrubbed from quoted error bodies. Log
//! lines name calls by template (`GET /contacts/{id}`), never by id or e-mail address.

pub mod assumptions;
pub mod bodies;
pub mod errors;
pub mod factory;
pub mod hal;
pub mod rows;
pub mod session;
pub mod webhook;
mod wire;

pub use factory::{BASE_URL_ENV, DEFAULT_BASE_URL, FactoryError, FlexmailFactory, FlexmailOptions, TOKEN_FIELD};
pub use session::FlexmailSession;
pub use webhook::WebhookError;

/// The provider key of a newsletter connection.
pub const PROVIDER: &str = "flexmail";
/// The provider's name in messages.
pub const DISPLAY_NAME: &str = "Flexmail";
