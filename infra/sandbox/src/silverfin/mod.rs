//! Silverfin API (v4) stand-in: firm-scoped paths, companies and periods paged as bare arrays,
//! remarks (notes and to-dos) per period, permanent documents (multipart), Doorkeeper-style
//! errors, static and OAuth access tokens, faults on demand.
//!
//! Contract (the choices the connector makes, `shared/connectors/src/silverfin/assumptions.rs`;
//! `docs/connectors/silverfin.md`). Every call is `/api/v4/f/{firm}/…` with `Authorization:
//! Bearer`; a firm that is not served answers 404 `{"error":"Firm not found"}`.
//! - `GET /user/firm` → `{id, name}`.
//! - `GET /companies?page=&per_page=` (1-based, at most 200) → bare array; past the end `[]`.
//!   `GET /companies/{id}`; an archived or unknown company answers 404 on every call about it.
//! - `GET /companies/{id}/periods` → bare array `{id, start_date, end_date}` (one per year).
//! - `GET|POST /companies/{id}/periods/{id}/remarks` (`{"text","todo"}` → 201; blank text 422
//!   `{"errors":{"text":["can't be blank"]}}`), `PUT …/remarks/{id}/flag` `{"done"}` (to-dos
//!   only), `DELETE …/remarks/{id}` → 204. No text update (none is documented).
//! - `POST /companies/{id}/permanent_documents` multipart (`parent_id` = 0, `name`, `content`)
//!   → 201 `{id, path, name, type, content_updated_at, document}`; `GET|DELETE …/{id}`;
//!   `GET /companies/{id}/permanent_folders/0?page=&per_page=` → `{id, name, type, children}`.
//! - 401 `{"error":"invalid_token","error_description":"The access token expired"}` (also
//!   "is invalid", "was revoked") with `WWW-Authenticate`; faults: 429 + `Retry-After`, 5xx,
//!   slow, any status + body (403 `insufficient_scope`, 422), and stall after store.
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::silverfin::{SilverfinConfig, SilverfinSandbox};
//! let sf = SilverfinSandbox::new(SilverfinConfig { companies: 600, ..Default::default() }).start_local().await?;
//! sf.faults().stall_after_store(1, std::time::Duration::from_secs(30));
//! println!("{} firm {}", sf.base_url(), sf.firm_id()); // the token: `sf.access_token()`, never printed
//! # Ok(()) }
//! ```

pub mod cli;
mod config;
mod faults;
mod generate;
mod handles;
mod model;
mod multipart;
mod routes;
mod server;
mod state;
mod stats;
mod store;

pub use config::{DEMO_ACCESS_TOKEN, DEMO_FIRM_ID, DEMO_FIRM_NAME, MAX_UPLOAD_BYTES, PER_PAGE, SilverfinConfig};
pub use faults::{SilverfinFault, SilverfinFaultKind};
/// Company `i` (1-based) of the firm at index `firm_index` (0 = the configured firm) for a seed.
pub use generate::company as generated_company;
pub use generate::{company_id as generated_company_id, periods as generated_periods};
pub use handles::{SilverfinData, SilverfinFaults, SilverfinStats};
pub use model::{Company, Document, Period, Remark};
pub use server::{RunningSilverfin, SilverfinSandbox};
pub use stats::SilverfinStatsSnapshot;
pub use store::OTHER_FIRM_COMPANIES;

#[cfg(test)]
mod tests;
