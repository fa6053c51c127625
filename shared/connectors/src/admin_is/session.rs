//! One connection's Admin IS session: token, settings (page size and rate limit), probe, and the
//! customers stream — a full import by `link` paging on a first run, the change feed after.

use async_trait::async_trait;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::{ConnectorError, PageNext, PageRequest, ProbeInfo, SourcePage, SourceSession};
use reqwest::Url;
use std::sync::atomic::AtomicBool;
use tokio::sync::Mutex;

use super::position::Position;
use super::reader::{ListPage, Reader, parse};
use super::settings::{self, ApiSettings};
use super::wire::{CallError, Wire};
use super::{DISPLAY_NAME, changes, link};

pub struct AdminIsSession {
    pub(crate) wire: Wire,
    settings: Mutex<Option<ApiSettings>>,
    addresses: AtomicBool,
}

impl std::fmt::Debug for AdminIsSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminIsSession")
            .field("office", &self.wire.office.as_str())
            .field("api_calls", &self.wire.calls())
            .finish_non_exhaustive()
    }
}

impl AdminIsSession {
    pub(crate) fn new(wire: Wire, fetch_addresses: bool) -> Self {
        Self { wire, settings: Mutex::new(None), addresses: AtomicBool::new(fetch_addresses) }
    }

    /// The office's API address as the session uses it.
    pub fn office(&self) -> &str {
        self.wire.office.as_str().trim_end_matches('/')
    }

    /// `GET /api/v1/apisettings`, once per session; sets the rate limit every later call keeps to.
    pub async fn settings(&self) -> Result<ApiSettings, ConnectorError> {
        let mut slot = self.settings.lock().await;
        if let Some(s) = *slot {
            return Ok(s);
        }
        let url = self.wire.api_url(&["apisettings"]);
        let raw = self.wire.get(&url, "apisettings").await?;
        if !(200..=299).contains(&raw.status) {
            let secrets = [secrecy::ExposeSecret::expose_secret(&self.wire.api_key)];
            return Err(super::errors::from_status(raw.status, &raw.body, "apisettings", &secrets));
        }
        let read = settings::parse(&raw.body).map_err(|e| parse(format!("/api/v1/apisettings: {e}")))?;
        self.wire.throttle.set_limit(read.rate_limit).await;
        tracing::debug!(per_page = read.per_page(), rate_limit = ?read.rate_limit, "Admin IS settings read");
        *slot = Some(read);
        Ok(read)
    }

    pub(crate) fn reader(&self, per_page: u32) -> Reader<'_> {
        Reader { wire: &self.wire, per_page, addresses: &self.addresses }
    }

    /// A full-import page: `GET customers?per_page=N` (or the saved next link); every record
    /// carries the pass start as `modified_on`.
    async fn full_page(
        &self,
        reader: &Reader<'_>,
        at: Option<(Url, chrono::DateTime<chrono::Utc>)>,
    ) -> Result<SourcePage, ConnectorError> {
        let (url, started) = match at {
            Some(at) => at,
            None => (super::query::list(&self.wire.api_url(&["customers"]), reader.per_page), self.wire.clock.now()),
        };
        let ListPage { rows, next } = reader.page(&url, "customers").await.map_err(too_long)?;
        let raw_len = rows.len();
        let records = reader.records(rows, |_| Some(started)).await?;
        let next = match next {
            Some(n) => PageNext::Token(Position::Full { started, next: n.to_string() }.encode()),
            None => PageNext::End,
        };
        tracing::debug!(rows = raw_len, "Admin IS customers page read");
        Ok(SourcePage { records, raw_len, next })
    }

    /// A saved link, checked again (it came from the cursor).
    fn saved_link(&self, text: &str) -> Result<Url, ConnectorError> {
        let url = Url::parse(text).map_err(|_| parse("the saved next-page link is not a valid address".into()))?;
        link::check_origin(url, &self.wire.office).map_err(|e| parse(e.to_string()))
    }
}

#[async_trait]
impl SourceSession for AdminIsSession {
    /// Token, then `GET /api/v1/apisettings`; the account line names the office and its limits.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        let settings = self.settings().await?;
        let office = self.wire.office.host_str().unwrap_or_default().to_string();
        let office = match self.wire.office.port() {
            Some(port) => format!("{office}:{port}"),
            None => office,
        };
        Ok(ProbeInfo { account: Some(format!("{office} ({})", settings.describe())) })
    }

    async fn fetch_page(&self, request: &PageRequest) -> Result<SourcePage, ConnectorError> {
        if request.stream != StreamKind::Customers {
            return Err(ConnectorError::Rejected {
                provider: DISPLAY_NAME.into(),
                status: 400,
                message: format!("Admin IS has no {} stream", request.stream),
            });
        }
        let settings = self.settings().await?;
        let reader = self.reader(settings.per_page());
        match (request.token.as_deref().and_then(Position::decode), request.modified_after) {
            (Some(Position::Full { started, next }), _) => {
                let url = self.saved_link(&next)?;
                self.full_page(&reader, Some((url, started))).await
            }
            (Some(Position::Changes { from, next, seen, newest }), _) => {
                let next = next.as_deref().map(|n| self.saved_link(n)).transpose()?;
                changes::page(self, &reader, changes::Window { from, next, seen, newest }).await
            }
            (None, None) => self.full_page(&reader, None).await,
            (None, Some(after)) => {
                let window = changes::Window { from: after, next: None, seen: 0, newest: None };
                changes::page(self, &reader, window).await
            }
        }
    }

    fn api_calls(&self) -> u64 {
        self.wire.calls()
    }
}

pub(crate) fn too_long(e: CallError) -> ConnectorError {
    match e {
        CallError::Failed(e) => e,
        CallError::TooLong => ConnectorError::Rejected {
            provider: DISPLAY_NAME.into(),
            status: 414,
            message: "the office's server found the request address too long".into(),
        },
    }
}
