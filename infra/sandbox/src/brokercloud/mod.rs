//! Brokercloud API stand-in: parties with DataTables paging and search, a party's files
//! (multipart upload, list, delete), Bearer tokens (static ones and, with `oauth`, the generic
//! OAuth stand-in's on `/oauth/v2/auth` + `/oauth/v2/token`).
//!
//! Contract (the choices the connector makes, `shared/connectors/src/brokercloud/assumptions.rs`;
//! `docs/connectors/brokercloud.md`):
//! - `GET /api/v2/parties?draw=&start=&length=&search[value]=&columns[0][data]=name&order[0][column]=0
//!   &order[0][dir]=asc` → `{draw, recordsTotal, recordsFiltered, data}` [C]; `length` ≤ 100;
//!   search in name, reference (`A21/1`) and city. `GET /api/v2/parties/{id}` [C].
//! - `GET /api/v2/parties/{id}/files` (DataTables, search in file name and description),
//!   `POST` multipart `file` + `description` → 201 `{id, filename, description, …}`,
//!   `DELETE …/files/{file}` → 204 (409 when locked) [U]; 404 `{"code","message"}` for an
//!   unknown party or file; FOSRest validation 400; 413; 415.
//! - 401 `{"error":"invalid_grant","error_description"}` for a missing, unknown or withdrawn token.
//! - Faults on demand: 429 + `Retry-After`, 5xx, slow answers, "timeout after store", revoked
//!   tokens (and the OAuth stand-in's `expire_access_tokens`). `/_admin/…` over HTTP.
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::brokercloud::{BrokercloudConfig, BrokercloudSandbox};
//! let bc = BrokercloudSandbox::new(BrokercloudConfig { oauth: true, ..Default::default() }).start_local().await?;
//! bc.faults().rate_limit(1, 2);
//! println!("{} {} files", bc.base_url(), bc.data().files().len()); // token: `bc.access_token()`, never printed
//! # Ok(()) }
//! ```

pub mod cli;
mod config;
mod handles;
mod routes;
mod server;
mod state;
mod store;

pub use config::{
    ALLOWED_EXTENSIONS, BrokercloudConfig, DEFAULT_LENGTH, DEMO_ACCESS_TOKEN, MAX_FILE_BYTES, MAX_LENGTH,
};
pub use handles::{BrokercloudData, BrokercloudFaults, BrokercloudStats};
pub use server::{AUTHORIZE_PATH, BrokercloudSandbox, RunningBrokercloud, TOKEN_PATH};
pub use store::{Party, StoredFile};

/// What the stand-in counts (shared with the Fid-Manager stand-in).
pub use crate::fid_manager::stats::PushStatsSnapshot as BrokercloudStatsSnapshot;

#[cfg(test)]
mod tests;
