//! The SnelStart connector against the running sandbox: paging, incremental reads, 429 /
//! 5xx / slow answers, token expiry, wrong keys, and no secret in any log line.

use chrono::{DateTime, NaiveDate, Utc};
use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy, client};
use koppel_connectors::snelstart::{SnelStartFactory, SnelStartOptions, SnelStartSession};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, PageRequest, RemoteRecord, SourceFactory, SourceSession};
use koppel_sandbox::{Resource, RunningSandbox, SandboxConfig, SnelStartSandbox};
use secrecy::SecretString;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Setup {
    sandbox: RunningSandbox,
    factory: SnelStartFactory,
    sleeper: RecordingSleeper,
}

async fn setup(config: SandboxConfig, timeout: Duration) -> Setup {
    let sandbox = match SnelStartSandbox::new(config).start_local().await {
        Ok(s) => s,
        Err(e) => panic!("sandbox starts: {e}"),
    };
    let sleeper = RecordingSleeper::new();
    let options = SnelStartOptions {
        retry: RetryPolicy { max_attempts: 4, jitter: Jitter::Fixed(0.0), ..RetryPolicy::default() },
        sleeper: Arc::new(sleeper.clone()),
        ..SnelStartOptions::default()
    };
    let Ok(http) = client(&ClientOptions { timeout, ..ClientOptions::default() }) else { panic!("client builds") };
    let factory = SnelStartFactory::new(sandbox.api_base(), sandbox.auth_base(), http, options);
    Setup { sandbox, factory, sleeper }
}

fn credentials(subscription_key: &str, connection_key: &str) -> Credentials {
    Credentials::new()
        .with("subscription_key", SecretString::from(subscription_key.to_string()))
        .with("connection_key", SecretString::from(connection_key.to_string()))
}

impl Setup {
    fn session(&self) -> SnelStartSession {
        self.session_with(self.sandbox.subscription_key(), self.sandbox.client_key())
    }
    fn session_with(&self, subscription_key: &str, connection_key: &str) -> SnelStartSession {
        match self.factory.open_session(&credentials(subscription_key, connection_key)) {
            Ok(s) => s,
            Err(e) => panic!("session opens: {e}"),
        }
    }
}

fn request(
    stream: StreamKind,
    start: NaiveDate,
    modified_after: Option<DateTime<Utc>>,
    skip: u64,
    top: u32,
) -> PageRequest {
    PageRequest { stream, start_date: start, modified_after, skip, top, token: None }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Reads a stream like the engine does: `skip += raw_len` until a short page.
async fn read_all(
    session: &SnelStartSession,
    stream: StreamKind,
    start: NaiveDate,
    after: Option<DateTime<Utc>>,
    top: u32,
) -> (Vec<RemoteRecord>, usize) {
    let (mut records, mut pages, mut skip) = (Vec::new(), 0, 0u64);
    loop {
        let page = match session.fetch_page(&request(stream, start, after, skip, top)).await {
            Ok(p) => p,
            Err(e) => panic!("page at skip {skip}: {e}"),
        };
        pages += 1;
        skip += page.raw_len as u64;
        for record in page.records {
            match record {
                Ok(r) => records.push(r),
                Err(p) => panic!("unreadable row {:?}: {}", p.remote_id, p.reason),
            }
        }
        if page.raw_len < top as usize {
            return (records, pages);
        }
    }
}

fn ids(records: &[RemoteRecord]) -> Vec<String> {
    records.iter().map(|r| r.remote_id().to_string()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn pages_through_every_customer_and_invoice() {
    let s =
        setup(SandboxConfig { customers: 1_234, invoices: 2_100, ..SandboxConfig::default() }, Duration::from_secs(10))
            .await;
    let session = s.session();
    let (customers, pages) = read_all(&session, StreamKind::Customers, date(2019, 1, 1), None, 500).await;
    assert_eq!(pages, 3);
    assert_eq!(ids(&customers), s.sandbox.data().ids_in_order(Resource::Relaties), "every relatie once, in order");
    let suppliers = customers.iter().filter(|r| matches!(r, RemoteRecord::Customer(c) if !c.is_customer)).count();
    assert!(suppliers > 0, "supplier-only relaties are read too (the engine skips them)");

    let (small_pages, pages) = read_all(&session, StreamKind::Customers, date(2019, 1, 1), None, 100).await;
    assert_eq!((small_pages.len(), pages), (1_234, 13));

    let (all_invoices, _) = read_all(&session, StreamKind::Invoices, date(2000, 1, 1), None, 500).await;
    assert_eq!(all_invoices.len(), 2_100);
    let (recent, _) = read_all(&session, StreamKind::Invoices, date(2023, 1, 1), None, 500).await;
    assert!(!recent.is_empty() && recent.len() < 2_100);
    assert!(recent.iter().all(|r| matches!(r, RemoteRecord::Invoice(i) if i.invoice_date >= date(2023, 1, 1))));
    let (payments, _) = read_all(&session, StreamKind::Payments, date(2023, 1, 1), None, 500).await;
    assert_eq!(sorted(ids(&payments)), sorted(ids(&recent)), "one payment state per invoice");
    assert!(payments.iter().any(|r| matches!(r, RemoteRecord::Payment(p) if p.outstanding_cents == 0)));
    assert!(payments.iter().any(|r| matches!(r, RemoteRecord::Payment(p) if p.outstanding_cents > 0)));
    assert_eq!(s.sandbox.stats().token_calls, 1, "one token for the whole session");
    assert_eq!(session.api_calls(), s.sandbox.stats().total);
}

#[tokio::test]
async fn an_incremental_read_returns_only_touched_records() {
    let s = setup(SandboxConfig { customers: 800, invoices: 900, ..SandboxConfig::default() }, Duration::from_secs(10))
        .await;
    let session = s.session();
    let start = date(2000, 1, 1);
    let (customers, _) = read_all(&session, StreamKind::Customers, start, None, 500).await;
    let watermark = customers.iter().filter_map(RemoteRecord::modified_on).max();
    let (invoices, _) = read_all(&session, StreamKind::Invoices, start, None, 500).await;
    let invoice_watermark = invoices.iter().filter_map(RemoteRecord::modified_on).max();

    let touched = s.sandbox.data().touch(Resource::Relaties, 7);
    let touched_invoices = s.sandbox.data().touch(Resource::Verkoopfacturen, 5);
    let (changed, _) = read_all(&session, StreamKind::Customers, start, watermark, 500).await;
    assert_eq!(sorted(ids(&changed)), sorted(touched));
    let (changed, _) = read_all(&session, StreamKind::Invoices, start, invoice_watermark, 500).await;
    assert_eq!(sorted(ids(&changed)), sorted(touched_invoices));
    let (payments, _) = read_all(&session, StreamKind::Payments, start, invoice_watermark, 500).await;
    assert_eq!(payments.len(), 900, "payments re-read everything: openstaandSaldo need not move modifiedOn");
}

#[tokio::test]
async fn a_429_with_retry_after_then_success() {
    let s = setup(SandboxConfig::default(), Duration::from_secs(10)).await;
    s.sandbox.faults().rate_limit(2, 1);
    let session = s.session();
    let page = session.fetch_page(&request(StreamKind::Customers, date(2019, 1, 1), None, 0, 500)).await;
    assert_eq!(page.map(|p| p.raw_len), Ok(100));
    assert_eq!(s.sleeper.waits(), vec![Duration::from_secs(1); 2], "Retry-After honoured");
    assert_eq!(s.sandbox.stats().by_status.get(&429), Some(&2));
    assert_eq!(session.api_calls(), 4);
}

#[tokio::test]
async fn a_500_then_success() {
    let s = setup(SandboxConfig::default(), Duration::from_secs(10)).await;
    s.sandbox.faults().inject(koppel_sandbox::Fault::server_error(1, 500).on_path("/v2/verkoopfacturen"));
    let session = s.session();
    let page = session.fetch_page(&request(StreamKind::Invoices, date(2000, 1, 1), None, 0, 500)).await;
    assert_eq!(page.map(|p| p.raw_len), Ok(300));
    assert_eq!(s.sleeper.waits().len(), 1);
    assert_eq!(session.api_calls(), 3, "token, 500, 200");
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let s = setup(SandboxConfig::default(), Duration::from_millis(400)).await;
    s.sandbox.faults().inject(koppel_sandbox::Fault::slow(1, Duration::from_millis(2_000)).on_path("/v2/relaties"));
    let session = s.session();
    let page = session.fetch_page(&request(StreamKind::Customers, date(2019, 1, 1), None, 0, 500)).await;
    assert_eq!(page.map(|p| p.raw_len), Ok(100));
    assert_eq!(s.sandbox.stats().count("/v2/relaties"), 2);
}

#[tokio::test]
async fn token_expiry_mid_run_costs_exactly_one_new_token() {
    let s = setup(SandboxConfig { customers: 1_000, ..SandboxConfig::default() }, Duration::from_secs(10)).await;
    let session = s.session();
    let first = session.fetch_page(&request(StreamKind::Customers, date(2019, 1, 1), None, 0, 500)).await;
    assert_eq!(first.map(|p| p.raw_len), Ok(500));
    s.sandbox.faults().expire_tokens();
    let second = session.fetch_page(&request(StreamKind::Customers, date(2019, 1, 1), None, 500, 500)).await;
    assert_eq!(second.map(|p| p.raw_len), Ok(500));
    let third = session.fetch_page(&request(StreamKind::Customers, date(2019, 1, 1), None, 1_000, 500)).await;
    assert_eq!(third.map(|p| p.raw_len), Ok(0));
    let stats = s.sandbox.stats();
    assert_eq!((stats.token_calls, stats.tokens_issued), (2, 2));
    assert_eq!(stats.by_status.get(&401), Some(&1));
    assert_eq!(session.api_calls(), 6, "token, page, 401, token, page, page");
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let config = SandboxConfig { token_ttl: Duration::from_secs(2), ..SandboxConfig::default() };
    let s = setup(config, Duration::from_secs(10)).await;
    let session = s.session();
    assert!(session.probe().await.is_ok());
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert!(session.fetch_page(&request(StreamKind::Customers, date(2019, 1, 1), None, 0, 10)).await.is_ok());
    let stats = s.sandbox.stats();
    assert_eq!(stats.tokens_issued, 2, "renewed at half of a short lifetime");
    assert_eq!(stats.by_status.get(&401), None, "without a single refused call");
}

#[tokio::test]
async fn a_wrong_subscription_key_is_named() {
    let s = setup(SandboxConfig::default(), Duration::from_secs(10)).await;
    let session = s.session_with("sandbox-subscription-key-old", s.sandbox.client_key());
    let err = session.probe().await.err();
    let Some(ConnectorError::Unauthorized { what, hint, .. }) = &err else {
        panic!("expected Unauthorized, got {err:?}")
    };
    assert!(what.contains("subscription key"), "{what}");
    assert!(hint.contains("developer portal"), "{hint}");
    let stats = s.sandbox.stats();
    assert_eq!((stats.token_calls, stats.count("/v2/echo")), (2, 2), "one re-token, then stop");
}

#[tokio::test]
async fn a_wrong_koppelsleutel_is_named() {
    let s = setup(SandboxConfig::default(), Duration::from_secs(10)).await;
    let boxed = s.factory.open("snelstart", credentials(s.sandbox.subscription_key(), "Sandbox-Koppelsleutel"));
    let Ok(session) = boxed else { panic!("opens") };
    let err = session.probe().await.err();
    let Some(ConnectorError::Unauthorized { what, hint, .. }) = &err else {
        panic!("expected Unauthorized, got {err:?}")
    };
    assert!(what.contains("connection key"), "{what}");
    assert!(hint.contains("case-sensitive"), "{hint}");
    assert_eq!(s.sandbox.stats().total, 1, "no API call without a token");
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
async fn no_key_or_token_reaches_the_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let s = setup(SandboxConfig { customers: 700, ..SandboxConfig::default() }, Duration::from_millis(400)).await;
    let session = s.session();
    let probe = session.probe().await;
    tracing::info!(?probe, "probe");
    s.sandbox.faults().rate_limit(1, 1);
    s.sandbox.faults().server_error(1, 503);
    s.sandbox.faults().inject(koppel_sandbox::Fault::slow(1, Duration::from_millis(1_000)));
    let _ = read_all(&session, StreamKind::Customers, date(2019, 1, 1), None, 500).await;
    s.sandbox.faults().expire_tokens();
    let _ = read_all(&session, StreamKind::Invoices, date(2019, 1, 1), None, 500).await;
    for (sub, conn) in
        [("wrong-subscription-key", s.sandbox.client_key()), (s.sandbox.subscription_key(), "wrong-koppelsleutel")]
    {
        let err = s.session_with(sub, conn).probe().await.err();
        tracing::error!(error = ?err, "refused as expected");
    }
    tracing::debug!(?session, factory = ?s.factory, "objects a caller might log");

    let logs = capture.0.lock().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    assert!(logs.contains("retrying provider call") && logs.contains("401"), "the capture saw the session: {logs}");
    let tokens = s.sandbox.issued_tokens();
    assert!(tokens.len() >= 3, "several tokens were issued: {}", tokens.len());
    let secrets =
        [s.sandbox.subscription_key(), s.sandbox.client_key(), "wrong-subscription-key", "wrong-koppelsleutel"];
    for secret in secrets.iter().copied().chain(tokens.iter().map(String::as_str)) {
        assert!(!logs.contains(secret), "a key or token reached the logs");
    }
}
