//! What the stand-in holds, in the shapes Admin IS answers with on GET (field names as the Python
//! SDK maps them): customers, their addresses, and the change log.

use chrono::NaiveDateTime;
use serde::Serialize;

/// `YYYY-MM-DDTHH:MM:SS`, no zone: how the stand-in prints datetimes (the office's frame).
pub const DATETIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Customer {
    pub customer_id: u64,
    pub name: String,
    pub firstname: Option<String>,
    pub commercial_name: Option<String>,
    pub is_company: bool,
    #[serde(rename = "VATNr")]
    pub vat_nr: Option<String>,
    pub registration_nr: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub cust_code: Option<String>,
    pub language: String,
    pub is_active: bool,
    pub disabled_date: Option<String>,
    pub creation_date: String,
    /// Read-only through the API: no route writes it.
    pub newsletter: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerAddress {
    pub customer_address_id: u64,
    pub customer_id: u64,
    /// Street with number and box, as GET prints it.
    pub street1: String,
    pub street_name: String,
    pub house_nr: String,
    pub house_box: Option<String>,
    pub zip_code: String,
    pub city: String,
    pub country_code: String,
    pub registered_office: bool,
    pub invoice_address: bool,
    pub postal_address: bool,
}

/// One change-log row (`customer/changes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub log_id: u64,
    pub action: Action,
    pub table: &'static str,
    pub id: u64,
    pub own_id: u64,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Insert,
    Update,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Insert => "INSERT",
            Action::Update => "UPDATE",
            Action::Delete => "DELETE",
        }
    }
}

impl Change {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "LogId": self.log_id,
            "ActionType": self.action.as_str(),
            "TableName": self.table,
            "Id": self.id,
            "OwnId": self.own_id,
            "DateAction": self.at.format(DATETIME_FORMAT).to_string(),
        })
    }
}
