//! A provider customer waiting for a manual link.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Unmatched {
    pub remote_id: String,
    pub name: String,
    pub customer_number: Option<String>,
    /// The matching key's label (e.g. "VAT number") and the provider's value for it.
    pub matching_key: String,
    pub value: Option<String>,
    /// Why it waits, in a sentence.
    pub reason: String,
    pub hint: String,
    /// Platform customers that matched when there were several.
    pub candidates: Vec<String>,
    pub since: DateTime<Utc>,
}
