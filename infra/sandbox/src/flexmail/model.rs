//! The records a Flexmail account holds, as tests and tools see them.

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One contact. `custom_fields` holds only the fields with a value, by placeholder;
/// `interests` holds the ids of the interests the contact is subscribed to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub id: u64,
    pub email: String,
    pub first_name: Option<String>,
    pub name: Option<String>,
    pub language: String,
    pub source: u64,
    /// `false` once the contact unsubscribed (globally opted out).
    pub subscribed: bool,
    pub custom_fields: BTreeMap<String, Value>,
    pub interests: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub id: u64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomField {
    pub id: String,
    pub name: String,
    /// `text` or `numeric`.
    #[serde(rename = "type")]
    pub kind: String,
    pub placeholder: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interest {
    pub id: String,
    pub name: String,
    pub label: String,
    pub description: String,
    pub visibility: String,
}

/// A registered webhook. The verification token is never printed by the API or `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: u64,
    pub event_name: String,
    pub target_url: String,
    pub verification_token: Option<String>,
    pub enabled: bool,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("event_name", &self.event_name)
            .field("target_url", &self.target_url)
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    Idle,
    Queued,
    Processing,
    Finished,
    Failed,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Idle => "idle",
            ImportStatus::Queued => "queued",
            ImportStatus::Processing => "processing",
            ImportStatus::Finished => "finished",
            ImportStatus::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub total_added: u64,
    pub total_updated: u64,
    pub total_ignored: u64,
}

/// One record of an import, as posted (`language` and the rest are checked when it runs).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportRecord {
    pub email: String,
    pub first_name: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
    pub custom_fields: BTreeMap<String, Value>,
    pub interest_labels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Import {
    pub id: String,
    pub status: ImportStatus,
    pub resubscribe_blacklisted_contacts: bool,
    pub message: Option<String>,
    pub report: ImportReport,
    pub records: Vec<ImportRecord>,
}
