//! Domain events (EventBridge PutEvents in production, in-process delivery locally).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub const SOURCE: &str = "koppel";
pub const SYNC_REQUESTED: &str = "koppel.sync.requested.v1";
pub const SYNC_COMPLETED: &str = "koppel.sync.completed.v1";
/// A newsletter bounced: the platform mails the connection's bounce address.
pub const NEWSLETTER_BOUNCED: &str = "koppel.newsletter.bounced.v1";
/// The report mail after a complete newsletter sync (sent by the platform).
pub const NEWSLETTER_REPORT: &str = "koppel.newsletter.reported.v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainEvent {
    /// `koppel.<entity>.<past_tense>.v<N>`
    pub detail_type: String,
    pub detail: serde_json::Value,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BusError {
    /// The bus refused the entry (PutEvents reports it per entry).
    #[error("event rejected: {0}")]
    Rejected(String),
    #[error("event bus unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait EventBus: Send + Sync {
    async fn publish(&self, event: DomainEvent) -> Result<(), BusError>;
}
