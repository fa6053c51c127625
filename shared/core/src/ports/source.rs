//! The provider side of a sync: a connector opens a session with a connection's credentials
//! and reads pages of records. The HTTP seam (retry, backoff, token renewal) lives in the
//! connector crate; the engine only sees pages and typed errors.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::secrets::Credentials;
use crate::domain::records::{RemoteCustomer, RemoteInvoice, RemotePayment};
use crate::domain::stream::StreamKind;

/// Which records of a stream to read, and from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub stream: StreamKind,
    /// The connection's start date: history before it is not loaded.
    pub start_date: NaiveDate,
    /// Only records modified after this instant (incremental runs); `None` on a first run.
    pub modified_after: Option<DateTime<Utc>>,
    pub skip: u64,
    pub top: u32,
    /// The provider's own continuation from the previous page (`SourcePage::next`), when it
    /// pages by token or link instead of by offset; `None` on a pass's first page.
    #[serde(default)]
    pub token: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RemoteRecord {
    Customer(RemoteCustomer),
    Invoice(RemoteInvoice),
    Payment(RemotePayment),
}

impl RemoteRecord {
    pub fn remote_id(&self) -> &str {
        match self {
            RemoteRecord::Customer(c) => &c.remote_id,
            RemoteRecord::Invoice(i) => &i.remote_id,
            RemoteRecord::Payment(p) => &p.invoice_remote_id,
        }
    }
    pub fn modified_on(&self) -> Option<DateTime<Utc>> {
        match self {
            RemoteRecord::Customer(c) => c.modified_on,
            RemoteRecord::Invoice(i) => i.modified_on,
            RemoteRecord::Payment(p) => p.modified_on,
        }
    }
}

/// A record the connector could not read; the run logs it and goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    /// The provider's id when it could be read.
    pub remote_id: Option<String>,
    pub reason: String,
}

/// Whether more pages follow, as the provider tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PageNext {
    /// Offset paging: a page shorter than `PageRequest::top` is the last one.
    #[default]
    ByLength,
    /// The provider's continuation (a page number, a `next` link): pass it back as `PageRequest::token`.
    Token(String),
    /// The provider said this was the last page.
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourcePage {
    pub records: Vec<Result<RemoteRecord, RecordProblem>>,
    /// How many rows the provider returned.
    pub raw_len: usize,
    pub next: PageNext,
}

impl SourcePage {
    /// A page of an offset-paged stream (a short page ends it).
    pub fn by_length(records: Vec<Result<RemoteRecord, RecordProblem>>, raw_len: usize) -> Self {
        Self { records, raw_len, next: PageNext::ByLength }
    }
}

/// Result of the cheapest authenticated call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeInfo {
    /// What the provider told about the account (e.g. the administration name), if anything.
    pub account: Option<String>,
}

/// Why a call to a provider failed, after the HTTP seam's own retries.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ConnectorError {
    /// The provider refused the credentials (401 after one fresh token).
    #[error("{what} was refused by {provider}")]
    Unauthorized { provider: String, what: String, hint: String },
    /// Authenticated but not allowed (403).
    #[error("{provider} denied access: {message}")]
    Forbidden { provider: String, message: String },
    /// Still rate limited after the retries.
    #[error("{provider} kept answering 429 (too many requests)")]
    RateLimited { provider: String, retry_after_secs: Option<u64> },
    /// 5xx after the retries.
    #[error("{provider} had a server error (HTTP {status})")]
    Server { provider: String, status: u16 },
    /// Other 4xx: the request itself is wrong; retrying will not help.
    #[error("{provider} refused the request (HTTP {status}): {message}")]
    Rejected { provider: String, status: u16, message: String },
    /// Could not connect, or no answer in time, after the retries.
    #[error("could not reach {provider}: {message}")]
    Transport { provider: String, message: String },
    /// The answer was not what the API documents.
    #[error("{provider} sent an answer Koppel could not read: {message}")]
    Parse { provider: String, message: String },
    /// The provider is not ready to serve this account yet (AdminPulse: a few minutes after a
    /// new link). The engine waits and asks again by itself; the run shows the message meanwhile.
    #[error("{provider} is not ready for this connection yet: {message}")]
    NotReady { provider: String, message: String, retry_after_secs: Option<u64> },
    /// The connection's credentials lack a field the connector needs.
    #[error("the connection has no {0}; add it in the connection settings")]
    MissingCredential(String),
}

impl ConnectorError {
    /// What the user can do about it, in one sentence.
    pub fn hint(&self) -> String {
        match self {
            ConnectorError::Unauthorized { hint, .. } => hint.clone(),
            ConnectorError::Forbidden { .. } => {
                "Check that the key gives access to this administration and that its subscription is active.".into()
            }
            ConnectorError::RateLimited { .. } => {
                "The provider limits the number of calls; the next scheduled run continues where this one stopped."
                    .into()
            }
            ConnectorError::Server { .. } | ConnectorError::Transport { .. } => {
                "This is usually temporary; the next run resumes from the last saved page.".into()
            }
            ConnectorError::Rejected { .. } | ConnectorError::Parse { .. } => {
                "Koppel sent or received something unexpected; contact support with the run id.".into()
            }
            ConnectorError::NotReady { .. } => {
                "Nothing to do: Koppel asks again by itself in a minute. A new link can take about five minutes.".into()
            }
            ConnectorError::MissingCredential(_) => "Edit the connection and fill in the missing field.".into(),
        }
    }
    /// Whether a later attempt may succeed without the user changing anything.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ConnectorError::RateLimited { .. }
                | ConnectorError::Server { .. }
                | ConnectorError::Transport { .. }
                | ConnectorError::NotReady { .. }
        )
    }
}

/// One connection's open session with its provider (holds the token, counts calls).
#[async_trait]
pub trait SourceSession: Send + Sync {
    /// The cheapest authenticated call (for SnelStart: token, then one echo call).
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError>;
    async fn fetch_page(&self, request: &PageRequest) -> Result<SourcePage, ConnectorError>;
    /// HTTP calls made so far in this session, token calls and retries included.
    fn api_calls(&self) -> u64;
    /// One customer as the provider holds it now (`None`: the provider has no such record).
    /// Used by the ERP link to write back; providers without writes refuse.
    async fn get_customer(&self, remote_id: &str) -> Result<Option<RemoteCustomer>, ConnectorError> {
        let _ = remote_id;
        Err(writes_unsupported())
    }
    /// Create a customer at the provider; returns it as stored (with its new `remote_id`).
    async fn create_customer(&self, customer: &RemoteCustomer) -> Result<RemoteCustomer, ConnectorError> {
        let _ = customer;
        Err(writes_unsupported())
    }
    /// Replace a customer's fields at the provider (the fields Koppel models; others are kept);
    /// returns it as stored.
    async fn update_customer(&self, customer: &RemoteCustomer) -> Result<RemoteCustomer, ConnectorError> {
        let _ = customer;
        Err(writes_unsupported())
    }
}

fn writes_unsupported() -> ConnectorError {
    ConnectorError::Rejected {
        provider: "this system".into(),
        status: 405,
        message: "Koppel cannot write customers to this system".into(),
    }
}

/// Opens sessions for a provider (`"snelstart"`, `"adminpulse"`, `"admin_is"`). `credentials`
/// holds the connection's secret fields and also its non-secret provider settings
/// (`Connection::settings`, e.g. Admin IS's `office_url`), merged by the engine.
pub trait SourceFactory: Send + Sync {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn SourceSession>, ConnectorError>;
}
