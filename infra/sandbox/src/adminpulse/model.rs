//! A relation as the stand-in serves it. The four [S] fields (`id`, `uniqueIdentifier`, `name`,
//! `commercialName`) and the [U] ones the connector reads (`connectors/src/adminpulse/assumptions.rs`):
//! `vatNumber`, `enterpriseNumber`, `email`, `phone` and an `address` object.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Relation {
    pub id: String,
    pub unique_identifier: String,
    pub name: String,
    pub commercial_name: Option<String>,
    pub vat_number: Option<String>,
    pub enterprise_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<RelationAddress>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationAddress {
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub zip_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// One row of the list: a relation, or any JSON a test put there to see a bad row handled.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Relation(Box<Relation>),
    Raw(Value),
}

impl Row {
    pub fn to_json(&self) -> Value {
        match self {
            Row::Relation(r) => serde_json::to_value(r).unwrap_or(Value::Null),
            Row::Raw(v) => v.clone(),
        }
    }
}
