//! The meeting side of a connection: where a meeting's reports, notes and to-dos go
//! (AdminPulse, Brokercloud, Fid-Manager, Odoo, Silverfin, Zoho).
//!
//! The push engine ([`crate::push`]) decides *whether* an item is sent, updated or skipped,
//! through the push ledger; a connector only speaks its provider's API. Rules every connector
//! keeps:
//!
//! - **Creates are never retried blindly.** A create that timed out or met a 5xx may have been
//!   stored. The connector returns the error (`Transport` / `Server`); the engine keeps the item
//!   as *uncertain* and, on the next attempt, calls [`MeetingApi::find`] before creating again.
//!   (429 is safe to retry: nothing was stored; `HttpSeam::send_write` does exactly that.)
//! - **Every created item carries [`PushItem::marker`]** somewhere `find` can read it back
//!   (a description, a note's text, an attachment's description…). The connector's docs say where.
//! - Reads (targets, find) may be retried by the HTTP seam as usual.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::secrets::Credentials;
use super::source::{ConnectorError, ProbeInfo};

/// What a meeting holds, one kind per item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The meeting itself, for providers that hang the items on one record they create first
    /// (AdminPulse: an interaction on the relation's timeline). Only sent when
    /// [`MeetingApi::uses_envelope`] says so.
    Meeting,
    /// A document (PDF, …) made in the meeting.
    Report,
    /// A text note.
    Note,
    /// A to-do, with an optional due date.
    Todo,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Meeting => "meeting",
            ItemKind::Report => "report",
            ItemKind::Note => "note",
            ItemKind::Todo => "todo",
        }
    }
}

/// Something a meeting can be sent to, as listed by the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Target {
    /// The catalog's target kind (`relation`, `party`, `client`, `folder`, `partner`, `event`, `company`).
    pub kind: String,
    /// The provider's id, as text.
    pub id: String,
    /// What the user reads in the picker.
    pub name: String,
    /// Something that tells similar names apart (VAT number, file code, city, an event's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The target a user picked for one meeting on one connection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TargetRef {
    pub kind: String,
    pub id: String,
    /// Fid-Manager: the client's folder the reports go to. `None` elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    /// The name shown when it was picked (for the user's eyes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One page of a target list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetQuery {
    /// A target kind the provider's catalog entry lists.
    pub kind: String,
    /// Text the user typed; connectors search at the provider when it can, else filter the page.
    pub search: Option<String>,
    /// 0-based page number.
    pub page: u32,
    /// For nested kinds (Fid-Manager folders of a client): the parent's id.
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TargetPage {
    pub targets: Vec<Target>,
    /// True when a next page may hold more.
    pub more: bool,
}

/// A report's file.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFile {
    /// File name as the user sees it (`Verslag 2026-11-21.pdf`).
    pub name: String,
    /// MIME type (`application/pdf`).
    pub mime: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for ItemFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemFile")
            .field("name", &self.name)
            .field("mime", &self.mime)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A link to something already sent for the same meeting (Zoho: a report in WorkDrive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLink {
    pub name: String,
    pub url: String,
}

/// One item to create or update at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushItem {
    pub meeting_id: String,
    /// The platform's id of the item, unique within the meeting (`meeting` for the envelope).
    pub item_id: String,
    pub kind: ItemKind,
    /// `koppel-` + 20 hex characters, unique per (tenant, connection, meeting, item). The
    /// connector stores it with the item so that [`MeetingApi::find`] can recognise it later.
    pub marker: String,
    /// Report: its title; note: its title; to-do: its subject; envelope: the meeting's title.
    pub title: String,
    /// Note text, to-do description, report description, envelope summary. Plain text.
    pub text: String,
    /// Reports only.
    pub file: Option<ItemFile>,
    /// To-dos only.
    pub due: Option<NaiveDate>,
    /// To-dos only: already done on the platform.
    pub done: bool,
    pub meeting_title: String,
    pub meeting_at: DateTime<Utc>,
    /// The envelope's remote id, for providers that use one (see [`ItemKind::Meeting`]).
    pub parent: Option<String>,
    /// Links to this meeting's reports as the provider serves them ([`Pushed::link`]); filled
    /// for notes, which are sent after the reports.
    pub links: Vec<ItemLink>,
}

/// What the provider holds for an item after a create (or a find).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pushed {
    /// The provider's id of what was created (for a report sent as several records, the one a
    /// later update or delete needs; extra ids may be joined with `|`).
    pub remote_id: String,
    /// A URL where users open it, when the provider gives one (Zoho WorkDrive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The outcome of sending a changed item again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revision {
    /// Changed in place.
    Updated(Pushed),
    /// A new version was created and the earlier one removed (reports, where the provider can).
    Replaced(Pushed),
    /// The provider cannot change or remove it: the engine leaves the earlier version and says so.
    Unsupported { reason: String },
}

/// An open session for one connection's account. Counts its HTTP calls.
#[async_trait]
pub trait MeetingApi: Send + Sync {
    /// The cheapest authenticated call; the account's name when the provider tells it.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError>;
    /// One page of targets of `query.kind`, searched by `query.search` when given.
    async fn targets(&self, query: &TargetQuery) -> Result<TargetPage, ConnectorError>;
    /// Whether items hang on an envelope record created first (AdminPulse). Default: no.
    fn uses_envelope(&self) -> bool {
        false
    }
    /// The item created earlier for `item.marker` under `target`, if the provider has it.
    async fn find(&self, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError>;
    /// Create the item under `target`. Never retried on timeout or 5xx (see the module docs).
    async fn create(&self, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError>;
    /// Send a changed item whose earlier version is `previous`.
    async fn revise(&self, target: &TargetRef, previous: &Pushed, item: &PushItem) -> Result<Revision, ConnectorError>;
    /// HTTP requests made by this session so far (token calls and retries included).
    fn api_calls(&self) -> u64;
}

/// Opens meeting sessions. `credentials` holds the connection's secret fields merged with its
/// non-secret settings (`Connection::settings`: Odoo URL and database, Fid-Manager office URL,
/// Zoho `api_domain`, Silverfin firm id, …), as for [`super::source::SourceFactory`].
pub trait MeetingFactory: Send + Sync {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError>;
}

/// For processes that push nothing (the sync benchmark, tests of other parts).
pub struct NoMeetings;

impl MeetingFactory for NoMeetings {
    fn open(&self, provider: &str, _: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        Err(ConnectorError::Rejected {
            provider: provider.to_string(),
            status: 0,
            message: format!("Koppel cannot send meetings to '{provider}' in this deployment"),
        })
    }
}
