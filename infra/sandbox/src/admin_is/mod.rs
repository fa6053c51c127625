//! An Admin IS / Admin Consult (Syneton "Hermes Consult API") stand-in, as Koppel's connector
//! reads it (`docs/connectors/admin-is.md`): `GET /api/v1/token/{apiKey}` → `{TokenGuid,
//! TimeToLive}` (unknown key 401; software not active 403; tokens expire on their own or on
//! demand), the `synetonToken` header on every other call (401 without a valid one),
//! `/api/v1/apisettings`, customers, customer addresses and the change feed with `Filter=`,
//! `per_page` (capped at `MaxRecordsPerPage`) and RFC 8288 `link` headers, 404 "Nothing found"
//! for an empty list, the throttling 403 above `RateLimit` per rolling minute (switchable), 414
//! for a too long address, and faults on demand (5xx, slow, 401, throttling and permission 403).
//! It is read-only: every write attempt is refused and counted.
//!
//! Its time comes from a [`StandInClock`] (the system's, or a test's), so token lifetimes, the
//! rate-limit minute and `DateAction` follow a test's clock.
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::admin_is::{AdminIsConfig, AdminIsSandbox};
//! let office = AdminIsSandbox::new(AdminIsConfig { customers: 1_000, ..Default::default() }).start_local().await?;
//! office.faults().server_error(1, 503);
//! office.data().touch(1_001);
//! println!("{}", office.base_url()); // the key: `office.api_key()`, never printed
//! # Ok(()) }
//! ```

pub mod cli;
mod config;
mod faults;
mod filter;
mod generate;
mod handles;
mod limiter;
mod model;
mod routes;
mod server;
mod state;
mod stats;
mod store;
mod tokens;

pub use config::{
    AdminIsConfig, DEMO_API_KEY, FIRST_CUSTOMER_ID, NO_PERMISSION_MESSAGE, StandInClock, THROTTLED_MESSAGE,
    TOKEN_HEADER,
};
pub use faults::{AdminIsFault, AdminIsFaultKind};
pub use generate::customer as generated_customer;
pub use handles::{AdminIsData, AdminIsFaults, AdminIsStats};
pub use model::{Action, Change, Customer, CustomerAddress, DATETIME_FORMAT};
pub use server::{AdminIsSandbox, RunningAdminIs};
pub use stats::AdminIsStatsSnapshot;
