//! Zoho CRM v8 + WorkDrive stand-in: events to pick (paged, searchable), notes, tasks and
//! attachments on them, WorkDrive uploads with versions, per-record errors, `INVALID_TOKEN`, and
//! faults on demand (429, 5xx, slow, **timeout after the item was stored**).
//!
//! Contract (the choices of `shared/connectors/src/zoho/assumptions.rs`; `docs/connectors/zoho.md`):
//! every call carries `Authorization: Zoho-oauthtoken <token>` (401 `AUTHENTICATION_FAILURE`
//! without, `INVALID_TOKEN` for an unknown / expired one). CRM under `/crm/v8`: `GET /users?type=
//! CurrentUser`; `GET /Events` (`fields` mandatory, `page`/`per_page` ≤ 200 within record 2,000,
//! newest-modified first), `GET /Events/search` (`word` or one `criteria`; 204 when nothing),
//! `GET /Events/{id}` (204 when missing); `POST /Notes` (parent = an event), `PUT /Notes/{id}`,
//! `GET /Events/{id}/Notes`; `POST /Tasks`, `PUT /Tasks/{id}`, `GET /Tasks/search?criteria=`;
//! `POST|GET /Events/{id}/Attachments` (multipart `file`), `DELETE …/Attachments/{id}`. Writes
//! answer `{"data":[{"code":"SUCCESS","details":{"id"},"status":"success"}]}` or record errors in
//! `data[]` (400; 207 when mixed); a missing event is 400 `INVALID_DATA`. WorkDrive under
//! `/workdrive/api/v1`: `POST /upload` (multipart `content`, `parent_id`, `filename`,
//! `override-name-exist`: `true` adds a version to a file of the same name), `GET /files/{folder}/
//! files`, `PATCH /files/{id}` (`status` 51 = trash); permalinks `GET /workdrive/file/{id}`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::zoho::{ZohoConfig, ZohoSandbox};
//! let zoho = ZohoSandbox::new(ZohoConfig::default()).start_local().await?;
//! zoho.faults().stall_after_store(1, std::time::Duration::from_secs(5));
//! println!("{}", zoho.base_url()); // the connection's api_domain; the token: `zoho.access_token()`
//! let notes = zoho.data().notes_of("4150868100000000001");
//! # let _ = notes; Ok(()) }
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

pub use config::{
    ATTACHMENT_MAX_BYTES, DEMO_ACCESS_TOKEN, DEMO_WORKDRIVE_FOLDER, MAX_PAGED_RECORD, MAX_PER_PAGE,
    WORKDRIVE_MAX_BYTES, ZohoConfig,
};
pub use faults::{WriteFault, WriteFaultKind};
/// Event `i` (1-based) as generated for a seed.
pub use generate::event as generated_event;
pub use handles::{ZohoData, ZohoFaults, ZohoStats};
pub use model::{Attachment, Counts, DriveFile, Event, Lookup, Note, Task};
pub use server::{RunningZoho, ZohoSandbox};
pub use stats::ZohoStatsSnapshot;
