//! Odoo JSON-2 API stand-in (Odoo 19): contacts and calendar meetings to pick, chatter notes,
//! attachments and activities to push, per database with its API keys, and faults on demand.
//!
//! Contract (the choices the connector makes, `shared/connectors/src/odoo/assumptions.rs`;
//! `docs/connectors/odoo.md`): `GET /web/version`; `POST /json/2/{model}/{method}` with
//! `Authorization: bearer <key>` and `X-Odoo-Database` (optional with one database), the body's
//! `ids`, `context` and named arguments, checked like Odoo's `signature.bind` (unknown or missing
//! argument: 422). Models: `res.partner`, `calendar.event` (both with a chatter), `mail.message`,
//! `ir.attachment`, `mail.activity`, `ir.model`, `mail.activity.type`, `mail.message.subtype`,
//! `res.users`; methods `search_read`, `search`, `search_count`, `read`, `name_search`, `create`
//! (`vals_list`), `write` (`vals`), `unlink`, `message_post`, `mail.activity/action_feedback`,
//! `res.users/context_get`, `ir.model.data/check_object_reference`. Domains with `=`, `!=`,
//! `ilike`, `in`, comparisons, `&`, `|`, `!`; `offset`/`limit`/`order` paging; archived rows hidden
//! unless `context.active_test` is false. Errors as JSON-2 sends them (`{name, message, arguments,
//! context, debug}`): 401 "Invalid apikey", 404 `MissingError` for a deleted record, 422 for bad
//! arguments and `UserError`s, 500 for unknown fields.
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::odoo::{OdooConfig, OdooSandbox};
//! let odoo = OdooSandbox::new(OdooConfig { partners: 1_000, ..Default::default() }).start_local().await?;
//! odoo.faults().cut_after_store(1);
//! println!("{} {}", odoo.base_url(), odoo.database()); // the key: `odoo.api_key()`, never printed
//! # Ok(()) }
//! ```

pub mod cli;
mod config;
mod domain;
mod error;
mod faults;
mod generate;
mod handles;
mod mail;
mod methods;
mod model;
mod routes;
mod server;
mod state;
mod stats;
mod store;

pub use config::{BOT_PARTNER_ID, BOT_UID, DEMO_API_KEY, DEMO_DATABASE, OdooConfig, OdooKey};
pub use faults::{OdooFault, OdooFaultKind};
pub use generate::{
    EVENT_BASE, EVENT_MODEL_ID, PARTNER_BASE, PARTNER_MODEL_ID, SUBTYPE_ACTIVITIES, SUBTYPE_NOTE, TODO_TYPE_ID,
};
pub use handles::{OdooData, OdooFaults, OdooStats, StoredActivity, StoredAttachment, StoredMessage};
pub use model::{ACTIVITY, ATTACHMENT, EVENT, MESSAGE, PARTNER};
pub use server::{OdooSandbox, RunningOdoo};
pub use stats::OdooStatsSnapshot;
pub use store::Changes;
