//! The Admin IS / Admin Consult connector (Syneton "Hermes Consult API"): customers, imported
//! in full on a first run and followed through the change feed afterwards
//! (`docs/connectors/admin-is.md`). Facts are tagged as in the provider research
//! (`accounting-crm-newsletter.md` §4: **C** confirmed, **S** third-party code, **U**
//! unconfirmed); every **U** the code depends on is in [`assumptions`].
//!
//! - [`factory`]: [`AdminIsFactory`] (the `SourceFactory` for provider `"admin_is"`). The office's
//!   address comes per connection from the credential field `office_url`, the key from `api_key`.
//! - [`session`]: [`AdminIsSession`]: `probe()` = token + `GET /api/v1/apisettings`;
//!   `fetch_page()` = `GET /api/v1/customers?per_page={MaxRecordsPerPage}` and its `rel="next"`
//!   links (first run), or `GET /api/v1/customer/changes?Filter=…DateAction ge '…'` and then only
//!   the changed customers by `CustomerId in (…)` (later runs). The engine keeps the position
//!   ([`position`]) in its cursor as the page token.
//! - `wire` (private): token (`GET /api/v1/token/{apiKey}` → `TokenGuid`, renewed 30 s before
//!   `TimeToLive`, once more on a 401), the `synetonToken` header and
//!   `Content-Type: application/json;charset=UTF-8` on every call, self-throttling to the
//!   install's `RateLimit` ([`throttle`]), retries of 429/5xx/transport errors and of the
//!   throttling 403 through the injected sleeper, and the call counter (`api_calls()`: every
//!   attempt, token calls included).
//! - [`link`], [`query`], [`rows`], [`errors`], [`settings`], [`token`]: the `link` header (only
//!   links on the office's own origin are followed), URLs and `in (…)` chunks under the URL
//!   limit (a 414 halves the chunk), rows → records, error bodies and the 403s, API settings.
//!
//! Read-only by design: the connector sends GET requests only. `Newsletter` is read-only in Admin
//! IS; Koppel reads it ([`rows::newsletter`]) and never writes it.
//!
//! Secrets: the API key travels only in the token call's path (never logged: call labels are
//! templates, transport errors drop the URL), the token only in the sensitive `synetonToken`
//! header; both are scrubbed from quoted error bodies.

pub mod assumptions;
mod changes;
pub mod errors;
pub mod factory;
mod hints;
pub mod link;
pub mod position;
pub mod query;
mod reader;
pub mod rows;
pub mod session;
pub mod settings;
pub mod throttle;
pub mod token;
mod wire;

pub use factory::{AdminIsFactory, AdminIsOptions};
pub use session::AdminIsSession;

/// The provider's name in messages.
pub const DISPLAY_NAME: &str = "Admin IS";
/// The header that carries the token on every call (S).
pub const TOKEN_HEADER: &str = "synetonToken";
