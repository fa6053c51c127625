//! Zoho CRM (+ WorkDrive) meeting connector: a meeting's reports, notes and to-dos go to the Zoho
//! **event** the user picked.
//!
//! Facts are tagged as in the provider research (`meeting-push-and-oauth.md` §1, §8.1: **C**
//! confirmed, **C2** third-party, **U** unconfirmed); every **U** the code depends on, and every
//! choice Koppel makes where Zoho leaves room, is in [`assumptions`]; `docs/connectors/zoho.md`
//! lists them.
//!
//! - [`factory`]: [`ZohoMeetings`] (the `MeetingFactory` for provider `"zoho"`). No base URL: each
//!   connection calls its own data centre's `api_domain` (from the token answer; only
//!   `https://…zohoapis.{tld}` unless [`ZohoOptions::allow_any_api_domain`]), with
//!   `Authorization: Zoho-oauthtoken {access_token}`.
//! - [`session`]: [`ZohoSession`] (the `MeetingApi`). Reads go through the HTTP seam's retries;
//!   writes through `send_write` (only 429 retried). Record errors inside `data[]` are refusals
//!   even on a 2xx.
//! - [`targets`]: the connection test (`GET /users?type=CurrentUser`) and the event picker.
//! - [`reports`] + [`workdrive`]: WorkDrive upload (optional) then the event's attachment.
//! - [`notes`]: `POST /Notes` on the event, text + report links + marker; updated in place.
//! - [`tasks`]: `POST /Tasks` linked to the event's account / deal; updated in place.
//! - [`wire`], [`errors`], [`multipart`]: bodies and answers, error mapping, form encoding.
//!
//! Secrets: the access token lives in a `SecretString`, travels only in the (sensitive)
//! `Authorization` header, is never logged or `Debug`-printed, and is scrubbed from quoted
//! answers. Log lines name calls by template (`POST /Events/{id}/Attachments`).

pub mod assumptions;
pub mod errors;
pub mod factory;
pub mod multipart;
pub mod notes;
pub mod reports;
pub mod session;
pub mod targets;
pub mod tasks;
pub mod wire;
pub mod workdrive;

pub use factory::{FactoryError, ZohoMeetings, ZohoOptions};
pub use session::ZohoSession;

/// The provider key of a Zoho connection.
pub const PROVIDER: &str = koppel_core::domain::catalog_push::ZOHO;
/// The provider's name in messages.
pub const DISPLAY_NAME: &str = "Zoho";
/// The only target kind: an event (a meeting in Zoho CRM's calendar).
pub const TARGET_KIND: &str = "event";
