//! One connection's SnelStart session: token, headers, the 401 rule, probe and pages.

use async_trait::async_trait;
use koppel_core::domain::records::RemoteCustomer;
use koppel_core::ports::source::{ConnectorError, PageRequest, ProbeInfo, SourcePage, SourceSession};
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::assumptions::{COMPANY_NAME_FIELDS, MAX_TOP, RETOKEN_ON_401};
use super::fields::lower_keys;
use super::query::{self, ListCall};
use super::token::{self, Token, TokenCache};
use super::{DISPLAY_NAME, SUBSCRIPTION_HEADER, errors, hints, rows};
use crate::http::HttpSeam;

/// Whether the seam may send a request again after a 5xx, a timeout or a transport error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Repeat {
    /// Reads, and writes that come out the same when repeated (a PUT of a whole model).
    Safe,
    /// A POST that creates something: the first attempt may have been stored, so only a 429
    /// (nothing stored) is repeated.
    OnlyRateLimited,
}

/// One API call: method, path under `api_base` (query included), log label (no secret), body.
pub(super) struct Call<'a> {
    pub method: Method,
    pub path: &'a str,
    pub label: &'a str,
    pub body: Option<&'a str>,
    pub repeat: Repeat,
}

/// What the probe echoes; any text works.
const ECHO_TEXT: &str = "koppel";

pub struct SnelStartSession {
    seam: HttpSeam,
    api_base: String,
    auth_base: String,
    subscription_key: SecretString,
    subscription_header: HeaderValue,
    connection_key: SecretString,
    tokens: TokenCache,
    fetch_company_name: bool,
}

impl std::fmt::Debug for SnelStartSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnelStartSession")
            .field("api_base", &self.api_base)
            .field("api_calls", &self.seam.attempts())
            .finish_non_exhaustive()
    }
}

impl SnelStartSession {
    pub(crate) fn new(
        seam: HttpSeam,
        api_base: String,
        auth_base: String,
        subscription_key: SecretString,
        connection_key: SecretString,
        fetch_company_name: bool,
    ) -> Result<Self, ConnectorError> {
        let subscription_header =
            sensitive(subscription_key.expose_secret()).ok_or_else(|| hints::unsendable("subscription key"))?;
        Ok(Self {
            seam,
            api_base,
            auth_base,
            subscription_key,
            subscription_header,
            connection_key,
            tokens: TokenCache::new(),
            fetch_company_name,
        })
    }

    async fn token(&self) -> Result<Token, ConnectorError> {
        let now = self.seam.clock().now();
        let secrets = [self.subscription_key.expose_secret(), self.connection_key.expose_secret()];
        self.tokens.get(now, || token::request(&self.seam, &self.auth_base, &self.connection_key, &secrets)).await
    }

    /// `GET {api_base}{path}` with both headers (see [`Self::call`]).
    async fn get(&self, path: &str, label: &str) -> Result<String, ConnectorError> {
        self.call(&Call { method: Method::GET, path, label, body: None, repeat: Repeat::Safe }).await
    }

    /// One API call with both headers; a 401 drops the token and retries with a new one (see
    /// `assumptions::RETOKEN_ON_401`: a 401 means nothing was done, so even a POST may be sent
    /// again), a 401 after that blames the subscription key. The body of a 2xx answer, else the
    /// error the status stands for.
    pub(super) async fn call(&self, call: &Call<'_>) -> Result<String, ConnectorError> {
        let url = format!("{}{}", self.api_base, call.path);
        let mut renewals = 0;
        loop {
            let token = self.token().await?;
            let bearer =
                sensitive(&format!("Bearer {}", token.value.expose_secret())).ok_or_else(|| ConnectorError::Parse {
                    provider: DISPLAY_NAME.into(),
                    message: "the issued token cannot be sent".into(),
                })?;
            let build = || {
                let request = self
                    .seam
                    .client()
                    .request(call.method.clone(), &url)
                    .header(SUBSCRIPTION_HEADER, self.subscription_header.clone())
                    .header(AUTHORIZATION, bearer.clone())
                    .header(ACCEPT, "application/json");
                match call.body {
                    Some(body) => request.header(CONTENT_TYPE, "application/json").body(body.to_string()),
                    None => request,
                }
            };
            let sent = match call.repeat {
                Repeat::Safe => self.seam.send(call.label, build).await,
                Repeat::OnlyRateLimited => self.seam.send_write(call.label, build).await,
            };
            let reply = sent.map_err(|e| e.into_connector_error(DISPLAY_NAME))?;
            if reply.is_success() {
                return Ok(reply.body);
            }
            if reply.status != 401 {
                let secrets = [
                    self.subscription_key.expose_secret(),
                    self.connection_key.expose_secret(),
                    token.value.expose_secret(),
                ];
                return Err(errors::from_status(reply.status, &reply.body, &secrets));
            }
            if renewals >= RETOKEN_ON_401 {
                tracing::warn!(call = call.label, "SnelStart answered 401 with a fresh token");
                return Err(hints::subscription_key_refused());
            }
            renewals += 1;
            tracing::info!(call = call.label, "SnelStart answered 401; fetching a new token");
            self.tokens.invalidate(token.generation).await;
        }
    }

    /// One list call; the answer must be a bare JSON array.
    async fn list(&self, call: &ListCall) -> Result<Vec<Value>, ConnectorError> {
        let body = self.get(&call.path_and_query(), &format!("GET {}", call.path)).await?;
        match serde_json::from_str::<Value>(&body) {
            Ok(Value::Array(rows)) => Ok(rows),
            Ok(_) => Err(parse_error(format!("{} did not answer with a JSON array", call.path))),
            Err(e) => Err(parse_error(format!("{} answered with invalid JSON ({e})", call.path))),
        }
    }
}

#[async_trait]
impl SourceSession for SnelStartSession {
    /// Token, then `GET /echo/{text}` (proves both keys). Then, best effort, `GET /companyInfo`
    /// for the administration's name: one small call that lets the user see which
    /// administration the koppelsleutel opens; its failure does not fail the probe.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        self.get(&format!("/echo/{ECHO_TEXT}"), "GET /echo").await?;
        if !self.fetch_company_name {
            return Ok(ProbeInfo { account: None });
        }
        let account = match self.get("/companyInfo", "GET /companyInfo").await {
            Ok(body) => company_name(&body),
            Err(e) => {
                tracing::info!(error = %e, "companyInfo unavailable; the probe goes on without the administration name");
                None
            }
        };
        Ok(ProbeInfo { account })
    }

    /// Reads `request.top` rows from `request.skip`, in calls of at most `MAX_TOP` rows.
    async fn fetch_page(&self, request: &PageRequest) -> Result<SourcePage, ConnectorError> {
        let Some(base) = query::list_call(request) else {
            return Err(ConnectorError::Rejected {
                provider: "SnelStart".into(),
                status: 400,
                message: format!("SnelStart has no {} stream", request.stream),
            });
        };
        let want = request.top as usize;
        let mut raw = Vec::with_capacity(want.min(MAX_TOP as usize));
        let mut skip = request.skip;
        while raw.len() < want {
            let top = (want - raw.len()).min(MAX_TOP as usize);
            let batch = self.list(&ListCall { top: top as u32, skip, ..base.clone() }).await?;
            let returned = batch.len();
            raw.extend(batch);
            skip += returned as u64;
            if returned < top {
                break;
            }
        }
        let raw_len = raw.len();
        let records: Vec<_> = raw.into_iter().map(|row| rows::read_row(request.stream, row)).collect();
        let problems = records.iter().filter(|r| r.is_err()).count();
        tracing::debug!(stream = %request.stream, skip = request.skip, rows = raw_len, problems, "SnelStart page read");
        Ok(SourcePage::by_length(records, raw_len))
    }

    fn api_calls(&self) -> u64 {
        self.seam.attempts()
    }

    /// `GET /relaties/{id}`; a 404 is `None`.
    async fn get_customer(&self, remote_id: &str) -> Result<Option<RemoteCustomer>, ConnectorError> {
        Ok(self.read_relatie(remote_id).await?.map(|(_, customer)| customer))
    }

    /// `POST /relaties` (never repeated after a 5xx or a timeout: see `writes.rs`).
    async fn create_customer(&self, customer: &RemoteCustomer) -> Result<RemoteCustomer, ConnectorError> {
        self.create_relatie(customer).await
    }

    /// `GET /relaties/{id}`, then `PUT /relaties/{id}` with the changed modelled fields.
    async fn update_customer(&self, customer: &RemoteCustomer) -> Result<RemoteCustomer, ConnectorError> {
        self.update_relatie(customer).await
    }
}

fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut header = HeaderValue::from_str(value).ok()?;
    header.set_sensitive(true);
    Some(header)
}

pub(super) fn parse_error(message: String) -> ConnectorError {
    ConnectorError::Parse { provider: DISPLAY_NAME.into(), message }
}

fn company_name(body: &str) -> Option<String> {
    let value = serde_json::from_str::<Value>(body).map(lower_keys).ok()?;
    COMPANY_NAME_FIELDS
        .iter()
        .filter_map(|k| value.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .find(|s| !s.is_empty())
        .map(str::to_string)
}
