//! "Not ready yet": right after a new link AdminPulse may not serve the office for a few minutes
//! [S AP-5]. The stand-in answers so for a bearer's first `period` after its first call, and on
//! demand: the next N calls, or every call until an instant.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Readiness {
    period: Option<chrono::Duration>,
    first_use: HashMap<String, DateTime<Utc>>,
    calls: u32,
    until: Option<DateTime<Utc>>,
}

impl Readiness {
    pub fn new(period: Option<Duration>) -> Self {
        Self { period: period.and_then(|p| chrono::Duration::from_std(p).ok()), ..Self::default() }
    }

    /// The next `calls` calls (any bearer) answer "not ready".
    pub fn for_calls(&mut self, calls: u32) {
        self.calls = calls;
    }

    /// Every call answers "not ready" until `until`.
    pub fn until(&mut self, until: DateTime<Utc>) {
        self.until = Some(until);
    }

    pub fn clear(&mut self) {
        self.calls = 0;
        self.until = None;
        self.first_use.clear();
    }

    /// `Some(seconds to wait)` when this call is answered "not ready" (≥ 1).
    pub fn check(&mut self, bearer: &str, now: DateTime<Utc>) -> Option<u64> {
        let first = *self.first_use.entry(bearer.to_string()).or_insert(now);
        if self.calls > 0 {
            self.calls -= 1;
            return Some(60);
        }
        let ready_at = [self.until, self.period.map(|p| first + p)].into_iter().flatten().max()?;
        (now < ready_at).then(|| ((ready_at - now).num_milliseconds().max(0) as u64).div_ceil(1000).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap_or_default()
    }

    #[test]
    fn a_period_after_each_bearers_first_call() {
        let mut r = Readiness::new(Some(Duration::from_secs(300)));
        assert_eq!(r.check("a", t(0)), Some(300));
        assert_eq!(r.check("a", t(200)), Some(100));
        assert_eq!(r.check("b", t(200)), Some(300), "b's period starts at its own first call");
        assert_eq!(r.check("a", t(300)), None);
        assert_eq!(r.check("b", t(499)), Some(1));
        assert_eq!(r.check("b", t(500)), None);
    }

    #[test]
    fn on_demand_by_calls_or_until_an_instant() {
        let mut r = Readiness::new(None);
        assert_eq!(r.check("a", t(0)), None, "ready at once by default");
        r.for_calls(2);
        assert_eq!((r.check("a", t(1)), r.check("b", t(1)), r.check("a", t(1))), (Some(60), Some(60), None));
        r.until(t(100));
        assert_eq!(r.check("a", t(40)), Some(60));
        assert_eq!(r.check("a", t(100)), None);
        r.for_calls(1);
        r.clear();
        assert_eq!(r.check("a", t(100)), None);
    }
}
