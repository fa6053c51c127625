//! What a meeting leaves in the stand-in, as it serves it and as tests read it back: an
//! interaction on a relation's timeline, notes on an interaction, documents (with their bytes),
//! to-dos. The field names are the connector's [U] choices
//! (`shared/connectors/src/adminpulse/assumptions.rs`, push section). Ids are numbers.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Interaction {
    pub id: u64,
    pub relation_id: String,
    pub subject: String,
    /// ISO 8601, as sent.
    pub date: String,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub created_at: String,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InteractionNote {
    pub id: u64,
    pub interaction_id: u64,
    pub text: String,
    pub created_at: String,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub id: u64,
    pub relation_id: String,
    pub interaction_id: Option<u64>,
    pub name: String,
    pub file_name: String,
    pub content_type: String,
    pub description: String,
    pub size: usize,
    pub created_at: String,
    /// The file itself (not in list answers).
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Todo {
    pub id: u64,
    pub relation_id: String,
    pub interaction_id: Option<u64>,
    pub subject: String,
    pub description: String,
    /// `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// 0 = to do, 1 = in progress, 2 = done (the task convention, [S AP-4]).
    pub status: u8,
    pub created_at: String,
    pub updated_at: Option<String>,
}

impl Todo {
    pub fn done(&self) -> bool {
        self.status == 2
    }
}
