//! The Admin IS transport: every request waits for a free slot in the install's rate limit,
//! carries `Content-Type: application/json;charset=UTF-8` (C) and (except the token call) the
//! `synetonToken` header, and is counted. 429, 5xx, transport errors and the throttling 403 are
//! retried by [`crate::http::decide`] through the injected sleeper; a 401 fetches one new token.
//!
//! Not [`crate::http::HttpSeam`]: its reply keeps no headers (the `link` header pages here) and
//! it cannot tell a throttling 403 (retry) from a permission 403 (fail).

use koppel_core::ports::Clock;
use koppel_core::ports::source::ConnectorError;
use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, LINK, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::assumptions::{RETOKEN_ON_401, THROTTLED_WAIT};
use super::errors::{self, Refusal};
use super::throttle::Throttle;
use super::token::{self, Token, TokenCache};
use super::{DISPLAY_NAME, TOKEN_HEADER, hints};
use crate::http::{Decision, GiveUp, Jitter, Outcome, RetryAfter, RetryPolicy, Sleeper, decide};

/// Sent on every request (C: without it accented characters are mangled).
pub const JSON_UTF8: &str = "application/json;charset=UTF-8";

/// One answer, as the retry policy accepted it.
#[derive(Debug)]
pub(crate) struct Raw {
    pub status: u16,
    pub body: String,
    pub link: Option<String>,
}

/// Why a data call did not give rows.
#[derive(Debug)]
pub(crate) enum CallError {
    /// 414: the URL is too long for the office's server; the caller splits its id list.
    TooLong,
    Failed(ConnectorError),
}

impl From<ConnectorError> for CallError {
    fn from(e: ConnectorError) -> Self {
        CallError::Failed(e)
    }
}

pub(crate) struct Wire {
    pub client: reqwest::Client,
    pub office: Url,
    pub api_key: SecretString,
    pub policy: RetryPolicy,
    pub sleeper: Arc<dyn Sleeper>,
    pub clock: Arc<dyn Clock>,
    pub tokens: TokenCache,
    pub throttle: Throttle,
    pub calls: AtomicU64,
}

impl Wire {
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// `{office}/api/v1/{segments…}`, each segment percent-encoded.
    pub fn api_url(&self, segments: &[&str]) -> Url {
        let mut url = self.office.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(["api", "v1"]).extend(segments);
        }
        url
    }

    /// A GET with the token. 2xx, 404 and 414 come back as they are (the caller reads them); a
    /// 401 renews the token once; every other refusal is mapped to a `ConnectorError`.
    pub async fn get(&self, url: &Url, endpoint: &str) -> Result<Raw, ConnectorError> {
        let label = format!("GET /api/v1/{endpoint}");
        let mut renewals = 0;
        loop {
            let token = self.token().await?;
            let header = sensitive(token.value.expose_secret()).ok_or_else(|| ConnectorError::Parse {
                provider: DISPLAY_NAME.into(),
                message: "the issued token cannot be sent in a header".into(),
            })?;
            let raw = self.exchange(&label, url, Some(&header)).await?;
            match raw.status {
                200..=299 | 404 | 414 => return Ok(raw),
                401 if renewals < RETOKEN_ON_401 => {
                    renewals += 1;
                    tracing::info!(call = %label, "Admin IS answered 401; fetching a new token");
                    self.tokens.invalidate(token.generation).await;
                }
                401 => {
                    tracing::warn!(call = %label, "Admin IS answered 401 with a fresh token");
                    return Err(hints::token_refused());
                }
                status => {
                    let secrets = [self.api_key.expose_secret(), token.value.expose_secret()];
                    return Err(errors::from_status(status, &raw.body, endpoint, &secrets));
                }
            }
        }
    }

    async fn token(&self) -> Result<Token, ConnectorError> {
        let now = self.clock.now();
        self.tokens.get(now, || self.fetch_token()).await
    }

    /// `GET /api/v1/token/{apiKey}`. The URL holds the key: it is never logged (the label is a
    /// template and transport errors drop the URL).
    async fn fetch_token(&self) -> Result<token::Issued, ConnectorError> {
        let url = self.api_url(&["token", self.api_key.expose_secret()]);
        let raw = self.exchange("GET /api/v1/token/{key}", &url, None).await?;
        let secrets = [self.api_key.expose_secret()];
        if (200..=299).contains(&raw.status) {
            return token::parse(&raw.body, self.clock.now())
                .map_err(|message| ConnectorError::Parse { provider: DISPLAY_NAME.into(), message });
        }
        if (400..=499).contains(&raw.status) && raw.status != 414 {
            tracing::warn!(status = raw.status, "Admin IS issued no token for the API key");
            return Err(hints::api_key_refused(&errors::error_message(&raw.body, &secrets)));
        }
        Err(errors::from_status(raw.status, &raw.body, "token", &secrets))
    }

    /// Sends until the retry policy accepts the answer or gives up; every attempt waits for the
    /// rate limit and is counted.
    async fn exchange(&self, label: &str, url: &Url, token: Option<&HeaderValue>) -> Result<Raw, ConnectorError> {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            self.throttle.acquire(self.clock.as_ref(), self.sleeper.as_ref()).await;
            self.calls.fetch_add(1, Ordering::Relaxed);
            let mut request =
                self.client.get(url.clone()).header(CONTENT_TYPE, JSON_UTF8).header(ACCEPT, "application/json");
            if let Some(token) = token {
                request = request.header(TOKEN_HEADER, token.clone());
            }
            let (outcome, answer) = match send(request).await {
                Ok((raw, retry_after)) => {
                    tracing::debug!(call = label, attempt, status = raw.status, "Admin IS answered");
                    (outcome_of(&raw, retry_after), Ok(raw))
                }
                Err((message, timeout)) => {
                    tracing::debug!(call = label, attempt, error = %message, "Admin IS call failed");
                    (Outcome::Transport { timeout }, Err(message))
                }
            };
            let jitter = match self.policy.jitter {
                Jitter::Random => rand::random::<f64>(),
                Jitter::Fixed(sample) => sample,
            };
            match decide(&self.policy, attempt, &outcome, self.clock.now(), jitter) {
                Decision::Accept => {
                    return answer.map_err(|message| transport(label, message));
                }
                Decision::Retry(wait) => {
                    tracing::warn!(call = label, attempt, wait_ms = wait.as_millis() as u64, reason = %reason(&answer), "retrying Admin IS call");
                    self.sleeper.sleep(wait).await;
                }
                Decision::GiveUp(why) => {
                    tracing::warn!(call = label, attempt, reason = %reason(&answer), "giving up on Admin IS call");
                    return Err(give_up(label, &outcome, answer, why, self.clock.now()));
                }
            }
        }
    }
}

/// The throttling 403 is decided like a 429 with [`THROTTLED_WAIT`] (unless `Retry-After` says).
fn outcome_of(raw: &Raw, retry_after: Option<RetryAfter>) -> Outcome {
    if raw.status == 403 && errors::classify_403(&raw.body) == Refusal::Throttled {
        let wait = retry_after.unwrap_or(RetryAfter::Seconds(THROTTLED_WAIT.as_secs()));
        return Outcome::Status { status: 429, retry_after: Some(wait) };
    }
    Outcome::Status { status: raw.status, retry_after }
}

async fn send(request: reqwest::RequestBuilder) -> Result<(Raw, Option<RetryAfter>), (String, bool)> {
    let response = request.send().await.map_err(failure)?;
    let status = response.status().as_u16();
    let header = |name| response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_string);
    let retry_after = header(RETRY_AFTER).as_deref().and_then(RetryAfter::parse);
    let link = header(LINK);
    let body = response.text().await.map_err(failure)?;
    Ok((Raw { status, body, link }, retry_after))
}

/// No answer: the message without the URL (the token call's URL holds the API key).
fn failure(e: reqwest::Error) -> (String, bool) {
    let timeout = e.is_timeout();
    let e = e.without_url();
    let mut message = if timeout { "no answer within the timeout".to_string() } else { e.to_string() };
    let mut source = std::error::Error::source(&e);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    (message, timeout)
}

fn transport(label: &str, message: String) -> ConnectorError {
    ConnectorError::Transport { provider: DISPLAY_NAME.into(), message: format!("{label}: {message}") }
}

fn reason(answer: &Result<Raw, String>) -> String {
    match answer {
        Ok(raw) if raw.status == 403 => "HTTP 403 (throttled)".into(),
        Ok(raw) => format!("HTTP {}", raw.status),
        Err(_) => "no answer".into(),
    }
}

fn give_up(
    label: &str,
    outcome: &Outcome,
    answer: Result<Raw, String>,
    why: GiveUp,
    now: chrono::DateTime<chrono::Utc>,
) -> ConnectorError {
    let provider = DISPLAY_NAME.to_string();
    let asked = match (why, outcome) {
        (GiveUp::WaitTooLong { wait_secs }, _) => Some(wait_secs),
        (_, Outcome::Status { retry_after: Some(ra), .. }) => Some(crate::http::retry::ceil_secs(ra.wait_from(now))),
        _ => None,
    };
    match (outcome, answer) {
        (Outcome::Status { status: 429, .. }, _) => ConnectorError::RateLimited { provider, retry_after_secs: asked },
        (Outcome::Status { status, .. }, _) => ConnectorError::Server { provider, status: *status },
        (Outcome::Transport { .. }, Err(message)) => transport(label, message),
        (Outcome::Transport { .. }, Ok(_)) => transport(label, "transport error".into()),
    }
}

/// A header value marked sensitive (kept out of debug output).
fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut header = HeaderValue::from_str(value).ok()?;
    header.set_sensitive(true);
    Some(header)
}
