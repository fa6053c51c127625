//! The Silverfin meeting connector when things go wrong: 429 waited out by `Retry-After`, a 5xx
//! on a create returned after exactly one request, a timeout after Silverfin stored the item
//! (found, never sent twice), Silverfin's own refusal messages (422, 403 scope, a company that is
//! gone), expired and OAuth tokens, and no token in any log line.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy};
use koppel_connectors::silverfin::{SilverfinMeetings, SilverfinOptions, SilverfinSession};
use koppel_core::ports::meeting::{ItemFile, ItemKind, MeetingApi, PushItem, Revision, TargetRef};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_sandbox::silverfin::{
    DEMO_ACCESS_TOKEN, RunningSilverfin, SilverfinConfig, SilverfinFault, SilverfinSandbox,
};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

/// The client gives up after this; a stalled write answers much later.
const TIMEOUT: Duration = Duration::from_millis(400);
const STALL: Duration = Duration::from_secs(20);

async fn start(config: SilverfinConfig) -> RunningSilverfin {
    match SilverfinSandbox::new(config).start_local().await {
        Ok(sf) => sf,
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

fn small() -> SilverfinConfig {
    SilverfinConfig { companies: 3, ..Default::default() }
}

fn session(sf: &RunningSilverfin, sleeper: &RecordingSleeper, token: &str) -> SilverfinSession {
    let options = SilverfinOptions {
        http: ClientOptions { timeout: TIMEOUT, ..ClientOptions::default() },
        retry: RetryPolicy { max_attempts: 4, jitter: Jitter::Fixed(0.0), ..SilverfinOptions::default().retry },
        sleeper: Arc::new(sleeper.clone()),
        clock: Arc::new(TestClock::at(now())),
        ..SilverfinOptions::default()
    };
    let creds = Credentials::new()
        .with("access_token", SecretString::from(token.to_string()))
        .with("firm_id", SecretString::from(sf.firm_id().to_string()));
    let factory = match SilverfinMeetings::with_options(&sf.base_url(), options) {
        Ok(f) => f,
        Err(e) => panic!("factory builds: {e}"),
    };
    match factory.open_session(&creds) {
        Ok(s) => s,
        Err(e) => panic!("session opens: {e}"),
    }
}

fn company(sf: &RunningSilverfin) -> u64 {
    sf.data().companies().first().map(|c| c.id).unwrap_or_default()
}

fn target(company: u64) -> TargetRef {
    TargetRef { kind: "company".into(), id: company.to_string(), folder: None, name: None }
}

fn item(kind: ItemKind, n: u64) -> PushItem {
    PushItem {
        meeting_id: "meeting-9".into(),
        item_id: format!("{}-{n}", kind.as_str()),
        kind,
        marker: format!("koppel-{:020x}", 0xfeed_0000 + n + 100 * kind as u64),
        title: format!("{} {n}", kind.as_str()),
        text: "Details.".into(),
        file: (kind == ItemKind::Report).then(|| ItemFile {
            name: "Verslag.pdf".into(),
            mime: "application/pdf".into(),
            bytes: b"%PDF-1.7".to_vec(),
        }),
        due: None,
        done: false,
        meeting_title: "Overleg".into(),
        meeting_at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).single().unwrap_or_default(),
        parent: None,
        links: vec![],
    }
}

#[tokio::test]
async fn a_429_is_waited_out_by_retry_after_then_the_create_goes_through() {
    let sf = start(small()).await;
    let sleeper = RecordingSleeper::new();
    let s = session(&sf, &sleeper, DEMO_ACCESS_TOKEN);
    sf.faults().inject(SilverfinFault::rate_limit(1, 7).on_method("POST"));
    assert!(s.create(&target(company(&sf)), &item(ItemKind::Note, 1)).await.is_ok());
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(7)]);
    assert_eq!((sf.data().item_counts(), sf.stats().status(429), sf.stats().remarks_created), ((1, 0), 1, 1));
}

#[tokio::test]
async fn a_5xx_on_a_create_comes_back_after_exactly_one_request() {
    let sf = start(small()).await;
    let sleeper = RecordingSleeper::new();
    let s = session(&sf, &sleeper, DEMO_ACCESS_TOKEN);
    // A 5xx on a read is retried as usual …
    sf.faults().inject(SilverfinFault::server_error(1, 502).on_method("GET").on_path("/periods"));
    // … but never on a write: Silverfin may have stored it.
    sf.faults().inject(SilverfinFault::server_error(2, 503).on_method("POST"));
    for kind in [ItemKind::Todo, ItemKind::Report] {
        let result = s.create(&target(company(&sf)), &item(kind, 1)).await;
        assert!(matches!(result, Err(ConnectorError::Server { status: 503, .. })), "{kind:?}: {result:?}");
    }
    let stats = sf.stats();
    assert_eq!(stats.calls_ending("/remarks"), 1, "one POST of the to-do");
    assert_eq!(stats.calls_ending("/permanent_documents"), 1, "one upload of the report");
    assert_eq!(stats.calls("GET /api/v4/f/{firm}/companies/{company}/periods"), 2, "the read was retried");
    assert_eq!(sleeper.waits().len(), 1);
    assert_eq!(sf.data().item_counts(), (0, 0));
}

#[tokio::test]
async fn a_timeout_after_silverfin_stored_the_item_is_found_not_sent_twice() {
    let sf = start(small()).await;
    let s = session(&sf, &RecordingSleeper::new(), DEMO_ACCESS_TOKEN);
    let co = company(&sf);
    for (n, kind) in [ItemKind::Report, ItemKind::Note, ItemKind::Todo].into_iter().enumerate() {
        sf.faults().stall_after_store(1, STALL);
        let stored = item(kind, 1);
        let result = s.create(&target(co), &stored).await;
        assert!(matches!(result, Err(ConnectorError::Transport { .. })), "{kind:?}: {result:?}");
        let found = s.find(&target(co), &stored).await;
        let Ok(Some(pushed)) = found else { panic!("{kind:?} found: {found:?}") };
        let (remarks, documents) = (sf.data().remarks(co), sf.data().documents(co));
        let ids: Vec<String> = match kind {
            ItemKind::Report => documents.iter().map(|d| d.id.to_string()).collect(),
            _ => remarks.iter().map(|r| format!("{}|{}", r.id, r.period_id)).collect(),
        };
        assert_eq!(ids.last(), Some(&pushed.remote_id), "{kind:?}");
        assert_eq!(remarks.len() + documents.len(), n + 1, "one copy of each");
    }
    assert_eq!(sf.stats().stalls, 3);
}

#[tokio::test]
async fn a_revision_that_timed_out_leaves_no_second_copy_behind() {
    let sf = start(small()).await;
    let s = session(&sf, &RecordingSleeper::new(), DEMO_ACCESS_TOKEN);
    let co = company(&sf);
    let report = item(ItemKind::Report, 1);
    let Ok(first) = s.create(&target(co), &report).await else { panic!("create") };
    let v2 = PushItem {
        file: Some(ItemFile { name: "Verslag.pdf".into(), mime: "application/pdf".into(), bytes: b"v2".to_vec() }),
        ..report.clone()
    };
    sf.faults().stall_after_store(1, STALL);
    assert!(matches!(s.revise(&target(co), &first, &v2).await, Err(ConnectorError::Transport { .. })));
    assert_eq!(sf.data().documents(co).len(), 2, "the new version was stored, the old one not yet deleted");
    let Ok(Revision::Replaced(last)) = s.revise(&target(co), &first, &v2).await else { panic!("replaced") };
    let docs = sf.data().documents(co);
    assert_eq!(docs.iter().map(|d| d.id.to_string()).collect::<Vec<_>>(), vec![last.remote_id], "leftover removed");
}

#[tokio::test]
async fn silverfins_own_refusals_reach_the_user() {
    let sf = start(small()).await;
    let s = session(&sf, &RecordingSleeper::new(), DEMO_ACCESS_TOKEN);
    let co = company(&sf);
    let empty = PushItem {
        file: Some(ItemFile { name: "Leeg.pdf".into(), mime: "application/pdf".into(), bytes: vec![] }),
        ..item(ItemKind::Report, 1)
    };
    let result = s.create(&target(co), &empty).await;
    let Err(ConnectorError::Rejected { status: 422, message, .. }) = result else { panic!("422: {result:?}") };
    assert_eq!(message, "content can't be blank");

    sf.faults().insufficient_scope(1);
    let result = s.create(&target(co), &item(ItemKind::Note, 1)).await;
    let Err(ConnectorError::Forbidden { message, .. }) = result else { panic!("403: {result:?}") };
    assert!(message.starts_with("The action requires a scope") && message.contains("communication:read"), "{message}");

    assert!(sf.data().archive_company(co));
    let result = s.create(&target(co), &item(ItemKind::Todo, 1)).await;
    let Err(ConnectorError::Rejected { status: 404, message, .. }) = result else { panic!("404: {result:?}") };
    assert!(message.contains("pick the target again") && message.contains("Company not found"), "{message}");
    assert_eq!(sf.data().item_counts(), (0, 0));
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
async fn expired_and_oauth_tokens_and_no_token_in_any_log_line() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let sf = start(SilverfinConfig { oauth: true, ..small() }).await;
    let Some(oauth) = sf.oauth() else { panic!("OAuth wired in") };
    let token = oauth.issue_tokens().access_token;
    let sleeper = RecordingSleeper::new();
    let by_oauth = session(&sf, &sleeper, &token);
    assert!(by_oauth.probe().await.is_ok());
    assert!(by_oauth.create(&target(company(&sf)), &item(ItemKind::Note, 1)).await.is_ok());
    oauth.expire_access_tokens();
    let expired = by_oauth.probe().await;
    let Err(ConnectorError::Unauthorized { hint, .. }) = &expired else { panic!("401: {expired:?}") };
    assert!(hint.contains("Connect Silverfin again"), "{hint}");

    let by_static = session(&sf, &sleeper, DEMO_ACCESS_TOKEN);
    sf.faults().rate_limit(1, 1);
    assert!(by_static.probe().await.is_ok());
    sf.faults().expire(DEMO_ACCESS_TOKEN);
    let refused = by_static.create(&target(company(&sf)), &item(ItemKind::Report, 2)).await;
    assert!(matches!(refused, Err(ConnectorError::Unauthorized { .. })), "{refused:?}");
    for e in [expired.err(), refused.err()].iter().flatten() {
        tracing::error!(error = %e, debug = ?e, "what a caller might log");
    }
    tracing::error!(a = ?by_oauth, b = ?by_static, "and the sessions");
    let logs = String::from_utf8_lossy(&capture.0.lock().map(|b| b.clone()).unwrap_or_default()).into_owned();
    assert!(
        logs.contains("retrying provider call") && logs.contains("Silverfin refused the call"),
        "capture works: {logs}"
    );
    assert!(!logs.contains(DEMO_ACCESS_TOKEN) && !logs.contains(&token), "a token in the logs:\n{logs}");
}
