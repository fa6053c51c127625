//! One connection's AdminPulse session: the bearer header, the call budget, probe and pages.

use async_trait::async_trait;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::{ConnectorError, PageRequest, ProbeInfo, SourcePage, SourceSession};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::assumptions::{BUDGET_MARGIN, PROBE_ACCEPTS_NOT_READY};
use super::budget::CallBudget;
use super::errors::{self, Bearer};
use super::{DISPLAY_NAME, page, rows};
use crate::http::{HttpSeam, Sleeper};

/// The list every call reads.
pub const RELATIONS_PATH: &str = "/relations";

/// How a call may be repeated by the HTTP seam.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// Reads: 429, 5xx and timeouts are retried.
    Read,
    /// Creates, updates and deletes: only 429 is retried (see `HttpSeam::send_write`).
    Write,
}

pub struct AdminPulseSession {
    seam: HttpSeam,
    base_url: String,
    bearer: SecretString,
    header: HeaderValue,
    kind: Bearer,
    /// The connection's secrets, scrubbed from any quoted answer.
    scrub: Vec<SecretString>,
    sleeper: Arc<dyn Sleeper>,
    page_size: u32,
    budget: Option<Mutex<CallBudget>>,
}

impl std::fmt::Debug for AdminPulseSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminPulseSession")
            .field("base_url", &self.base_url)
            .field("bearer", &self.kind)
            .field("page_size", &self.page_size)
            .field("api_calls", &self.seam.attempts())
            .finish_non_exhaustive()
    }
}

/// What a session sends and what it scrubs from quoted answers.
pub(crate) struct SessionSecrets {
    pub bearer: SecretString,
    pub kind: Bearer,
    /// Every secret of the connection (the one sent included).
    pub scrub: Vec<SecretString>,
}

impl AdminPulseSession {
    pub(crate) fn new(
        seam: HttpSeam,
        base_url: String,
        secrets: SessionSecrets,
        sleeper: Arc<dyn Sleeper>,
        page_size: u32,
        calls_per_minute: Option<u32>,
    ) -> Result<Self, ConnectorError> {
        let SessionSecrets { bearer, kind, scrub } = secrets;
        let mut header = HeaderValue::from_str(&format!("Bearer {}", bearer.expose_secret())).map_err(|_| {
            ConnectorError::Unauthorized {
                provider: DISPLAY_NAME.into(),
                what: match kind {
                    Bearer::ApiKey => "the API key".into(),
                    Bearer::AccessToken => "the access token".into(),
                },
                hint: "It contains characters that cannot be sent (such as a line break); copy it again.".into(),
            }
        })?;
        header.set_sensitive(true);
        let minute = Duration::from_secs(60) + BUDGET_MARGIN;
        let budget = calls_per_minute.map(|n| Mutex::new(CallBudget::new(n, minute)));
        Ok(Self { seam, base_url, bearer, header, kind, scrub, sleeper, page_size, budget })
    }

    /// Which bearer this session sends.
    pub fn bearer_kind(&self) -> Bearer {
        self.kind
    }

    fn budget(&self) -> Option<MutexGuard<'_, CallBudget>> {
        self.budget.as_ref().map(|m| m.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// `GET {base}{path_and_query}` within the call budget, through the seam (429 with
    /// `Retry-After`, 5xx and timeouts retried). `label` names the call in logs; no secret in it.
    pub(crate) async fn get(&self, path_and_query: &str, label: &str) -> Result<String, ConnectorError> {
        self.call(path_and_query, label, CallKind::Read, |client, url| client.get(url)).await
    }

    /// One call within the call budget: `build` makes the request (method, body) for the client
    /// and the full URL; the session adds the bearer and `Accept`. [`CallKind::Read`] goes through the
    /// seam's retries (429, 5xx, timeouts); [`CallKind::Write`] is retried only on 429, where the
    /// provider stored nothing (the meeting side's creates and updates). A non-success answer
    /// becomes the `ConnectorError` of [`errors::from_status`], secrets scrubbed.
    pub(crate) async fn call<F>(
        &self,
        path_and_query: &str,
        label: &str,
        kind: CallKind,
        build: F,
    ) -> Result<String, ConnectorError>
    where
        F: Fn(&reqwest::Client, &str) -> reqwest::RequestBuilder,
    {
        let wait = self.budget().map(|mut b| b.admit(self.seam.clock().now())).unwrap_or_default();
        if !wait.is_zero() {
            tracing::info!(call = label, wait_ms = wait.as_millis() as u64, "AdminPulse call budget full; waiting");
            self.sleeper.sleep(wait).await;
        }
        let url = format!("{}{path_and_query}", self.base_url);
        let before = self.seam.attempts();
        let request = || {
            build(self.seam.client(), &url)
                .header(AUTHORIZATION, self.header.clone())
                .header(ACCEPT, "application/json")
        };
        let sent = match kind {
            CallKind::Read => self.seam.send(label, request).await,
            CallKind::Write => self.seam.send_write(label, request).await,
        };
        let retries = self.seam.attempts().saturating_sub(before).saturating_sub(1);
        if let Some(mut b) = self.budget() {
            b.record(self.seam.clock().now(), retries);
        }
        let reply = sent.map_err(|e| e.into_connector_error(DISPLAY_NAME))?;
        if reply.is_success() {
            return Ok(reply.body);
        }
        let secrets: Vec<&str> = std::iter::once(&self.bearer).chain(&self.scrub).map(|s| s.expose_secret()).collect();
        let error = errors::from_status(reply.status, &reply.body, self.kind, &secrets);
        tracing::warn!(call = label, status = reply.status, error = %error, "AdminPulse refused the call");
        Err(error)
    }

    /// One page of relations, `page` 0-based.
    async fn relations(&self, page_number: u64) -> Result<SourcePage, ConnectorError> {
        let query = format!("{RELATIONS_PATH}?page={page_number}&pageSize={}", self.page_size);
        let body = self.get(&query, "GET /relations").await?;
        let listing = page::read_listing(&body)
            .map_err(|message| ConnectorError::Parse { provider: DISPLAY_NAME.into(), message })?;
        let raw_len = listing.rows.len();
        let next = page::next(page_number, raw_len, self.page_size, listing.page_count);
        let records: Vec<_> = listing.rows.into_iter().map(rows::read_row).collect();
        let problems = records.iter().filter(|r| r.is_err()).count();
        tracing::debug!(page = page_number, rows = raw_len, problems, page_count = ?listing.page_count, "AdminPulse page read");
        Ok(SourcePage { records, raw_len, next })
    }
}

#[async_trait]
impl SourceSession for AdminPulseSession {
    /// `GET /relations?pageSize=1`: the cheapest call, and it proves the scope the import needs.
    /// The office's name is not asked (`/companies` may need another scope; see the docs). A
    /// "not ready yet" answer passes: the key was accepted and the first sync waits by itself.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        match self.get(&format!("{RELATIONS_PATH}?pageSize=1"), "GET /relations").await {
            Ok(_) => Ok(ProbeInfo { account: None }),
            Err(ConnectorError::NotReady { .. }) if PROBE_ACCEPTS_NOT_READY => {
                tracing::info!("AdminPulse accepted the key but is not ready yet; the first sync will wait");
                Ok(ProbeInfo { account: None })
            }
            Err(e) => Err(e),
        }
    }

    /// Customers only: the page in `request.token` (none = the first), `page_size` relations;
    /// `request.top` and `request.skip` are not used (AdminPulse pages by number).
    async fn fetch_page(&self, request: &PageRequest) -> Result<SourcePage, ConnectorError> {
        if request.stream != StreamKind::Customers {
            return Err(ConnectorError::Rejected {
                provider: DISPLAY_NAME.into(),
                status: 0,
                message: format!("AdminPulse has no {} stream in Koppel (customers only)", request.stream),
            });
        }
        self.relations(page::page_of(request.token.as_deref())).await
    }

    fn api_calls(&self) -> u64 {
        self.seam.attempts()
    }
}
