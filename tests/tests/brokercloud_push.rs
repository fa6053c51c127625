//! The Brokercloud meeting connector against its stand-in: the access token (static and from the
//! OAuth stand-in) and its refusal, parties paged, sorted and searched, a report under the
//! party's files read back, found again after a timeout that came after the store, replaced (and
//! left alone when Brokercloud will not delete), 429 waited out, no blind retry of a create on
//! 5xx, Brokercloud's own message in `Rejected`, and no secret in any log line.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use koppel_connectors::brokercloud::{BrokercloudMeetings, BrokercloudOptions, BrokercloudSession};
use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy};
use koppel_core::ports::meeting::{ItemFile, ItemKind, MeetingApi, PushItem, Pushed, Revision, TargetQuery, TargetRef};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_sandbox::Fault;
use koppel_sandbox::brokercloud::{
    BrokercloudConfig, BrokercloudData, BrokercloudSandbox, DEMO_ACCESS_TOKEN, RunningBrokercloud,
};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

const UPLOAD: &str = "POST /api/v2/parties/{id}/files";

async fn start(oauth: bool) -> RunningBrokercloud {
    match BrokercloudSandbox::new(BrokercloudConfig { oauth, ..BrokercloudConfig::default() }).start_local().await {
        Ok(s) => s,
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

fn token(value: &str) -> Credentials {
    Credentials::new().with("access_token", SecretString::from(value.to_string()))
}

fn session_with(
    bc: &RunningBrokercloud,
    sleeper: &RecordingSleeper,
    timeout: Duration,
    c: &Credentials,
) -> BrokercloudSession {
    let options = BrokercloudOptions {
        http: ClientOptions { timeout, ..ClientOptions::default() },
        retry: RetryPolicy { max_attempts: 4, jitter: Jitter::Fixed(0.0), ..BrokercloudOptions::default().retry },
        sleeper: Arc::new(sleeper.clone()),
        clock: Arc::new(TestClock::at(now())),
    };
    let factory = match BrokercloudMeetings::with_options(&bc.base_url(), options) {
        Ok(f) => f,
        Err(e) => panic!("factory builds: {e}"),
    };
    match factory.open_session(c) {
        Ok(s) => s,
        Err(e) => panic!("session opens: {e}"),
    }
}

fn session(bc: &RunningBrokercloud, sleeper: &RecordingSleeper) -> BrokercloudSession {
    session_with(bc, sleeper, Duration::from_secs(5), &token(DEMO_ACCESS_TOKEN))
}

fn report(marker: &str, file_name: &str, bytes: &[u8]) -> PushItem {
    PushItem {
        meeting_id: "m-1".into(),
        item_id: "r-1".into(),
        kind: ItemKind::Report,
        marker: marker.into(),
        title: "Verslag".into(),
        text: "Verslag van het gesprek over de brandpolis".into(),
        file: Some(ItemFile { name: file_name.into(), mime: "application/pdf".into(), bytes: bytes.to_vec() }),
        due: None,
        done: false,
        meeting_title: "Jaarlijkse opvolging".into(),
        meeting_at: Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).single().unwrap_or_default(),
        parent: None,
        links: vec![],
    }
}

fn party(id: &str) -> TargetRef {
    TargetRef { kind: "party".into(), id: id.into(), folder: None, name: None }
}

fn first_party() -> String {
    BrokercloudData::generated_party_id(1)
}

fn query(search: Option<&str>, page: u32) -> TargetQuery {
    TargetQuery { kind: "party".into(), search: search.map(str::to_string), page, parent: None }
}

#[tokio::test]
async fn the_probe_takes_static_and_oauth_tokens_and_asks_to_reconnect_otherwise() {
    let bc = start(true).await;
    let sleeper = RecordingSleeper::new();
    let info = session(&bc, &sleeper).probe().await;
    assert_eq!(info.ok().and_then(|p| p.account).as_deref(), Some("Brokercloud (400 parties)"));
    assert_eq!(bc.stats().recent.last().and_then(|r| r.query.clone()).as_deref(), Some("draw=1&start=0&length=1"));
    let Some(oauth) = bc.oauth() else { panic!("OAuth wired in") };
    let pair = oauth.issue_tokens();
    let s = session_with(&bc, &sleeper, Duration::from_secs(5), &token(&pair.access_token));
    assert!(s.probe().await.is_ok(), "an access token of the OAuth stand-in is accepted");
    oauth.expire_access_tokens();
    let e = s.probe().await.err();
    assert!(matches!(&e, Some(ConnectorError::Unauthorized { hint, .. }) if hint.contains("reconnect")), "{e:?}");
    assert!(!format!("{e:?}{s:?}").contains(&pair.access_token), "no token in errors or Debug");
    let e = session_with(&bc, &sleeper, Duration::from_secs(5), &token("not-a-token")).probe().await.err();
    assert!(matches!(e, Some(ConnectorError::Unauthorized { .. })), "{e:?}");
    assert_eq!(bc.stats().unauthorized, 2);
    assert_eq!(
        bc.oauth_urls().map(|(a, t)| (a.ends_with("/oauth/v2/auth"), t.ends_with("/oauth/v2/token"))),
        Some((true, true))
    );
}

#[tokio::test]
async fn parties_are_paged_sorted_and_searched() {
    let bc = start(false).await;
    let s = session(&bc, &RecordingSleeper::new());
    let mut names = Vec::new();
    for page in 0..4 {
        let Ok(p) = s.targets(&query(None, page)).await else { panic!("page {page}") };
        assert_eq!((p.targets.len(), p.more), (100, page < 3), "page {page}");
        assert!(p.targets.iter().all(|t| t.kind == "party" && t.detail.as_deref().is_some_and(|d| d.contains('/'))));
        names.extend(p.targets.into_iter().map(|t| (t.name, t.id)));
    }
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "sorted by name across pages");
    names.dedup_by(|a, b| a.1 == b.1);
    assert_eq!(names.len(), 400);
    let Some(p21) = bc.data().party(&BrokercloudData::generated_party_id(21)) else { panic!("party 21") };
    let found = s.targets(&query(Some(&p21.reference()), 0)).await;
    let Ok(found) = found else { panic!("search") };
    assert!(found.targets.iter().any(|t| t.id == p21.id.to_string() && t.name == p21.name), "{found:?}");
    assert!(found.targets.len() < 100 && !found.more);
    let e = s.targets(&TargetQuery { kind: "folder".into(), ..query(None, 0) }).await.err();
    assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })), "{e:?}");
}

#[tokio::test]
async fn a_report_lands_under_the_partys_files_and_is_found_by_its_marker() {
    let bc = start(false).await;
    let s = session(&bc, &RecordingSleeper::new());
    let item = report("koppel-00000000000000000001", "Verslag 2026-11-21.pdf", b"%PDF-1.7 verslag");
    assert_eq!(s.find(&party(&first_party()), &item).await, Ok(None), "nothing sent yet");
    let with_folder = TargetRef { folder: Some("ignored".into()), ..party(&first_party()) };
    let Ok(pushed) = s.create(&with_folder, &item).await else { panic!("created") };
    let Some(file) = bc.data().file(&pushed.remote_id) else { panic!("stored") };
    assert_eq!((file.party_id.to_string(), file.filename.as_str()), (first_party(), "Verslag 2026-11-21.pdf"));
    assert_eq!((file.bytes.as_slice(), file.mime_type.as_str()), (&b"%PDF-1.7 verslag"[..], "application/pdf"));
    assert!(file.description.starts_with("Verslag van het gesprek"), "{}", file.description);
    assert!(file.description.ends_with("\n\nKoppel ref: koppel-00000000000000000001"), "{}", file.description);
    assert_eq!(s.find(&party(&first_party()), &item).await, Ok(Some(pushed)));
    let other = report("koppel-00000000000000000002", "x.pdf", b"x");
    assert_eq!(s.find(&party(&first_party()), &other).await, Ok(None), "another marker is another item");
    assert_eq!(s.find(&party(&BrokercloudData::generated_party_id(2)), &item).await, Ok(None), "another party");
}

#[tokio::test]
async fn a_timeout_after_the_store_is_not_a_second_copy() {
    let bc = start(false).await;
    let s = session_with(&bc, &RecordingSleeper::new(), Duration::from_millis(300), &token(DEMO_ACCESS_TOKEN));
    let item = report("koppel-0000000000000000000a", "Verslag.pdf", b"%PDF");
    assert!(s.probe().await.is_ok());
    bc.faults().timeout_after_store(1, Duration::from_secs(3));
    let e = s.create(&party(&first_party()), &item).await.err();
    assert!(matches!(&e, Some(ConnectorError::Transport { message, .. }) if message.contains("timeout")), "{e:?}");
    assert_eq!(bc.stats().calls(UPLOAD), 1, "a create is never repeated on a timeout");
    let stored = bc.data().files_of(&first_party());
    assert_eq!(stored.len(), 1, "Brokercloud stored it before the answer was lost");
    let found = s.find(&party(&first_party()), &item).await;
    assert_eq!(found, Ok(Some(Pushed { remote_id: stored[0].id.to_string(), link: None })));
    assert_eq!(bc.data().files().len(), 1, "no second copy");
}

#[tokio::test]
async fn find_reads_past_a_page_of_near_misses() {
    let bc = start(false).await;
    let s = session(&bc, &RecordingSleeper::new());
    let target = party(&first_party());
    for i in 0..105 {
        let near = report(&format!("koppel-0000000000000000000h{i}"), "n.pdf", b"n");
        assert!(s.create(&target, &near).await.is_ok(), "near miss {i}");
    }
    let item = report("koppel-0000000000000000000h", "Verslag.pdf", b"v");
    let Ok(pushed) = s.create(&target, &item).await else { panic!("created") };
    bc.reset_stats();
    assert_eq!(s.find(&target, &item).await, Ok(Some(pushed)), "only the exact marker line counts");
    assert_eq!(bc.stats().calls("GET /api/v2/parties/{id}/files"), 2, "the search matched 106 files: two pages");
}

#[tokio::test]
async fn a_changed_report_replaces_the_earlier_file_unless_brokercloud_keeps_it() {
    let bc = start(false).await;
    let s = session(&bc, &RecordingSleeper::new());
    let target = party(&first_party());
    let Ok(v1) = s.create(&target, &report("koppel-0000000000000000000b", "Verslag.pdf", b"v1")).await else {
        panic!("v1")
    };
    let second = report("koppel-0000000000000000000b", "Verslag.pdf", b"v2");
    let revised = s.revise(&target, &v1, &second).await;
    let Ok(Revision::Replaced(v2)) = revised else { panic!("replaced: {revised:?}") };
    let files: Vec<(String, Vec<u8>)> = bc.data().files().into_iter().map(|f| (f.id.to_string(), f.bytes)).collect();
    assert_eq!(files, vec![(v2.remote_id.clone(), b"v2".to_vec())]);
    assert_eq!(s.find(&target, &second).await, Ok(Some(v2.clone())));
    assert!(bc.data().lock_file(&v2.remote_id));
    let revised = s.revise(&target, &v2, &report("koppel-0000000000000000000b", "Verslag.pdf", b"v3")).await;
    let Ok(Revision::Unsupported { reason }) = revised else { panic!("unsupported: {revised:?}") };
    assert!(reason.contains("is locked and cannot be deleted"), "Brokercloud's words: {reason}");
    assert_eq!(bc.data().files().len(), 1, "no second copy next to the kept one");
}

#[tokio::test]
async fn a_429_is_waited_out_and_a_5xx_on_a_create_is_not_retried() {
    let bc = start(false).await;
    let sleeper = RecordingSleeper::new();
    let s = session(&bc, &sleeper);
    let files = format!("/api/v2/parties/{}/files", first_party());
    bc.faults().inject(Fault::rate_limit(1, 7).on_path(&files));
    assert!(s.create(&party(&first_party()), &report("koppel-d1", "a.pdf", b"a")).await.is_ok());
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(7)], "Retry-After honoured");
    assert_eq!(bc.stats().calls(UPLOAD), 2);
    bc.reset_stats();
    bc.faults().inject(Fault::server_error(1, 503).on_path(&files));
    let e = s.create(&party(&first_party()), &report("koppel-d2", "b.pdf", b"b")).await.err();
    assert!(matches!(e, Some(ConnectorError::Server { status: 503, .. })), "{e:?}");
    assert_eq!(bc.stats().calls(UPLOAD), 1, "exactly one request: no blind retry");
    assert_eq!(bc.data().files().len(), 1);
    bc.faults().server_error(2, 502);
    assert!(s.targets(&query(None, 0)).await.is_ok(), "reads are retried");
}

#[tokio::test]
async fn brokercloud_refusals_reach_the_user() {
    let bc = start(false).await;
    let s = session(&bc, &RecordingSleeper::new());
    let e = s.create(&party(&first_party()), &report("koppel-e1", "tool.exe", b"MZ")).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { status: 400, message, .. })
        if message.contains("The extension of the file is invalid")),
        "{e:?}"
    );
    let gone = BrokercloudData::generated_party_id(3);
    assert!(bc.data().remove_party(&gone));
    for e in [
        s.create(&party(&gone), &report("koppel-e2", "a.pdf", b"a")).await.err(),
        s.find(&party(&gone), &report("koppel-e2", "a.pdf", b"a")).await.err(),
    ] {
        assert!(
            matches!(&e, Some(ConnectorError::Rejected { status: 404, message, .. })
            if message.contains("not found") && message.contains("pick the party again")),
            "{e:?}"
        );
    }
    let mut todo = report("koppel-e3", "a.pdf", b"a");
    (todo.kind, todo.file) = (ItemKind::Todo, None);
    let e = s.create(&party(&first_party()), &todo).await.err();
    assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })), "{e:?}");
    assert!(bc.data().files().is_empty());
}

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
async fn no_token_reaches_a_log_line() {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || Capture(writer.clone()))
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let bc = start(true).await;
    let Some(oauth) = bc.oauth() else { panic!("OAuth wired in") };
    let pair = oauth.issue_tokens();
    let creds = token(&pair.access_token).with("refresh_token", SecretString::from(pair.refresh_token.clone()));
    let s = session_with(&bc, &RecordingSleeper::new(), Duration::from_secs(5), &creds);
    bc.faults().rate_limit(1, 1);
    bc.faults().server_error(1, 502);
    assert!(s.probe().await.is_ok());
    assert!(s.create(&party(&first_party()), &report("koppel-g1", "a.pdf", b"a")).await.is_ok());
    oauth.expire_access_tokens();
    assert!(s.probe().await.is_err());
    let logs = String::from_utf8_lossy(&buffer.lock().map(|b| b.clone()).unwrap_or_default()).into_owned();
    assert!(logs.contains("retrying provider call"), "the retries are logged: {logs}");
    for secret in [pair.access_token.as_str(), pair.refresh_token.as_str(), DEMO_ACCESS_TOKEN] {
        assert!(!logs.contains(secret), "a token reached the logs");
    }
}
