//! The retry decision as a pure function: what happened, which attempt it was and what time
//! it is go in; "accept", "wait this long and retry" or "give up" comes out.
//!
//! Retried: 429, every 5xx, transport errors and timeouts. Never retried: other statuses
//! (2xx, 3xx with redirects off, and 4xx such as 400/401/403/404, which the caller maps).
//! `Retry-After` wins over backoff; a `Retry-After` longer than [`RetryPolicy::max_wait`]
//! gives up at once, so a run does not hang on a provider that asks for an hour.

use chrono::{DateTime, Utc};
use std::time::Duration;

use super::retry_after::RetryAfter;

/// Where the random part of the backoff comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Jitter {
    /// A fresh random sample per wait (production).
    Random,
    /// Always this sample in `0.0..=1.0` (tests, reproducible runs).
    Fixed(f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included.
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubles per attempt.
    pub base_delay: Duration,
    /// Cap on the computed backoff.
    pub max_backoff: Duration,
    /// Cap on any single wait, `Retry-After` included.
    pub max_wait: Duration,
    pub jitter: Jitter,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_wait: Duration::from_secs(120),
            jitter: Jitter::Random,
        }
    }
}

/// What one attempt produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with this status.
    Status { status: u16, retry_after: Option<RetryAfter> },
    /// No answer: connect failure, reset, or timeout.
    Transport { timeout: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Hand the answer to the caller as it is.
    Accept,
    /// Wait this long, then try again.
    Retry(Duration),
    /// Stop; the caller turns the last outcome into an error.
    GiveUp(GiveUp),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUp {
    AttemptsExhausted,
    /// The server asked to wait longer than `max_wait`.
    WaitTooLong {
        wait_secs: u64,
    },
}

pub fn is_retryable(outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Status { status, .. } => *status == 429 || (500..=599).contains(status),
        Outcome::Transport { .. } => true,
    }
}

/// `attempt` is the 1-based number of the attempt that produced `outcome`; `jitter` is a
/// sample in `0.0..=1.0` (clamped).
pub fn decide(policy: &RetryPolicy, attempt: u32, outcome: &Outcome, now: DateTime<Utc>, jitter: f64) -> Decision {
    if !is_retryable(outcome) {
        return Decision::Accept;
    }
    if attempt >= policy.max_attempts {
        return Decision::GiveUp(GiveUp::AttemptsExhausted);
    }
    let asked = match outcome {
        Outcome::Status { retry_after: Some(ra), .. } => Some(ra.wait_from(now)),
        _ => None,
    };
    match asked {
        Some(wait) if wait > policy.max_wait => Decision::GiveUp(GiveUp::WaitTooLong { wait_secs: ceil_secs(wait) }),
        Some(wait) => Decision::Retry(wait),
        None => Decision::Retry(backoff(policy, attempt, jitter).min(policy.max_wait)),
    }
}

/// "Equal jitter": half of the exponential step is fixed, the other half random, so waits
/// never collapse to zero and parallel clients still spread out.
pub fn backoff(policy: &RetryPolicy, attempt: u32, jitter: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(31);
    let step = policy.base_delay.saturating_mul(1u32 << exponent).min(policy.max_backoff);
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
    step / 2 + step.div_f64(2.0).mul_f64(jitter)
}

pub fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
