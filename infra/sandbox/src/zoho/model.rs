//! What the stand-in holds: events (generated), and the notes, tasks, attachments and WorkDrive
//! files clients create. Tests read them back through `ZohoData`.

use serde::Serialize;
use serde_json::{Value, json};

/// A lookup field (`What_Id`, `Who_Id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lookup {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: String,
    pub title: String,
    /// ISO 8601 with offset (`2026-03-02T10:00:00+01:00`).
    pub start: String,
    pub end: String,
    /// The account or deal the meeting is about, and its module (`Accounts`, `Deals`).
    pub what: Option<Lookup>,
    pub se_module: Option<String>,
    /// The contact.
    pub who: Option<Lookup>,
    /// Higher = modified more recently (the list is sorted by it, newest first).
    pub modified: u64,
}

impl Event {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "Event_Title": self.title,
            "Start_DateTime": self.start,
            "End_DateTime": self.end,
            "What_Id": self.what,
            "$se_module": self.se_module,
            "Who_Id": self.who,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub id: String,
    /// The parent record (an event's id) and its module.
    pub parent_id: String,
    pub parent_module: String,
    pub title: String,
    pub content: String,
    /// How often it was updated after its creation.
    pub updates: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub id: String,
    pub subject: String,
    pub description: String,
    pub status: String,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    pub what_id: Option<String>,
    pub se_module: Option<String>,
    pub who_id: Option<String>,
    pub updates: u32,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: String,
    pub event_id: String,
    pub file_name: String,
    pub content_type: Option<String>,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("id", &self.id)
            .field("event_id", &self.event_id)
            .field("file_name", &self.file_name)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A WorkDrive file with every uploaded version (the last is current).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct DriveFile {
    pub id: String,
    pub folder: String,
    pub name: String,
    pub permalink: String,
    pub trashed: bool,
    #[serde(skip)]
    pub versions: Vec<Vec<u8>>,
}

impl DriveFile {
    pub fn current(&self) -> &[u8] {
        self.versions.last().map(Vec::as_slice).unwrap_or_default()
    }
}

impl std::fmt::Debug for DriveFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DriveFile")
            .field("id", &self.id)
            .field("folder", &self.folder)
            .field("name", &self.name)
            .field("trashed", &self.trashed)
            .field("versions", &self.versions.len())
            .finish()
    }
}

/// Items created, updated and deleted per kind (`notes`, `tasks`, `attachments`, `workdrive`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: std::collections::BTreeMap<String, u64>,
    pub updated: std::collections::BTreeMap<String, u64>,
    pub deleted: std::collections::BTreeMap<String, u64>,
}

impl Counts {
    pub fn created(&self, kind: &str) -> u64 {
        self.created.get(kind).copied().unwrap_or_default()
    }
    pub fn updated(&self, kind: &str) -> u64 {
        self.updated.get(kind).copied().unwrap_or_default()
    }
    pub fn deleted(&self, kind: &str) -> u64 {
        self.deleted.get(kind).copied().unwrap_or_default()
    }
    pub fn total_created(&self) -> u64 {
        self.created.values().sum()
    }
}
