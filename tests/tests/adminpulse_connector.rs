//! The AdminPulse connector against its stand-in: paging by token, the 480-a-minute budget kept
//! on a shared test clock (zero 429s), 429 / 5xx / slow answers, a withdrawn key, "not ready
//! yet", bad rows, the OAuth access token chosen over the API key, and no secret in any log line.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use koppel_connectors::adminpulse::{AdminPulseOptions, AdminPulseSession};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::Clock;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, PageNext, PageRequest, SourcePage, SourceSession};
use koppel_sandbox::adminpulse::{
    AdminPulseConfig, AdminPulseSandbox, DEMO_API_KEY, RunningAdminPulse, SandboxClock, generated_number,
};
use koppel_tests::adminpulse::{factory, options};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;
use serde_json::json;

struct Setup {
    ap: RunningAdminPulse,
    clock: Arc<TestClock>,
}

/// A stand-in whose rate limit and readiness run on the test clock the connector waits on.
async fn setup(config: AdminPulseConfig) -> Setup {
    let clock = Arc::new(TestClock::at(now()));
    let c = clock.clone();
    let config = AdminPulseConfig { clock: SandboxClock::from_fn(move || c.now()), ..config };
    let ap = match AdminPulseSandbox::new(config).start_local().await {
        Ok(s) => s,
        Err(e) => panic!("stand-in starts: {e}"),
    };
    Setup { ap, clock }
}

fn api_key(key: &str) -> Credentials {
    Credentials::new().with("api_key", SecretString::from(key.to_string()))
}

impl Setup {
    fn session(&self, change: impl FnOnce(&mut AdminPulseOptions)) -> AdminPulseSession {
        self.session_with(change, &api_key(DEMO_API_KEY))
    }
    fn session_with(&self, change: impl FnOnce(&mut AdminPulseOptions), creds: &Credentials) -> AdminPulseSession {
        let mut o = options(self.clock.clone());
        change(&mut o);
        match factory(&self.ap.base_url(), o).open_session(creds) {
            Ok(s) => s,
            Err(e) => panic!("session opens: {e}"),
        }
    }
}

fn request(token: Option<String>) -> PageRequest {
    PageRequest {
        stream: StreamKind::Customers,
        start_date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        modified_after: None,
        skip: 0,
        top: 500,
        token,
    }
}

/// Every page to the end, as the engine would: the pages and the tokens it was asked with.
async fn scan(session: &AdminPulseSession) -> Result<(Vec<SourcePage>, Vec<Option<String>>), ConnectorError> {
    let (mut pages, mut tokens, mut token) = (Vec::new(), Vec::new(), None);
    loop {
        tokens.push(token.clone());
        let page = session.fetch_page(&request(token.clone())).await?;
        token = match &page.next {
            PageNext::Token(t) => Some(t.clone()),
            _ => None,
        };
        pages.push(page);
        if token.is_none() || pages.len() > 10_000 {
            return Ok((pages, tokens));
        }
    }
}

fn no_limit() -> AdminPulseConfig {
    AdminPulseConfig { rate_limit_per_minute: None, ..AdminPulseConfig::default() }
}

#[tokio::test]
async fn a_full_scan_pages_by_token_with_exact_page_math() {
    let s = setup(AdminPulseConfig { relations: 1_001, ..no_limit() }).await;
    let session = s.session(|_| {});
    let Ok((pages, tokens)) = scan(&session).await else { panic!("scan") };
    assert_eq!(tokens, vec![None, Some("1".into()), Some("2".into())]);
    assert_eq!(pages.iter().map(|p| p.raw_len).collect::<Vec<_>>(), vec![400, 400, 201]);
    assert_eq!(pages[2].next, PageNext::End);
    let numbers: std::collections::HashSet<String> = pages
        .iter()
        .flat_map(|p| &p.records)
        .filter_map(|r| match r {
            Ok(koppel_core::ports::source::RemoteRecord::Customer(c)) => c.customer_number.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(numbers.len(), 1_001);
    assert!(numbers.contains(&generated_number(1_001)));
    assert_eq!((session.api_calls(), s.ap.stats().calls("GET /relations")), (3, 3));
    let recent: Vec<_> = s.ap.stats().recent.into_iter().filter_map(|l| l.query).collect();
    assert_eq!(recent, vec!["page=0&pageSize=400", "page=1&pageSize=400", "page=2&pageSize=400"]);

    let exact = setup(AdminPulseConfig { relations: 800, ..no_limit() }).await;
    let session = exact.session(|_| {});
    let Ok((pages, _)) = scan(&session).await else { panic!("scan") };
    assert_eq!((pages.len(), session.api_calls()), (2, 2), "800 = 2 × 400: no third, empty call");
}

#[tokio::test]
async fn the_480_a_minute_budget_is_kept_with_zero_429s() {
    // 1,000 relations in pages of 2 = 500 calls plus the probe, against a stand-in that enforces
    // 480 per rolling minute on the same (test) clock the connector waits on.
    let s = setup(AdminPulseConfig { relations: 1_000, ..AdminPulseConfig::default() }).await;
    let session = s.session(|o| o.page_size = 2);
    let started = s.clock.now();
    assert!(session.probe().await.is_ok());
    let Ok((pages, _)) = scan(&session).await else { panic!("scan") };
    assert_eq!(pages.len(), 500);
    let stats = s.ap.stats();
    assert_eq!((stats.rate_limited, stats.total, session.api_calls()), (0, 501, 501), "no 429, no retry");
    let waited = s.clock.now() - started;
    assert!(waited >= chrono::Duration::seconds(61), "call 481 waited for the minute to roll: {waited}");
    assert!(waited < chrono::Duration::seconds(62), "and only once: {waited}");
}

#[tokio::test]
async fn without_the_budget_the_same_scan_meets_429s() {
    // The control for the test above, smaller: 10 a minute at the stand-in, none kept by Koppel.
    let s =
        setup(AdminPulseConfig { relations: 30, rate_limit_per_minute: Some(10), ..AdminPulseConfig::default() }).await;
    let unbudgeted = s.session(|o| {
        o.page_size = 1;
        o.calls_per_minute = None;
    });
    let result = scan(&unbudgeted).await;
    assert!(result.is_ok(), "429s are honoured (Retry-After) and retried: {:?}", result.err());
    assert!(s.ap.stats().throttled > 0, "the stand-in refused calls");
    s.ap.faults().reset_rate_limit();
    s.ap.reset_stats();
    let budgeted = s.session(|o| {
        o.page_size = 1;
        o.calls_per_minute = Some(10);
    });
    assert!(scan(&budgeted).await.is_ok());
    assert_eq!(s.ap.stats().throttled, 0, "with the same limit kept by Koppel: none");
}

#[tokio::test]
async fn a_429_is_honoured_with_its_retry_after() {
    let s = setup(AdminPulseConfig { relations: 5, ..no_limit() }).await;
    s.ap.faults().rate_limit(1, 7);
    let session = s.session(|_| {});
    let before = s.clock.now();
    assert!(session.fetch_page(&request(None)).await.is_ok());
    assert_eq!(s.clock.now() - before, chrono::Duration::seconds(7));
    assert_eq!(session.api_calls(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_and_slow_answers_time_out() {
    let s = setup(AdminPulseConfig { relations: 5, ..no_limit() }).await;
    s.ap.faults().server_error(2, 503);
    let session = s.session(|_| {});
    assert!(session.fetch_page(&request(None)).await.is_ok());
    assert_eq!(session.api_calls(), 3);
    s.ap.faults().slow(1, Duration::from_millis(600));
    let quick = s.session(|o| o.http.timeout = Duration::from_millis(200));
    assert!(quick.fetch_page(&request(None)).await.is_ok(), "the slow answer timed out and was retried");
    assert_eq!(quick.api_calls(), 2);
    s.ap.faults().slow(4, Duration::from_millis(600));
    let e = quick.fetch_page(&request(None)).await.err();
    assert!(matches!(&e, Some(ConnectorError::Transport { message, .. }) if message.contains("timeout")), "{e:?}");
    s.ap.faults().server_error(4, 500);
    let e = session.fetch_page(&request(None)).await.err();
    assert!(matches!(e, Some(ConnectorError::Server { status: 500, .. })), "{e:?}");
}

#[tokio::test]
async fn a_withdrawn_key_is_unauthorized_with_the_scope_hint() {
    let s = setup(AdminPulseConfig { relations: 900, ..no_limit() }).await;
    let session = s.session(|_| {});
    assert!(session.fetch_page(&request(None)).await.is_ok());
    s.ap.faults().revoke(DEMO_API_KEY);
    let e = session.fetch_page(&request(Some("1".into()))).await.err();
    let Some(ConnectorError::Unauthorized { hint, .. }) = e else { panic!("unauthorized, got {e:?}") };
    assert!(hint.contains("'Read relations'"), "{hint}");
    let wrong = s.session_with(|_| {}, &api_key("not-a-key"));
    assert!(matches!(wrong.probe().await, Err(ConnectorError::Unauthorized { .. })));
}

#[tokio::test]
async fn not_ready_is_handed_to_the_engine_and_then_it_is_ready() {
    let s = setup(AdminPulseConfig { relations: 5, ..no_limit() }).await;
    s.ap.faults().not_ready_calls(1);
    let session = s.session(|_| {});
    let e = session.fetch_page(&request(None)).await.err();
    assert!(matches!(&e, Some(ConnectorError::NotReady { message, .. }) if message.contains("few minutes")), "{e:?}");
    assert_eq!(session.api_calls(), 1, "no retry loop inside the connector");
    assert!(session.fetch_page(&request(None)).await.is_ok());
}

#[tokio::test]
async fn bad_rows_are_record_problems() {
    let s = setup(AdminPulseConfig { relations: 3, ..no_limit() }).await;
    s.ap.data().add_raw(json!({"uniqueIdentifier": "X-1", "name": "Zonder id"}));
    s.ap.data().add_raw(json!(["not", "a", "relation"]));
    let Ok(page) = s.session(|_| {}).fetch_page(&request(None)).await else { panic!("page") };
    assert_eq!(page.raw_len, 5);
    let problems: Vec<_> = page.records.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(problems.len(), 2);
    assert!(problems[0].reason.contains("X-1"), "{:?}", problems[0]);
}

#[tokio::test]
async fn the_oauth_access_token_is_chosen_over_the_api_key() {
    let s = setup(AdminPulseConfig { relations: 3, oauth: true, ..no_limit() }).await;
    let Some(oauth) = s.ap.oauth() else { panic!("OAuth wired in") };
    let pair = oauth.issue_tokens();
    let creds = api_key("a-key-that-would-be-refused")
        .with("access_token", SecretString::from(pair.access_token.clone()))
        .with("refresh_token", SecretString::from(pair.refresh_token.clone()));
    let session = s.session_with(|_| {}, &creds);
    assert!(session.probe().await.is_ok(), "the access token was sent");
    oauth.expire_access_tokens();
    let e = session.fetch_page(&request(None)).await.err();
    let Some(ConnectorError::Unauthorized { hint, .. }) = e else { panic!("unauthorized, got {e:?}") };
    assert!(hint.contains("Sign in with AdminPulse again"), "{hint}");
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_key_or_token_in_any_log_line() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let s = setup(AdminPulseConfig { relations: 450, oauth: true, ..no_limit() }).await;
    let Some(oauth) = s.ap.oauth() else { panic!("OAuth wired in") };
    let token = oauth.issue_tokens().access_token;
    let session = s.session(|_| {});
    s.ap.faults().rate_limit(1, 1);
    s.ap.faults().server_error(1, 502);
    assert!(session.probe().await.is_ok());
    s.ap.faults().not_ready_calls(1);
    let errors = [session.fetch_page(&request(None)).await.err(), {
        s.ap.faults().revoke(DEMO_API_KEY);
        session.fetch_page(&request(Some("1".into()))).await.err()
    }];
    let oauth_session =
        s.session_with(|_| {}, &Credentials::new().with("access_token", SecretString::from(token.clone())));
    assert!(oauth_session.fetch_page(&request(None)).await.is_ok());
    for e in errors.iter().flatten() {
        tracing::error!(error = %e, debug = ?e, "what a caller might log");
    }
    tracing::error!(session = ?session, oauth = ?oauth_session, "and the sessions");
    let logs = String::from_utf8_lossy(&capture.0.lock().map(|b| b.clone()).unwrap_or_default()).into_owned();
    assert!(logs.contains("retrying provider call") && logs.contains("not ready"), "the capture works: {logs}");
    assert!(!logs.contains(DEMO_API_KEY) && !logs.contains(&token), "a secret in the logs:\n{logs}");
}
