//! The rate limit: at most N served calls per bearer in a rolling window (60 s), on the stand-in's
//! clock. A refused call is not recorded, so it does not push the window further out.

use chrono::{DateTime, Utc};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

#[derive(Debug)]
pub struct Limiter {
    per_window: Option<u32>,
    window: chrono::Duration,
    calls: HashMap<String, VecDeque<DateTime<Utc>>>,
}

impl Limiter {
    pub fn new(per_window: Option<u32>, window: Duration) -> Self {
        let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::seconds(60));
        Self { per_window, window, calls: HashMap::new() }
    }

    /// A new limit (`None` = off); the calls already made still count.
    pub fn set_limit(&mut self, per_window: Option<u32>) {
        self.per_window = per_window;
    }

    pub fn reset(&mut self) {
        self.calls.clear();
    }

    /// Records a call for `bearer`, or answers how many seconds until a slot frees (≥ 1).
    pub fn admit(&mut self, bearer: &str, now: DateTime<Utc>) -> Result<(), u64> {
        let Some(limit) = self.per_window else { return Ok(()) };
        let window = self.window;
        let calls = self.calls.entry(bearer.to_string()).or_default();
        while calls.front().is_some_and(|t| now - *t >= window) {
            calls.pop_front();
        }
        if calls.len() < limit as usize {
            calls.push_back(now);
            return Ok(());
        }
        let oldest = calls.front().copied().unwrap_or(now);
        let wait = (oldest + window - now).num_milliseconds().max(0) as u64;
        Err(wait.div_ceil(1000).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ms: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(1_800_000_000_000 + ms).unwrap_or_default()
    }

    #[test]
    fn rolling_window_per_bearer() {
        let mut l = Limiter::new(Some(3), Duration::from_secs(60));
        for s in 0..3 {
            assert_eq!(l.admit("a", t(s * 10_000)), Ok(()));
        }
        assert_eq!(l.admit("a", t(30_000)), Err(30));
        assert_eq!(l.admit("b", t(30_000)), Ok(()), "another bearer has its own");
        assert_eq!(l.admit("a", t(59_500)), Err(1), "never below 1 s");
        assert_eq!(l.admit("a", t(60_000)), Ok(()), "the first call left the window");
        assert_eq!(l.admit("a", t(61_000)), Err(9));
        l.set_limit(None);
        assert_eq!(l.admit("a", t(61_000)), Ok(()));
    }
}
