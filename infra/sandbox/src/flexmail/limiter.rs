//! The rate limit: at most N served calls per account in a rolling window (60 s). A refused
//! call is not recorded, so it does not push the window further out.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Limiter {
    per_window: Option<u32>,
    window: Duration,
    calls: HashMap<String, VecDeque<Instant>>,
}

impl Limiter {
    pub fn new(per_window: Option<u32>, window: Duration) -> Self {
        Self { per_window, window, calls: HashMap::new() }
    }

    pub fn limit(&self) -> Option<u32> {
        self.per_window
    }

    /// A new limit (`None` = off); the calls already made still count.
    pub fn set_limit(&mut self, per_window: Option<u32>) {
        self.per_window = per_window;
    }

    /// Forgets every call made so far.
    pub fn reset(&mut self) {
        self.calls.clear();
    }

    /// Records a call for `account`, or answers how many seconds until a slot frees (≥ 1).
    pub fn admit(&mut self, account: &str, now: Instant) -> Result<(), u64> {
        let Some(limit) = self.per_window else { return Ok(()) };
        let window = self.window;
        let calls = self.calls.entry(account.to_string()).or_default();
        while calls.front().is_some_and(|t| now.duration_since(*t) >= window) {
            calls.pop_front();
        }
        if calls.len() < limit as usize {
            calls.push_back(now);
            return Ok(());
        }
        let oldest = calls.front().copied().unwrap_or(now);
        let wait = (oldest + window).saturating_duration_since(now);
        Err(wait.as_millis().div_ceil(1000).max(1) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_window_per_account() {
        let mut limiter = Limiter::new(Some(3), Duration::from_secs(60));
        let t0 = Instant::now();
        for s in 0..3 {
            assert_eq!(limiter.admit("a", t0 + Duration::from_secs(s * 10)), Ok(()));
        }
        assert_eq!(limiter.admit("a", t0 + Duration::from_secs(30)), Err(30));
        assert_eq!(limiter.admit("b", t0 + Duration::from_secs(30)), Ok(()), "other accounts have their own");
        assert_eq!(limiter.admit("a", t0 + Duration::from_millis(59_500)), Err(1), "never below 1 s");
        assert_eq!(limiter.admit("a", t0 + Duration::from_secs(60)), Ok(()), "the first call left the window");
        assert_eq!(limiter.admit("a", t0 + Duration::from_secs(61)), Err(9));
        limiter.set_limit(None);
        assert_eq!(limiter.admit("a", t0 + Duration::from_secs(61)), Ok(()));
    }
}
