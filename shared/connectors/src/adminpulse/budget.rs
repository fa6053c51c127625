//! AdminPulse's 480 calls per minute, kept by the session itself: every call is counted in a
//! rolling window and a call that would exceed the limit first waits until the oldest one has
//! left the window. A pure structure: the session passes the time in and sleeps the answer.
//!
//! The window's time never runs backwards behind a slot it already handed out: with a test
//! clock that stands still while a fake sleeper "waits", the budget still moves on as if the
//! wait had happened (and with a real clock the sleep has made it so).

use chrono::{DateTime, Utc};
use std::collections::VecDeque;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct CallBudget {
    limit: usize,
    window: chrono::Duration,
    calls: VecDeque<DateTime<Utc>>,
    /// The latest instant a call was counted at (a slot may be in the clock's future).
    latest: Option<DateTime<Utc>>,
}

impl CallBudget {
    /// At most `limit` calls (at least 1) in any `window`.
    pub fn new(limit: u32, window: Duration) -> Self {
        let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
        Self { limit: limit.max(1) as usize, window, calls: VecDeque::new(), latest: None }
    }

    /// Reserves the slot of one call to be made now or later; answers how long to wait first
    /// (zero while the window has room).
    pub fn admit(&mut self, now: DateTime<Utc>) -> Duration {
        let now = self.latest.map_or(now, |l| l.max(now));
        self.expire(now);
        let at = if self.calls.len() < self.limit {
            now
        } else {
            // The call that must leave the window first for this one to fit.
            self.calls[self.calls.len() - self.limit] + self.window
        };
        self.expire(at);
        self.calls.push_back(at);
        self.latest = Some(at);
        (at - now).to_std().unwrap_or_default()
    }

    /// Counts `extra` calls made beyond the admitted ones (the seam's retries), at `now` or at
    /// the latest slot if that is later.
    pub fn record(&mut self, now: DateTime<Utc>, extra: u64) {
        let at = self.latest.map_or(now, |l| l.max(now));
        for _ in 0..extra {
            self.calls.push_back(at);
        }
        if extra > 0 {
            self.latest = Some(at);
        }
    }

    /// Calls counted in the window that ends at `now`.
    pub fn in_window(&self, now: DateTime<Utc>) -> usize {
        self.calls.iter().filter(|t| now - **t < self.window && **t <= now).count()
    }

    fn expire(&mut self, now: DateTime<Utc>) {
        while self.calls.front().is_some_and(|t| now - *t >= self.window) {
            self.calls.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn room_in_the_window_means_no_wait() {
        let mut b = CallBudget::new(3, MINUTE);
        for s in [0, 10, 20] {
            assert_eq!(b.admit(t(s)), Duration::ZERO, "call at {s}s");
        }
        assert_eq!(b.in_window(t(20)), 3);
    }

    #[test]
    fn the_call_over_the_limit_waits_for_the_oldest_to_leave() {
        let mut b = CallBudget::new(3, MINUTE);
        for s in [0, 10, 20] {
            b.admit(t(s));
        }
        assert_eq!(b.admit(t(30)), Duration::from_secs(30), "waits until 60 s after the first call");
        // A clock that stood still during the wait: the budget's time moved on to 60 s anyway.
        assert_eq!(b.admit(t(30)), Duration::from_secs(10), "the next waits for the call of 10 s to leave (70 s)");
        assert_eq!(b.admit(t(30)), Duration::from_secs(10), "and the next for the one of 20 s (80 s)");
        assert_eq!(b.in_window(t(80)), 3, "never more than the limit in any minute");
    }

    #[test]
    fn a_real_clock_past_the_slot_needs_no_wait() {
        let mut b = CallBudget::new(2, MINUTE);
        b.admit(t(0));
        b.admit(t(1));
        assert_eq!(b.admit(t(2)), Duration::from_secs(58));
        assert_eq!(b.admit(t(200)), Duration::ZERO, "long after: the window is empty");
        assert_eq!(b.in_window(t(200)), 1);
    }

    #[test]
    fn retries_count_too() {
        let mut b = CallBudget::new(3, MINUTE);
        b.admit(t(0));
        b.record(t(1), 2);
        assert_eq!(b.in_window(t(1)), 3);
        assert_eq!(b.admit(t(2)), Duration::from_secs(58), "the two retries filled the window");
        b.record(t(2), 0);
        assert_eq!(b.in_window(t(60)), 3, "the admitted call counts at its slot, 60 s");
    }

    #[test]
    fn four_hundred_eighty_a_minute_for_a_thousand_calls_on_a_standing_clock() {
        let mut b = CallBudget::new(480, MINUTE);
        let mut slot = t(0);
        let mut slots = Vec::new();
        for _ in 0..1000 {
            slot += chrono::Duration::from_std(b.admit(t(0))).unwrap_or_default();
            slots.push(slot);
        }
        assert_eq!(slot - t(0), chrono::Duration::seconds(120), "calls 481 and 961 each open a new minute");
        for (i, s) in slots.iter().enumerate() {
            let within = slots[i..].iter().take_while(|x| **x - *s < chrono::Duration::seconds(60)).count();
            assert!(within <= 480, "{within} calls within a minute from {s}");
        }
    }

    #[test]
    fn a_limit_of_zero_is_one() {
        let mut b = CallBudget::new(0, MINUTE);
        assert_eq!(b.admit(t(0)), Duration::ZERO);
        assert_eq!(b.admit(t(0)), MINUTE);
    }
}
