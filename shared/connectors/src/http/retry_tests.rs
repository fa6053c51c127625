//! The full decision table of [`super::decide`].

use super::*;
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).single().unwrap_or_default()
}

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        base_delay: Duration::from_millis(100),
        max_backoff: Duration::from_millis(1_000),
        max_wait: Duration::from_secs(60),
        jitter: Jitter::Fixed(0.0),
    }
}

fn status(status: u16) -> Outcome {
    Outcome::Status { status, retry_after: None }
}

fn with_ra(status: u16, ra: RetryAfter) -> Outcome {
    Outcome::Status { status, retry_after: Some(ra) }
}

const MS: fn(u64) -> Duration = Duration::from_millis;
const SECS: fn(u64) -> Duration = Duration::from_secs;

#[test]
fn decision_table() {
    let at = |secs: i64| RetryAfter::At(now() + chrono::Duration::seconds(secs));
    #[rustfmt::skip]
    let table: Vec<(&str, Outcome, u32, f64, Decision)> = vec![
        // Success and redirects (redirects are off): hand to the caller.
        ("200",                 status(200), 1, 0.0, Decision::Accept),
        ("204",                 status(204), 1, 0.0, Decision::Accept),
        ("301",                 status(301), 1, 0.0, Decision::Accept),
        ("304",                 status(304), 4, 0.0, Decision::Accept),
        // Client errors other than 429: never retried, whatever the attempt.
        ("400",                 status(400), 1, 0.0, Decision::Accept),
        ("401",                 status(401), 1, 0.0, Decision::Accept),
        ("403",                 status(403), 2, 0.0, Decision::Accept),
        ("404",                 status(404), 1, 0.0, Decision::Accept),
        ("409",                 status(409), 1, 0.0, Decision::Accept),
        ("422",                 status(422), 1, 0.0, Decision::Accept),
        ("400 with Retry-After", with_ra(400, RetryAfter::Seconds(1)), 1, 0.0, Decision::Accept),
        // 429 without Retry-After: exponential backoff, jitter 0 → half the step.
        ("429 #1",              status(429), 1, 0.0, Decision::Retry(MS(50))),
        ("429 #2",              status(429), 2, 0.0, Decision::Retry(MS(100))),
        ("429 #3",              status(429), 3, 0.0, Decision::Retry(MS(200))),
        ("429 #4 jitter 1",     status(429), 4, 1.0, Decision::Retry(MS(800))),
        ("429 #5 exhausted",    status(429), 5, 0.0, Decision::GiveUp(GiveUp::AttemptsExhausted)),
        // 429 with Retry-After: the header wins over backoff.
        ("429 RA 3s",           with_ra(429, RetryAfter::Seconds(3)), 1, 0.5, Decision::Retry(SECS(3))),
        ("429 RA 0s",           with_ra(429, RetryAfter::Seconds(0)), 2, 0.5, Decision::Retry(SECS(0))),
        ("429 RA = cap",        with_ra(429, RetryAfter::Seconds(60)), 1, 0.0, Decision::Retry(SECS(60))),
        ("429 RA > cap",        with_ra(429, RetryAfter::Seconds(61)), 1, 0.0,
                                Decision::GiveUp(GiveUp::WaitTooLong { wait_secs: 61 })),
        ("429 RA date +7s",     with_ra(429, at(7)), 1, 0.0, Decision::Retry(SECS(7))),
        ("429 RA date past",    with_ra(429, at(-30)), 1, 0.0, Decision::Retry(SECS(0))),
        ("429 RA date +1h",     with_ra(429, at(3_600)), 1, 0.0,
                                Decision::GiveUp(GiveUp::WaitTooLong { wait_secs: 3_600 })),
        ("429 RA on last",      with_ra(429, RetryAfter::Seconds(1)), 5, 0.0,
                                Decision::GiveUp(GiveUp::AttemptsExhausted)),
        // 5xx: retried like 429.
        ("500 #1",              status(500), 1, 0.0, Decision::Retry(MS(50))),
        ("502 #2 jitter .5",    status(502), 2, 0.5, Decision::Retry(MS(150))),
        ("503 RA 2s",           with_ra(503, RetryAfter::Seconds(2)), 1, 0.0, Decision::Retry(SECS(2))),
        ("504 #4",              status(504), 4, 0.0, Decision::Retry(MS(400))),
        ("599 #1",              status(599), 1, 0.0, Decision::Retry(MS(50))),
        ("500 exhausted",       status(500), 5, 0.0, Decision::GiveUp(GiveUp::AttemptsExhausted)),
        ("500 past max",        status(500), 9, 0.0, Decision::GiveUp(GiveUp::AttemptsExhausted)),
        // Transport errors and timeouts.
        ("connect error",       Outcome::Transport { timeout: false }, 1, 0.0, Decision::Retry(MS(50))),
        ("timeout",             Outcome::Transport { timeout: true }, 3, 0.0, Decision::Retry(MS(200))),
        ("timeout exhausted",   Outcome::Transport { timeout: true }, 5, 0.0,
                                Decision::GiveUp(GiveUp::AttemptsExhausted)),
    ];
    for (name, outcome, attempt, jitter, expected) in table {
        assert_eq!(decide(&policy(), attempt, &outcome, now(), jitter), expected, "{name}");
    }
}

#[test]
fn backoff_is_capped_and_never_exceeds_max_wait() {
    let mut p = policy();
    p.max_attempts = 100;
    for attempt in 1..100 {
        for jitter in [0.0, 0.3, 1.0, f64::NAN, -4.0, 9.0] {
            let Decision::Retry(wait) = decide(&p, attempt, &status(503), now(), jitter) else {
                panic!("attempt {attempt} should retry");
            };
            assert!(wait <= p.max_backoff, "attempt {attempt}: {wait:?}");
            assert!(wait >= MS(50), "attempt {attempt}: {wait:?}");
        }
    }
    p.max_wait = MS(300);
    assert_eq!(decide(&p, 10, &status(500), now(), 1.0), Decision::Retry(MS(300)));
}

#[test]
fn one_attempt_policy_never_retries() {
    let p = RetryPolicy { max_attempts: 1, ..policy() };
    assert_eq!(decide(&p, 1, &status(503), now(), 0.0), Decision::GiveUp(GiveUp::AttemptsExhausted));
    assert_eq!(decide(&p, 1, &status(200), now(), 0.0), Decision::Accept);
}

#[test]
fn ceil_secs_rounds_up() {
    assert_eq!(ceil_secs(MS(0)), 0);
    assert_eq!(ceil_secs(MS(1)), 1);
    assert_eq!(ceil_secs(MS(1_000)), 1);
    assert_eq!(ceil_secs(MS(1_001)), 2);
}
