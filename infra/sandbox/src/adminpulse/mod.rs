//! AdminPulse API stand-in: relations with 0-based paging, 480 calls/min, "not ready yet", API-key and OAuth tokens.
//!
//! Contract (the choices the connector makes, `shared/connectors/src/adminpulse/assumptions.rs`;
//! `docs/connectors/adminpulse.md`): `GET /relations?page={n}&pageSize={m}` with `Authorization:
//! Bearer <key or access token>`, `page` 0-based, `pageSize` at most 400 (more is lowered to 400),
//! answer `{results, page, pageSize, pageCount, totalCount}`; 401 for an unknown or revoked
//! bearer; 429 + `Retry-After` above 480 calls per rolling minute per bearer (switchable off);
//! 409 + `Retry-After` with `{"message"}` while "not ready yet" (for a configurable period after
//! a bearer's first call, or on demand); faults on demand (429, 5xx, slow). Bearers are checked
//! by a list of `crate::bearer::BearerAuthority` (the configured API keys first; add an OAuth
//! stand-in with `with_authority` and serve its router with `merge`). The rate limit and the
//! readiness period run on an injectable clock ([`SandboxClock`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::adminpulse::{AdminPulseConfig, AdminPulseSandbox};
//! let ap = AdminPulseSandbox::new(AdminPulseConfig { relations: 1_000, ..Default::default() }).start_local().await?;
//! ap.faults().not_ready_calls(2);
//! println!("{}", ap.base_url()); // the key: `ap.api_key()`, never printed
//! # Ok(()) }
//! ```

pub mod cli;
mod config;
mod generate;
mod handles;
mod limiter;
mod model;
mod readiness;
mod routes;
mod server;
mod state;
mod stats;
mod store;

pub use config::{
    AdminPulseConfig, DEFAULT_PAGE_SIZE, DEMO_API_KEY, MAX_PAGE_SIZE, NOT_READY_MESSAGE, NOT_READY_STATUS,
    RATE_LIMIT_PER_MINUTE, SandboxClock,
};
/// Relation `i` (1-based) as generated for a seed.
pub use generate::relation as generated_relation;
pub use generate::{generated_email, generated_number, generated_vat, has_email, has_vat, is_duplicate};
pub use handles::{AdminPulseData, AdminPulseFaults, AdminPulseStats};
pub use model::{Relation, RelationAddress};
pub use server::{AdminPulseSandbox, RunningAdminPulse};
pub use stats::AdminPulseStatsSnapshot;
