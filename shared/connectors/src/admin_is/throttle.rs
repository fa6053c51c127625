//! Self-throttling to the install's `RateLimit` (calls per rolling [`RATE_WINDOW`]): before a
//! call, if the window is full, wait until its oldest call leaves it. Waits go through the
//! injected sleeper and the time comes from the injected clock; a wait is trusted to have
//! happened, so a test sleeper that only moves a clock (or only records) never loops.

use chrono::{DateTime, Utc};
use koppel_core::ports::Clock;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::Mutex;

use super::assumptions::RATE_WINDOW;
use crate::http::Sleeper;

#[derive(Debug, Default)]
struct State {
    /// Calls allowed per window; `None` until the settings are read, or when the install sets none.
    limit: Option<u32>,
    /// When each call of the current window was made (or was due), oldest first.
    calls: VecDeque<DateTime<Utc>>,
}

#[derive(Debug, Default)]
pub struct Throttle {
    state: Mutex<State>,
}

impl Throttle {
    pub fn new() -> Self {
        Self::default()
    }

    /// The install's `RateLimit` (`0` or `None`: no limit).
    pub async fn set_limit(&self, limit: Option<u32>) {
        self.state.lock().await.limit = limit.filter(|l| *l > 0);
    }

    /// Waits while the window is full, then records one call. Returns the wait (zero when none).
    pub async fn acquire(&self, clock: &dyn Clock, sleeper: &dyn Sleeper) -> Duration {
        let mut state = self.state.lock().await;
        let now = clock.now();
        let window = chrono::Duration::from_std(RATE_WINDOW).unwrap_or(chrono::Duration::MAX);
        while state.calls.front().is_some_and(|t| *t + window <= now) {
            state.calls.pop_front();
        }
        let mut at = now;
        let mut waited = Duration::ZERO;
        if let Some(limit) = state.limit {
            while state.calls.len() >= limit as usize {
                let Some(oldest) = state.calls.pop_front() else { break };
                let free_at = oldest + window;
                if free_at > at {
                    let wait = (free_at - at).to_std().unwrap_or_default();
                    tracing::debug!(wait_ms = wait.as_millis() as u64, limit, "Admin IS rate limit reached; waiting");
                    sleeper.sleep(wait).await;
                    waited += wait;
                    at = free_at;
                }
            }
        }
        state.calls.push_back(at);
        waited
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::RecordingSleeper;
    use chrono::TimeZone;
    use std::sync::atomic::{AtomicI64, Ordering};

    /// A clock the test moves by hand.
    struct Hand(AtomicI64);

    impl Clock for Hand {
        fn now(&self) -> DateTime<Utc> {
            let start = Utc.with_ymd_and_hms(2024, 1, 1, 9, 0, 0).single().unwrap_or_default();
            start + chrono::Duration::milliseconds(self.0.load(Ordering::SeqCst))
        }
    }

    #[tokio::test]
    async fn no_limit_no_wait() {
        let (throttle, clock, sleeper) = (Throttle::new(), Hand(AtomicI64::new(0)), RecordingSleeper::new());
        for _ in 0..100 {
            assert_eq!(throttle.acquire(&clock, &sleeper).await, Duration::ZERO);
        }
        throttle.set_limit(Some(0)).await;
        assert_eq!(throttle.acquire(&clock, &sleeper).await, Duration::ZERO, "0 means no limit");
        assert!(sleeper.waits().is_empty());
    }

    #[tokio::test]
    async fn waits_for_the_oldest_call_to_leave_the_window() {
        let (throttle, clock, sleeper) = (Throttle::new(), Hand(AtomicI64::new(0)), RecordingSleeper::new());
        throttle.set_limit(Some(3)).await;
        for second in [0, 10, 20] {
            clock.0.store(second * 1_000, Ordering::SeqCst);
            assert_eq!(throttle.acquire(&clock, &sleeper).await, Duration::ZERO);
        }
        clock.0.store(30_000, Ordering::SeqCst);
        assert_eq!(throttle.acquire(&clock, &sleeper).await, Duration::from_secs(31), "until 0 s + 61 s");
        // The clock did not move (a recording sleeper): the next call is due after the call at 10 s.
        assert_eq!(throttle.acquire(&clock, &sleeper).await, Duration::from_secs(41));
        clock.0.store(200_000, Ordering::SeqCst);
        assert_eq!(throttle.acquire(&clock, &sleeper).await, Duration::ZERO, "old calls left the window");
        assert_eq!(sleeper.waits(), vec![Duration::from_secs(31), Duration::from_secs(41)]);
    }

    #[tokio::test]
    async fn a_lower_limit_applies_at_once() {
        let (throttle, clock, sleeper) = (Throttle::new(), Hand(AtomicI64::new(0)), RecordingSleeper::new());
        for _ in 0..5 {
            throttle.acquire(&clock, &sleeper).await;
        }
        throttle.set_limit(Some(2)).await;
        assert_eq!(throttle.acquire(&clock, &sleeper).await, Duration::from_secs(61));
        assert_eq!(sleeper.waits().len(), 1, "one wait covers every call over the limit");
    }
}
