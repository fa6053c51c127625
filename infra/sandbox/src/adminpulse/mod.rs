//! AdminPulse API stand-in: relations with 0-based paging and search, 480 calls/min, "not ready yet", API-key and
//! OAuth tokens; and the meeting side: interactions with notes, documents (`documents/add`, 50 calls/min), to-dos.
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
//! Meetings (the connector's [U] choices, `docs/connectors/adminpulse.md` "Meetings"): `POST
//! /interactions` `{relationId, subject, date, text, type}`, `GET /interactions?relationId=`, `PUT
//! /interactions/{id}`; `POST|GET /interactions/{id}/notes`, `PUT /interactions/{id}/notes/{noteId}`;
//! `POST /documents/add` (multipart `file`, `relationId`, `interactionId`, `name`, `description`;
//! 50 calls a minute per bearer, 429 + `Retry-After` above), `GET /documents?relationId=`, `DELETE
//! /documents/{id}`; `POST /todos` `{relationId, interactionId, subject, description, deadline,
//! status}`, `GET /todos?relationId=`, `PUT /todos/{id}`. Ids are numbers; 404 for an unknown
//! relation or record, 400 with `{"message"}` for bad input. Read back what was stored with
//! [`AdminPulseData`] (`interactions`, `notes`, `documents`, `todos`); "timeout after store" with
//! [`AdminPulseFaults::timeout_after_store`]; items created / updated / deleted in the stats.
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
mod push_faults;
mod push_handles;
mod push_model;
mod push_store;
mod readiness;
mod routes;
mod server;
mod state;
mod stats;
mod store;

pub use config::{
    AdminPulseConfig, DEFAULT_PAGE_SIZE, DEMO_API_KEY, DOCUMENTS_PER_MINUTE, MAX_PAGE_SIZE, NOT_READY_MESSAGE,
    NOT_READY_STATUS, RATE_LIMIT_PER_MINUTE, SandboxClock,
};
/// Relation `i` (1-based) as generated for a seed.
pub use generate::relation as generated_relation;
pub use generate::{generated_email, generated_number, generated_vat, has_email, has_vat, is_duplicate};
pub use handles::{AdminPulseData, AdminPulseFaults, AdminPulseStats};
pub use model::{Relation, RelationAddress};
pub use push_model::{Document, Interaction, InteractionNote, Todo};
pub use routes::{MAX_DOCUMENT_BYTES, MAX_SUBJECT};
pub use server::{AdminPulseSandbox, RunningAdminPulse};
pub use stats::AdminPulseStatsSnapshot;
