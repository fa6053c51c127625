//! What the stand-in holds, and how each thing looks on the wire (the shapes the connector's
//! assumptions name: bare arrays of companies, periods and remarks; a permanent folder with
//! `children`; ids as numbers).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Company {
    pub id: u64,
    pub firm_id: String,
    pub name: String,
    pub file_code: String,
    pub city: String,
    pub country: String,
    pub organisation_form: String,
    pub created_at: String,
}

impl Company {
    /// A row of `GET /companies` [C2 field list, trimmed].
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "file_code": self.file_code,
            "city": self.city,
            "country": self.country,
            "organisation_form": self.organisation_form,
            "company_type": "company",
            "periods_per_year": 1,
            "created_at": self.created_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub id: u64,
    pub company_id: u64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

impl Period {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "start_date": self.start_date.format("%Y-%m-%d").to_string(),
            "end_date": self.end_date.format("%Y-%m-%d").to_string(),
        })
    }
}

/// A note (`todo: false`) or a to-do (`todo: true`) in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remark {
    pub id: u64,
    pub company_id: u64,
    pub period_id: u64,
    pub text: String,
    pub todo: bool,
    /// When a to-do was flagged done (RFC 3339); `None` while open.
    pub done_at: Option<String>,
    pub created_at: String,
}

impl Remark {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "period_id": self.period_id,
            "text": self.text,
            "todo": self.todo,
            "done_at": self.done_at,
            "done_by": self.done_at.as_ref().map(|_| json!({"id": 1, "name": "Koppel"})),
            "created_at": self.created_at,
        })
    }
}

/// A permanent document (in the root folder, id 0).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub id: u64,
    pub company_id: u64,
    pub parent_id: u64,
    pub name: String,
    pub file_name: String,
    pub content_type: String,
    #[serde(skip)]
    pub content: Vec<u8>,
    pub created_at: String,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("id", &self.id)
            .field("company_id", &self.company_id)
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("len", &self.content.len())
            .finish()
    }
}

impl Document {
    /// The create / detail answer: `{id, path[], name, type, content_updated_at, document{…}}` [C2].
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "path": [self.name],
            "name": self.name,
            "type": "document",
            "content_updated_at": self.created_at,
            "document": {
                "file_name": self.file_name,
                "content_type": self.content_type,
                "size": self.content.len(),
            },
        })
    }

    /// An entry of a folder's `children`.
    pub fn entry(&self) -> Value {
        json!({"id": self.id, "name": self.name, "type": "document", "content_updated_at": self.created_at})
    }
}
