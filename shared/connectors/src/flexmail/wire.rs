//! One request, one answer: the Flexmail transport.
//!
//! Deliberately **not** [`crate::http::HttpSeam`]: the newsletter port wants exactly one HTTP
//! request per method and no retry (the engine budgets and retries), and the seam's
//! [`crate::http::HttpReply`] keeps no headers, while `POST /contacts` needs `Location` and a 429
//! needs `Retry-After`. What is shared with the seam is the client builder
//! ([`crate::http::client`]: rustls, timeouts, no redirects) and the `Retry-After` parser.

use koppel_core::ports::Clock;
use koppel_core::ports::source::ConnectorError;
use reqwest::header::{ACCEPT, LOCATION, RETRY_AFTER};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{DISPLAY_NAME, assumptions, errors};

/// One call: what to send, and which non-2xx statuses count as success.
pub(crate) struct Call<'a> {
    pub method: Method,
    /// Path segments after the base URL; each is percent-encoded.
    pub segments: &'a [&'a str],
    pub query: &'a [(&'a str, String)],
    pub body: Option<Value>,
    /// Names the call in logs (`GET /contacts/{id}`): no ids, no e-mail addresses, no secrets.
    pub label: &'a str,
    /// Statuses that mean "done" for this call (e.g. 409 on subscribe).
    pub also_ok: &'a [u16],
    /// Secrets besides the token to scrub from an error message (e.g. a webhook's token).
    pub scrub: &'a [&'a str],
}

/// An answer the caller accepted.
#[derive(Debug)]
pub(crate) struct Reply {
    pub location: Option<String>,
    pub body: String,
}

impl Reply {
    /// The body as JSON; an empty body is `None`, a body that is not JSON is a parse error.
    pub fn json(&self, label: &str) -> Result<Option<Value>, ConnectorError> {
        if self.body.trim().is_empty() {
            return Ok(None);
        }
        serde_json::from_str(&self.body)
            .map(Some)
            .map_err(|e| parse_error(format!("{label} answered with invalid JSON ({e})")))
    }
}

pub(crate) struct Wire {
    client: reqwest::Client,
    base: Url,
    account: String,
    token: SecretString,
    clock: Arc<dyn Clock>,
    calls: AtomicU64,
}

impl Wire {
    pub fn new(
        client: reqwest::Client,
        base: Url,
        account: String,
        token: SecretString,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self { client, base, account, token, clock, calls: AtomicU64::new(0) }
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// Sends the call once. 2xx and `also_ok` come back as a [`Reply`]; anything else is mapped
    /// by [`errors::from_status`]; no answer at all is `Transport`.
    pub async fn call(&self, call: Call<'_>) -> Result<Reply, ConnectorError> {
        let mut request = self
            .client
            .request(call.method, self.url(call.segments))
            .basic_auth(&self.account, Some(self.token.expose_secret()))
            .header(ACCEPT, "application/json");
        if !call.query.is_empty() {
            request = request.query(call.query);
        }
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        self.calls.fetch_add(1, Ordering::Relaxed);
        let response = request.send().await.map_err(|e| transport_error(call.label, e))?;
        let status = response.status().as_u16();
        let header = |name| response.headers().get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok());
        let location = header(LOCATION).map(str::to_string);
        let retry_after = assumptions::retry_after_secs(header(RETRY_AFTER), self.clock.now());
        let body = response.text().await.map_err(|e| transport_error(call.label, e))?;
        tracing::debug!(call = call.label, status, "Flexmail answered");
        if (200..=299).contains(&status) || call.also_ok.contains(&status) {
            return Ok(Reply { location, body });
        }
        tracing::info!(call = call.label, status, "Flexmail refused the call");
        let secrets: Vec<&str> =
            std::iter::once(self.token.expose_secret()).chain(call.scrub.iter().copied()).collect();
        Err(errors::from_status(status, &body, retry_after, &secrets))
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }
}

/// No answer (connect failure, reset, timeout, unreadable body). The URL is left out: it may hold
/// an e-mail address in its query.
fn transport_error(label: &str, e: reqwest::Error) -> ConnectorError {
    let timeout = e.is_timeout();
    let e = e.without_url();
    let mut message = if timeout { "no answer within the timeout".to_string() } else { e.to_string() };
    let mut source = std::error::Error::source(&e);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    tracing::info!(call = label, timeout, "Flexmail call failed without an answer");
    ConnectorError::Transport { provider: DISPLAY_NAME.into(), message: format!("{label}: {message}") }
}

pub(crate) fn parse_error(message: String) -> ConnectorError {
    ConnectorError::Parse { provider: DISPLAY_NAME.into(), message }
}
