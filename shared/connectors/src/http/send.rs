//! Runs one logical request through the retry decision: every attempt is counted, waits go
//! through the injected sleeper, and the time for `Retry-After` dates comes from the clock.

use koppel_core::ports::Clock;
use koppel_core::ports::source::ConnectorError;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::retry::{Decision, GiveUp, Jitter, Outcome, RetryPolicy, decide};
use super::retry_after::RetryAfter;
use super::sleeper::Sleeper;

/// An answer the retry policy accepted (2xx, or a status that retrying will not change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub body: String,
}

impl HttpReply {
    pub fn is_success(&self) -> bool {
        (200..=299).contains(&self.status)
    }
}

/// Why the seam stopped trying.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("still rate limited after {attempts} attempt(s)")]
    RateLimited { retry_after_secs: Option<u64>, attempts: u32 },
    #[error("server error (HTTP {status}) after {attempts} attempt(s)")]
    Server { status: u16, attempts: u32 },
    #[error("{message} (after {attempts} attempt(s))")]
    Transport { message: String, timeout: bool, attempts: u32 },
}

impl SendError {
    pub fn into_connector_error(self, provider: &str) -> ConnectorError {
        let provider = provider.to_string();
        match self {
            SendError::RateLimited { retry_after_secs, .. } => {
                ConnectorError::RateLimited { provider, retry_after_secs }
            }
            SendError::Server { status, .. } => ConnectorError::Server { provider, status },
            SendError::Transport { .. } => ConnectorError::Transport { provider, message: self.to_string() },
        }
    }
}

/// The client plus the policy, the sleeper, the clock and the attempt counter.
pub struct HttpSeam {
    client: reqwest::Client,
    policy: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
    clock: Arc<dyn Clock>,
    attempts: AtomicU64,
}

impl HttpSeam {
    pub fn new(client: reqwest::Client, policy: RetryPolicy, sleeper: Arc<dyn Sleeper>, clock: Arc<dyn Clock>) -> Self {
        Self { client, policy, sleeper, clock, attempts: AtomicU64::new(0) }
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// HTTP attempts made through this seam, retries included.
    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// Sends `build()` until the policy accepts the answer or gives up. `label` names the call
    /// in logs (e.g. `GET /relaties`); it must hold no secret.
    pub async fn send<F>(&self, label: &str, build: F) -> Result<HttpReply, SendError>
    where
        F: Fn() -> reqwest::RequestBuilder,
    {
        self.send_with(label, build, false).await
    }

    /// For requests that create something (meeting pushes): retried only on 429, where the
    /// provider stored nothing. A timeout, a transport error or a 5xx may come after the provider
    /// stored the item, so the caller gets the error at once and looks the item up before trying
    /// again (the push ledger does).
    pub async fn send_write<F>(&self, label: &str, build: F) -> Result<HttpReply, SendError>
    where
        F: Fn() -> reqwest::RequestBuilder,
    {
        self.send_with(label, build, true).await
    }

    async fn send_with<F>(&self, label: &str, build: F, write: bool) -> Result<HttpReply, SendError>
    where
        F: Fn() -> reqwest::RequestBuilder,
    {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            self.attempts.fetch_add(1, Ordering::Relaxed);
            let (outcome, reply, transport) = match self.attempt(build()).await {
                Ok((reply, retry_after)) => {
                    tracing::debug!(call = label, attempt, status = reply.status, "provider answered");
                    (Outcome::Status { status: reply.status, retry_after }, Some(reply), None)
                }
                Err(failure) => {
                    tracing::debug!(call = label, attempt, error = %failure.message, "provider call failed");
                    (Outcome::Transport { timeout: failure.timeout }, None, Some(failure))
                }
            };
            let jitter = match self.policy.jitter {
                Jitter::Random => rand::random::<f64>(),
                Jitter::Fixed(sample) => sample,
            };
            let unsafe_to_repeat = write && !matches!(outcome, Outcome::Status { status: 429, .. });
            let decision = match decide(&self.policy, attempt, &outcome, self.clock.now(), jitter) {
                Decision::Retry(_) if unsafe_to_repeat => Decision::GiveUp(GiveUp::AttemptsExhausted),
                other => other,
            };
            match decision {
                Decision::Accept => {
                    if let Some(reply) = reply {
                        return Ok(reply);
                    }
                    // A transport failure is always retryable, so Accept always carries a reply.
                    return Err(give_up(&outcome, transport, attempt, None));
                }
                Decision::Retry(wait) => {
                    tracing::warn!(call = label, attempt, wait_ms = wait.as_millis() as u64, reason = %reason(&outcome), "retrying provider call");
                    self.sleeper.sleep(wait).await;
                }
                Decision::GiveUp(why) => {
                    let asked = match why {
                        GiveUp::WaitTooLong { wait_secs } => Some(wait_secs),
                        GiveUp::AttemptsExhausted => retry_after_secs(&outcome, self.clock.now()),
                    };
                    tracing::warn!(call = label, attempt, reason = %reason(&outcome), "giving up on provider call");
                    return Err(give_up(&outcome, transport, attempt, asked));
                }
            }
        }
    }

    async fn attempt(&self, request: reqwest::RequestBuilder) -> Result<(HttpReply, Option<RetryAfter>), Failure> {
        let response = request.send().await.map_err(Failure::from)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(RetryAfter::parse);
        let body = response.text().await.map_err(Failure::from)?;
        Ok((HttpReply { status, body }, retry_after))
    }
}

struct Failure {
    message: String,
    timeout: bool,
}

impl From<reqwest::Error> for Failure {
    fn from(e: reqwest::Error) -> Self {
        let timeout = e.is_timeout();
        // Without the URL: it holds no secret today, but query strings are no business of logs.
        let e = e.without_url();
        let mut message = if timeout { "no answer within the timeout".to_string() } else { e.to_string() };
        let mut source = std::error::Error::source(&e);
        while let Some(inner) = source {
            message.push_str(": ");
            message.push_str(&inner.to_string());
            source = inner.source();
        }
        Failure { message, timeout }
    }
}

fn reason(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Status { status, .. } => format!("HTTP {status}"),
        Outcome::Transport { timeout: true } => "timeout".into(),
        Outcome::Transport { timeout: false } => "transport error".into(),
    }
}

fn retry_after_secs(outcome: &Outcome, now: chrono::DateTime<chrono::Utc>) -> Option<u64> {
    match outcome {
        Outcome::Status { retry_after: Some(ra), .. } => Some(super::retry::ceil_secs(ra.wait_from(now))),
        _ => None,
    }
}

fn give_up(outcome: &Outcome, transport: Option<Failure>, attempts: u32, asked: Option<u64>) -> SendError {
    match outcome {
        Outcome::Status { status: 429, .. } => SendError::RateLimited { retry_after_secs: asked, attempts },
        Outcome::Status { status, .. } => SendError::Server { status: *status, attempts },
        Outcome::Transport { timeout } => SendError::Transport {
            message: transport.map_or_else(|| "transport error".to_string(), |f| f.message),
            timeout: *timeout,
            attempts,
        },
    }
}
