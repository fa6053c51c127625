//! Every newsletter call goes through here: budget first, then exactly one request, then
//! counting. Waits (per-minute budget, Retry-After) happen only when the run has time for them.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};

use super::budget::{Budget, Gate};
use crate::AppError;
use crate::ports::newsletter::NewsletterApi;
use crate::ports::{Clock, ConnectorError, ItemStore};

/// Why a call was not made or did not succeed.
#[derive(Debug)]
pub enum Stop {
    /// Not enough time left to wait for the budget; a continuation resumes.
    OutOfTime,
    /// The month's call cap is reached; the run stops until the cap allows calls again.
    MonthSpent,
    /// The provider refused or failed (after the retries a transient error gets).
    Provider(ConnectorError),
    App(AppError),
}

impl From<AppError> for Stop {
    fn from(e: AppError) -> Self {
        Stop::App(e)
    }
}

type CallFuture<'f, T> = Pin<Box<dyn Future<Output = Result<T, ConnectorError>> + Send + 'f>>;

/// Attempts for a 5xx / transport error, and for a 429.
const TRANSIENT_ATTEMPTS: u32 = 3;

pub struct Caller<'a> {
    api: &'a dyn NewsletterApi,
    clock: &'a dyn Clock,
    pub budget: Budget,
    deadline: DateTime<Utc>,
    seen: u64,
    /// Calls made by this caller.
    pub calls: u64,
}

impl<'a> Caller<'a> {
    pub fn new(api: &'a dyn NewsletterApi, clock: &'a dyn Clock, budget: Budget, deadline: DateTime<Utc>) -> Self {
        let seen = api.api_calls();
        Self { api, clock, budget, deadline, seen, calls: 0 }
    }

    pub fn deadline(&self) -> DateTime<Utc> {
        self.deadline
    }

    /// Wait until the budget allows one call, or say why not.
    async fn gate(&mut self) -> Result<(), Stop> {
        loop {
            let now = self.clock.now();
            match self.budget.check(now) {
                Gate::Go => return Ok(()),
                Gate::MonthSpent => return Err(Stop::MonthSpent),
                Gate::WaitUntil(t) if t < self.deadline => {
                    let wait = (t - now).to_std().unwrap_or(StdDuration::from_millis(1));
                    self.clock.sleep(wait).await;
                }
                Gate::WaitUntil(_) => return Err(Stop::OutOfTime),
            }
        }
    }

    fn count(&mut self) {
        let total = self.api.api_calls();
        let made = total.saturating_sub(self.seen);
        self.seen = total;
        self.calls += made;
        self.budget.record(self.clock.now(), made);
    }

    /// Make one call (`f` makes exactly one request), retrying transient failures within the budget.
    pub async fn call<'f, T>(&mut self, f: impl Fn(&'f dyn NewsletterApi) -> CallFuture<'f, T>) -> Result<T, Stop>
    where
        'a: 'f,
    {
        let api: &'f dyn NewsletterApi = self.api;
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.gate().await?;
            let result = f(api).await;
            self.count();
            match result {
                Ok(v) => return Ok(v),
                Err(ConnectorError::RateLimited { retry_after_secs, provider }) => {
                    self.budget.record_429(self.clock.now(), retry_after_secs);
                    tracing::warn!(%provider, retry_after_secs, "429 although the call budget allowed the call");
                    if attempt >= TRANSIENT_ATTEMPTS {
                        return Err(Stop::Provider(ConnectorError::RateLimited { provider, retry_after_secs }));
                    }
                }
                Err(e) if e.is_transient() && attempt < TRANSIENT_ATTEMPTS => {
                    let wait = StdDuration::from_secs(1 << attempt);
                    let now = self.clock.now();
                    if now + chrono::Duration::from_std(wait).unwrap_or_default() >= self.deadline {
                        return Err(Stop::Provider(e));
                    }
                    self.clock.sleep(wait).await;
                }
                Err(e) => return Err(Stop::Provider(e)),
            }
        }
    }

    pub async fn save(&mut self, store: &dyn ItemStore) -> Result<(), AppError> {
        self.budget.save(store).await
    }
}
