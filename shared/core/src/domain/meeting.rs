//! A meeting as the platform hands it to Koppel, and what a connection sends of it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ports::meeting::{ItemKind, TargetRef};

/// Which kinds of item a connection sends (the seed: "Zoho with tasks off, Silverfin without
/// reports"). Kinds the provider cannot take are never sent, whatever is set here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PushSettings {
    pub reports: bool,
    pub notes: bool,
    pub todos: bool,
}

impl Default for PushSettings {
    fn default() -> Self {
        Self { reports: true, notes: true, todos: true }
    }
}

impl PushSettings {
    pub fn sends(&self, kind: ItemKind) -> bool {
        match kind {
            ItemKind::Meeting => true,
            ItemKind::Report => self.reports,
            ItemKind::Note => self.notes,
            ItemKind::Todo => self.todos,
        }
    }
}

/// A report (document) of a meeting. Its bytes are stored in their own item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeetingReport {
    pub id: String,
    pub title: String,
    pub file_name: String,
    pub mime: String,
    /// Size in bytes of the stored content.
    pub size: u64,
    /// SHA-256 of the content, hex (what the ledger compares).
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeetingNote {
    pub id: String,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeetingTodo {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub done: bool,
}

/// A meeting on the platform (`T#{tenant}` / `MEETING#{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Meeting {
    pub id: String,
    pub tenant_id: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub reports: Vec<MeetingReport>,
    #[serde(default)]
    pub notes: Vec<MeetingNote>,
    #[serde(default)]
    pub todos: Vec<MeetingTodo>,
    /// The target picked per connection id.
    #[serde(default)]
    pub targets: BTreeMap<String, TargetRef>,
    /// Set when the platform said the meeting is over (`meeting.completed`).
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub version: u64,
}
