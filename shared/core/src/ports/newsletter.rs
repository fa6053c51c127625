//! The newsletter side of a connection (Flexmail): a mailing list of contacts keyed by e-mail.
//!
//! Unlike [`super::source`], every method here makes **exactly one HTTP request** and retries
//! nothing: the engine counts each call against the connection's API budget (calls per minute
//! and per month) before it is made, and decides itself whether and when to try again.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::secrets::Credentials;
use super::source::ConnectorError;

/// A contact as the newsletter provider holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteContact {
    /// The provider's id (Flexmail: a number, kept as text).
    pub id: String,
    pub email: String,
    pub first_name: Option<String>,
    /// Last name.
    pub name: Option<String>,
    pub language: Option<String>,
    /// Custom field values keyed by the field's placeholder, as text.
    pub custom_fields: BTreeMap<String, String>,
    /// False when the contact unsubscribed (opted out) in the provider.
    pub subscribed: bool,
}

/// One page of the provider's contact list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactPage {
    pub contacts: Vec<RemoteContact>,
    /// The provider's count of all contacts (paging ends at `offset >= total`).
    pub total: u64,
}

/// What Koppel sends when creating or updating a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactWrite {
    pub email: String,
    pub first_name: Option<String>,
    pub name: Option<String>,
    pub language: String,
    /// Keyed by placeholder.
    pub custom_fields: BTreeMap<String, String>,
}

/// One record of a bulk import (an upsert by e-mail on the provider's side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecord {
    pub contact: ContactWrite,
    /// Interest labels to subscribe the contact to (empty when interests are off).
    pub interest_labels: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    /// Accepted, not yet processed.
    Pending,
    Done,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStatus {
    pub state: ImportState,
    pub added: u64,
    pub updated: u64,
    pub ignored: u64,
    /// The provider's message, if any.
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomField {
    pub id: String,
    /// The name shown in Flexmail (what users type in the mapping).
    pub name: String,
    /// The key used in a contact's `custom_fields`.
    pub placeholder: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interest {
    pub id: String,
    pub name: String,
    pub label: String,
}

/// A webhook as registered at the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredWebhook {
    pub id: String,
    pub event_name: String,
    pub target_url: String,
}

/// An open session for one connection's account. One method, one HTTP request.
#[async_trait]
pub trait NewsletterApi: Send + Sync {
    /// The cheapest authenticated call (Flexmail: `GET /sources?limit=1`).
    async fn probe(&self) -> Result<(), ConnectorError>;
    /// The id of a contact source to use when creating contacts (Flexmail requires one).
    async fn default_source(&self) -> Result<String, ConnectorError>;
    async fn custom_fields(&self) -> Result<Vec<CustomField>, ConnectorError>;
    async fn interests(&self) -> Result<Vec<Interest>, ConnectorError>;
    /// `limit` is at most 500.
    async fn contacts_page(&self, offset: u64, limit: u32) -> Result<ContactPage, ConnectorError>;
    async fn find_by_email(&self, email: &str) -> Result<Option<RemoteContact>, ConnectorError>;
    /// Creates a contact; returns its id when the provider's answer carries it.
    async fn create_contact(&self, contact: &ContactWrite, source_id: &str) -> Result<Option<String>, ConnectorError>;
    async fn update_contact(&self, id: &str, contact: &ContactWrite) -> Result<(), ConnectorError>;
    async fn subscribe_interest(&self, contact_id: &str, interest_id: &str) -> Result<(), ConnectorError>;
    async fn unsubscribe_interest(&self, contact_id: &str, interest_id: &str) -> Result<(), ConnectorError>;
    /// Creates an import job with the caller's id (a UUID).
    async fn create_import(&self, import_id: &str) -> Result<(), ConnectorError>;
    /// Adds up to 500 records to an import job.
    async fn add_import_records(&self, import_id: &str, records: &[ImportRecord]) -> Result<(), ConnectorError>;
    async fn start_import(&self, import_id: &str) -> Result<(), ConnectorError>;
    async fn import_status(&self, import_id: &str) -> Result<ImportStatus, ConnectorError>;
    /// The event names the provider can send to webhooks.
    async fn webhook_events(&self) -> Result<Vec<String>, ConnectorError>;
    async fn register_webhook(
        &self,
        event_name: &str,
        target_url: &str,
        verification_token: &str,
    ) -> Result<RegisteredWebhook, ConnectorError>;
    /// Deleting a webhook that is already gone (404) is a success.
    async fn delete_webhook(&self, id: &str) -> Result<(), ConnectorError>;
    /// HTTP requests made by this session so far.
    fn api_calls(&self) -> u64;
}

/// Opens newsletter sessions. `account` is the provider's account id (not a secret).
pub trait NewsletterFactory: Send + Sync {
    fn open(
        &self,
        provider: &str,
        account: &str,
        credentials: Credentials,
    ) -> Result<Box<dyn NewsletterApi>, ConnectorError>;
}

/// A webhook event, parsed by the connector from the provider's request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsletterEvent {
    /// The provider's event id, or a digest of the body when it has none.
    pub event_id: String,
    /// The provider's event name as sent.
    pub event_name: String,
    pub kind: NewsletterEventKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum NewsletterEventKind {
    Unsubscribed {
        email: String,
    },
    Clicked {
        email: String,
        campaign: Option<String>,
        url: Option<String>,
    },
    Bounced {
        email: String,
        reason: Option<String>,
    },
    /// A valid event Koppel does not act on.
    Other,
}
