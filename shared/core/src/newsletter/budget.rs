//! The API-call budget of one connection: calls in any rolling minute and per calendar month
//! (UTC), kept in `BUDGET#{yyyy-mm}`. Counted before each call, never discovered by a 429.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::newsletter::NewsletterSettings;
use crate::ports::{ItemStore, StoreError};
use crate::{AppError, keys, repo};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetState {
    pub month_calls: u64,
    /// Milliseconds since the epoch of the calls in the last minute (at most the per-minute limit).
    pub recent: Vec<i64>,
    /// 429 answers received this month: each one means the budget is set higher than the provider allows.
    pub rate_limited: u64,
    /// No call before this instant (a provider's Retry-After).
    pub blocked_until: Option<DateTime<Utc>>,
}

/// What the next call may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Go,
    /// The minute's calls are spent (or the provider asked to wait) until then.
    WaitUntil(DateTime<Utc>),
    /// The month's cap is reached.
    MonthSpent,
}

#[derive(Debug)]
pub struct Budget {
    pk: String,
    month: String,
    version: u64,
    /// Calls recorded since the last save (merged on a concurrent update).
    unsaved: u64,
    per_minute: u32,
    monthly_cap: Option<u32>,
    pub state: BudgetState,
}

fn month_of(now: DateTime<Utc>) -> String {
    now.format("%Y-%m").to_string()
}

impl Budget {
    pub async fn load(
        store: &dyn ItemStore,
        tenant: &str,
        conn: &str,
        settings: &NewsletterSettings,
        now: DateTime<Utc>,
    ) -> Result<Self, AppError> {
        let pk = keys::conn_pk(tenant, conn);
        let month = month_of(now);
        let (state, version) =
            repo::get::<BudgetState>(store, &pk, &keys::budget_sk(&month)).await?.unwrap_or_default();
        Ok(Self {
            pk,
            month,
            version,
            unsaved: 0,
            per_minute: settings.calls_per_minute.max(1),
            monthly_cap: settings.monthly_call_cap,
            state,
        })
    }

    pub fn month_calls(&self) -> u64 {
        self.state.month_calls
    }

    /// May one more call be made at `now`?
    pub fn check(&mut self, now: DateTime<Utc>) -> Gate {
        if month_of(now) != self.month {
            self.month = month_of(now);
            self.version = 0;
            self.state = BudgetState { recent: std::mem::take(&mut self.state.recent), ..Default::default() };
        }
        if let Some(cap) = self.monthly_cap
            && self.state.month_calls >= u64::from(cap)
        {
            return Gate::MonthSpent;
        }
        if let Some(until) = self.state.blocked_until.filter(|u| *u > now) {
            return Gate::WaitUntil(until);
        }
        let window_start = (now - Duration::minutes(1)).timestamp_millis();
        self.state.recent.retain(|t| *t > window_start);
        if self.state.recent.len() >= self.per_minute as usize {
            let oldest = self.state.recent.iter().min().copied().unwrap_or(window_start);
            let free_at = DateTime::<Utc>::from_timestamp_millis(oldest + 60_000 + 1).unwrap_or(now);
            return Gate::WaitUntil(free_at.max(now));
        }
        Gate::Go
    }

    /// Count `calls` made at `now`.
    pub fn record(&mut self, now: DateTime<Utc>, calls: u64) {
        for _ in 0..calls {
            self.state.recent.push(now.timestamp_millis());
        }
        let keep = self.per_minute as usize;
        if self.state.recent.len() > keep {
            let drop = self.state.recent.len() - keep;
            self.state.recent.drain(..drop);
        }
        self.state.month_calls += calls;
        self.unsaved += calls;
    }

    /// The provider answered 429: wait as it says (at least a second), and remember it.
    pub fn record_429(&mut self, now: DateTime<Utc>, retry_after_secs: Option<u64>) {
        self.state.rate_limited += 1;
        let secs = i64::try_from(retry_after_secs.unwrap_or(60).clamp(1, 3600)).unwrap_or(60);
        self.state.blocked_until = Some(now + Duration::seconds(secs));
    }

    /// Persist; a concurrent writer's calls are kept (merged, then retried).
    pub async fn save(&mut self, store: &dyn ItemStore) -> Result<(), AppError> {
        let sk = keys::budget_sk(&self.month);
        for _ in 0..5 {
            match repo::put_next(store, &self.pk, &sk, &self.state, self.version).await {
                Ok(v) => {
                    self.version = v;
                    self.unsaved = 0;
                    return Ok(());
                }
                Err(StoreError::ConditionFailed) => {
                    let (theirs, version) = repo::get::<BudgetState>(store, &self.pk, &sk).await?.unwrap_or_default();
                    let ours_before = self.state.month_calls - self.unsaved;
                    let added_by_them = theirs.month_calls.saturating_sub(ours_before);
                    self.state.month_calls += added_by_them;
                    self.state.rate_limited = self.state.rate_limited.max(theirs.rate_limited);
                    self.state.blocked_until = self.state.blocked_until.max(theirs.blocked_until);
                    let mut recent: Vec<i64> = theirs.recent.into_iter().chain(self.state.recent.drain(..)).collect();
                    recent.sort_unstable();
                    recent.dedup();
                    self.state.recent = recent;
                    self.unsaved += added_by_them;
                    self.version = version;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::conflict("the call budget kept changing while saving", "The next run tries again."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::newsletter::ReportOptions;

    fn settings(per_minute: u32, cap: Option<u32>) -> NewsletterSettings {
        NewsletterSettings {
            account_id: "1".into(),
            interests: true,
            bounce_email: None,
            opt_in: false,
            field_map: vec![],
            language: "nl".into(),
            calls_per_minute: per_minute,
            monthly_call_cap: cap,
            reconcile_every_hours: 24,
            report: ReportOptions::default(),
            source_id: None,
            webhook: None,
            last_reconciled_at: None,
        }
    }

    fn budget(per_minute: u32, cap: Option<u32>) -> Budget {
        let s = settings(per_minute, cap);
        Budget {
            pk: "T#t#C#c".into(),
            month: "2026-11".into(),
            version: 0,
            unsaved: 0,
            per_minute: s.calls_per_minute,
            monthly_cap: s.monthly_call_cap,
            state: BudgetState::default(),
        }
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z").unwrap().with_timezone(&Utc) + Duration::seconds(secs)
    }

    #[test]
    fn a_rolling_minute_never_holds_more_than_the_limit() {
        let mut b = budget(3, None);
        for s in [0, 10, 20] {
            assert_eq!(b.check(at(s)), Gate::Go);
            b.record(at(s), 1);
        }
        // The 4th call must wait until the call at 0 s is a minute old.
        assert_eq!(b.check(at(59)), Gate::WaitUntil(at(60) + Duration::milliseconds(1)));
        assert_eq!(b.check(at(61)), Gate::Go);
    }

    #[test]
    fn the_monthly_cap_stops_and_a_new_month_starts_over() {
        let mut b = budget(60, Some(2));
        b.record(at(0), 2);
        assert_eq!(b.check(at(120)), Gate::MonthSpent);
        assert_eq!(b.check(at(60 * 60 * 24 * 10)), Gate::Go, "December has its own budget");
    }

    #[test]
    fn retry_after_blocks_calls() {
        let mut b = budget(60, None);
        b.record_429(at(0), Some(30));
        assert_eq!(b.check(at(10)), Gate::WaitUntil(at(30)));
        assert_eq!(b.check(at(31)), Gate::Go);
        assert_eq!(b.state.rate_limited, 1);
    }
}
