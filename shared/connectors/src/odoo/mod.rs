//! Odoo connector: a meeting's notes, reports and to-dos sent to a contact (`res.partner`) or a
//! calendar meeting (`calendar.event`) through Odoo's JSON-2 API (Odoo 19+).
//!
//! Facts are tagged as in the provider research (`meeting-push-and-oauth.md` §3, §8.3): **C**
//! confirmed, **C2** third-party, **U** unconfirmed; every **U** the code depends on is in
//! [`assumptions`], and `docs/connectors/odoo.md` lists them.
//!
//! - [`factory`]: [`OdooMeetings`] (the `MeetingFactory` for provider `"odoo"`), no base URL: each
//!   connection brings `server_url` (https, or http on 127.0.0.1), `database` and `api_key`.
//! - [`rpc`]: `POST {server}/json/2/{model}/{method}` with `Authorization: bearer`,
//!   `X-Odoo-Database` and named arguments; reads retried by the HTTP seam, writes only on 429.
//! - [`session`]: probe (`GET /web/version` + `res.users/context_get`), targets, and per kind:
//!   [`note`] (chatter log note via `message_post`), [`report`] (`ir.attachment` + a chatter note
//!   linking it), [`todo`] (`mail.activity` of the to-do type, `action_feedback` when done).
//! - [`errors`]: JSON-2 error bodies → `ConnectorError` (Odoo's `message`, never its `debug`).
//!
//! Every created item carries `PushItem::marker` (a chatter body's last line, an attachment's
//! description, an activity's note) and `find` searches for it with `ilike`.

pub mod assumptions;
pub mod errors;
pub mod factory;
pub mod html;
pub mod note;
pub mod report;
pub mod rpc;
pub mod session;
pub mod settings;
pub mod targets;
pub mod todo;
pub mod wire;

pub use factory::{DEFAULT_PAGE_SIZE, FactoryError, MAX_PAGE_SIZE, OdooMeetings, OdooOptions};
pub use session::OdooSession;

/// The provider key of an Odoo connection.
pub const PROVIDER: &str = koppel_core::domain::catalog_push::ODOO;
/// The provider's name in messages.
pub const DISPLAY_NAME: &str = "Odoo";
