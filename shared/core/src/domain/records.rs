//! Records as the provider sends them (normalised by the connector) and as the platform keeps them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::matching_key::MatchingKey;

/// Money in cents, to avoid floating point.
pub type Cents = i64;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Address {
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
}

/// A provider customer (SnelStart: a relatie whose `relatieSoort` holds `Klant`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteCustomer {
    pub remote_id: String,
    pub modified_on: Option<DateTime<Utc>>,
    pub customer_number: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub vat_number: Option<String>,
    pub coc_number: Option<String>,
    pub phone: Option<String>,
    pub address: Address,
    /// False for relations that are only suppliers; those are skipped.
    pub is_customer: bool,
    /// The provider's soft delete (SnelStart `nonactief`).
    pub inactive: bool,
    /// The one contact person the provider keeps on the record, as text (SnelStart: the
    /// `contactpersoon` of the correspondence or visiting address), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_person: Option<String>,
}

impl RemoteCustomer {
    pub fn key_value(&self, key: MatchingKey) -> Option<String> {
        let raw = match key {
            MatchingKey::CustomerNumber => self.customer_number.as_deref(),
            MatchingKey::VatNumber => self.vat_number.as_deref(),
            MatchingKey::Email => self.email.as_deref(),
            MatchingKey::Name => Some(self.name.as_str()),
        }?;
        key.normalize(raw)
    }
}

/// A provider sales invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteInvoice {
    pub remote_id: String,
    pub modified_on: Option<DateTime<Utc>>,
    pub number: String,
    pub invoice_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub amount_cents: Cents,
    pub outstanding_cents: Cents,
    pub customer_remote_id: Option<String>,
}

/// The settlement state of one sales invoice (SnelStart: `factuurbedrag` − `openstaandSaldo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemotePayment {
    pub invoice_remote_id: String,
    pub modified_on: Option<DateTime<Utc>>,
    pub invoice_number: String,
    pub customer_remote_id: Option<String>,
    pub amount_cents: Cents,
    pub outstanding_cents: Cents,
    pub due_date: Option<NaiveDate>,
}

/// A customer on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub customer_number: Option<String>,
    pub vat_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub coc_number: Option<String>,
    #[serde(default)]
    pub address: Address,
    /// Set when this customer was merged into another one; it no longer matches.
    pub merged_into: Option<String>,
    /// `api` or `sync:{connection}`.
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Which connection last wrote each field (field name → connection id), so that sync
    /// priority can decide whether another connection may overwrite it. Fields set by the
    /// platform itself are absent.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub field_sources: std::collections::BTreeMap<String, String>,
}

impl Customer {
    pub fn key_value(&self, key: MatchingKey) -> Option<String> {
        let raw = match key {
            MatchingKey::CustomerNumber => self.customer_number.as_deref(),
            MatchingKey::VatNumber => self.vat_number.as_deref(),
            MatchingKey::Email => self.email.as_deref(),
            MatchingKey::Name => Some(self.name.as_str()),
        }?;
        key.normalize(raw)
    }
    /// Every matching-key value of this customer, for the match index.
    pub fn key_values(&self) -> Vec<(MatchingKey, String)> {
        MatchingKey::ALL.into_iter().filter_map(|k| self.key_value(k).map(|v| (k, v))).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Invoice {
    pub id: String,
    pub customer_id: String,
    pub connection_id: String,
    pub remote_id: String,
    pub number: String,
    pub invoice_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub amount_cents: Cents,
    pub outstanding_cents: Cents,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Paid,
    PartiallyPaid,
    Open,
}

impl PaymentStatus {
    pub fn of(amount: Cents, outstanding: Cents) -> Self {
        if outstanding <= 0 {
            PaymentStatus::Paid
        } else if outstanding < amount {
            PaymentStatus::PartiallyPaid
        } else {
            PaymentStatus::Open
        }
    }
}

/// What has been paid on one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Payment {
    pub id: String,
    pub invoice_id: String,
    pub customer_id: String,
    pub connection_id: String,
    pub invoice_number: String,
    pub paid_cents: Cents,
    pub outstanding_cents: Cents,
    pub due_date: Option<NaiveDate>,
    pub status: PaymentStatus,
}
