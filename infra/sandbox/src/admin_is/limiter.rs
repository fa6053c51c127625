//! The install's rate limit: at most `RateLimit` served calls per rolling minute, on the
//! stand-in's clock. A refused call is not recorded, so it does not push the window out.

use chrono::{DateTime, Duration, Utc};
use std::collections::VecDeque;

#[derive(Debug)]
pub struct Limiter {
    limit: Option<u32>,
    calls: VecDeque<DateTime<Utc>>,
}

impl Limiter {
    /// `None`: no limit enforced.
    pub fn new(limit: Option<u32>) -> Self {
        Self { limit, calls: VecDeque::new() }
    }

    pub fn set_limit(&mut self, limit: Option<u32>) {
        self.limit = limit;
    }

    pub fn reset(&mut self) {
        self.calls.clear();
    }

    /// Records the call, or `false` when the minute is full.
    pub fn admit(&mut self, now: DateTime<Utc>) -> bool {
        while self.calls.front().is_some_and(|t| *t + Duration::seconds(60) <= now) {
            self.calls.pop_front();
        }
        if self.limit.is_some_and(|l| self.calls.len() >= l as usize) {
            return false;
        }
        self.calls.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_minute() {
        let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let mut l = Limiter::new(Some(2));
        assert!(l.admit(t0) && l.admit(t0 + Duration::seconds(30)));
        assert!(!l.admit(t0 + Duration::seconds(59)));
        assert!(l.admit(t0 + Duration::seconds(60)), "the first call left the minute");
        assert!(!l.admit(t0 + Duration::seconds(61)));
        l.set_limit(None);
        assert!(l.admit(t0 + Duration::seconds(61)));
    }
}
