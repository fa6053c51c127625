//! Fid-Manager office stand-in: sign-in to a session token, clients (paged, searchable) and their
//! folders, "documents to approve" uploaded as multipart, listed, deleted (not once approved).
//!
//! Contract (the choices the connector makes, `shared/connectors/src/fid_manager/assumptions.rs`;
//! `docs/connectors/fid-manager.md` — all [U], Fid-Manager's API is partner-only):
//! - `POST /api/v1/auth/login` `{"username","password","partnerCode"}` → `{"token","expiresIn"}`;
//!   401 wrong user name or password, 403 unknown partner code. Every other call needs
//!   `Authorization: Bearer <token>` (401 `{"message"}` when missing, unknown or expired).
//! - `GET /api/v1/clients?search=&page=&pageSize=` (page 1-based, size ≤ 100) and
//!   `GET /api/v1/clients/{id}/folders` → `{items, page, pageSize, totalCount}`; 404 unknown client.
//! - `POST /api/v1/documents/to-approve` (multipart `clientId`, `folderId`?, `description`, `file`)
//!   → 201 document; validation 400 in ASP.NET's shape, 404 unknown client/folder, 413, 415.
//! - `GET /api/v1/documents?clientId=&search=` (search in file name and description);
//!   `DELETE /api/v1/documents/{id}` → 204, 404, 409 once approved.
//! - Faults on demand: 429 + `Retry-After`, 5xx, slow answers, "timeout after store" (the write is
//!   done, the answer comes late), every session expired. `/_admin/…` over HTTP.
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::fid_manager::{FidManagerConfig, FidManagerSandbox};
//! let fid = FidManagerSandbox::new(FidManagerConfig::default()).start_local().await?;
//! fid.faults().timeout_after_store(1, std::time::Duration::from_secs(5));
//! println!("{} {} documents", fid.base_url(), fid.data().documents().len());
//! # Ok(()) }
//! ```

pub mod cli;
mod config;
mod handles;
pub mod multipart;
mod routes;
mod server;
mod state;
pub mod stats;
mod store;

pub use config::{
    ALLOWED_EXTENSIONS, ApiUser, DEFAULT_PAGE_SIZE, DEMO_PARTNER_CODE, DEMO_PASSWORD, DEMO_USERNAME, FidManagerConfig,
    MAX_FILE_BYTES, MAX_PAGE_SIZE, SandboxClock,
};
pub use handles::{FidManagerData, FidManagerFaults, FidManagerStats};
pub use server::{FidManagerSandbox, RunningFidManager};
pub use stats::PushStatsSnapshot as FidManagerStatsSnapshot;
pub use store::{Client, DocumentStatus, Folder, StoredDocument};
