//! The Fid-Manager meeting connector against its stand-in: sign-in (and its refusals), clients
//! paged and searched, a client's folders, a report uploaded to "documents to approve" and read
//! back, found again after a timeout that came after the store, replaced (and left alone once
//! approved), 429 waited out, no blind retry of a create on 5xx, Fid-Manager's own message in
//! `Rejected`, an expired session signed in again, and no secret in any log line.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use koppel_connectors::fid_manager::{FidManagerMeetings, FidManagerOptions, FidManagerSession};
use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy};
use koppel_core::ports::meeting::{ItemFile, ItemKind, MeetingApi, PushItem, Pushed, Revision, TargetQuery, TargetRef};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_sandbox::Fault;
use koppel_sandbox::fid_manager::{
    DEMO_PARTNER_CODE, DEMO_PASSWORD, DEMO_USERNAME, DocumentStatus, FidManagerConfig, FidManagerData,
    FidManagerSandbox, RunningFidManager,
};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

const UPLOAD: &str = "POST /api/v1/documents/to-approve";

async fn start() -> RunningFidManager {
    match FidManagerSandbox::new(FidManagerConfig::default()).start_local().await {
        Ok(s) => s,
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

fn creds(fid: &RunningFidManager, password: &str, partner_code: &str) -> Credentials {
    [
        ("office_url", fid.base_url()),
        ("username", DEMO_USERNAME.into()),
        ("password", password.into()),
        ("partner_code", partner_code.into()),
    ]
    .into_iter()
    .fold(Credentials::new(), |c, (k, v)| c.with(k, SecretString::from(v)))
}

fn options(sleeper: &RecordingSleeper, timeout: Duration) -> FidManagerOptions {
    FidManagerOptions {
        http: ClientOptions { timeout, ..ClientOptions::default() },
        retry: RetryPolicy { max_attempts: 4, jitter: Jitter::Fixed(0.0), ..FidManagerOptions::default().retry },
        sleeper: Arc::new(sleeper.clone()),
        clock: Arc::new(TestClock::at(now())),
    }
}

fn session_with(sleeper: &RecordingSleeper, timeout: Duration, c: &Credentials) -> FidManagerSession {
    let factory = match FidManagerMeetings::with_options(options(sleeper, timeout)) {
        Ok(f) => f,
        Err(e) => panic!("factory builds: {e}"),
    };
    match factory.open_session(c) {
        Ok(s) => s,
        Err(e) => panic!("session opens: {e}"),
    }
}

fn session(fid: &RunningFidManager, sleeper: &RecordingSleeper) -> FidManagerSession {
    session_with(sleeper, Duration::from_secs(5), &creds(fid, DEMO_PASSWORD, DEMO_PARTNER_CODE))
}

fn report(marker: &str, file_name: &str, bytes: &[u8]) -> PushItem {
    PushItem {
        meeting_id: "m-1".into(),
        item_id: "r-1".into(),
        kind: ItemKind::Report,
        marker: marker.into(),
        title: "Verslag".into(),
        text: "Verslag van het adviesgesprek".into(),
        file: Some(ItemFile { name: file_name.into(), mime: "application/pdf".into(), bytes: bytes.to_vec() }),
        due: None,
        done: false,
        meeting_title: "Adviesgesprek".into(),
        meeting_at: Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).single().unwrap_or_default(),
        parent: None,
        links: vec![],
    }
}

fn client_target(client: &str, folder: Option<String>) -> TargetRef {
    TargetRef { kind: "client".into(), id: client.into(), folder, name: None }
}

fn first_client() -> String {
    FidManagerData::generated_client_id(1)
}

fn query(kind: &str, search: Option<&str>, page: u32, parent: Option<String>) -> TargetQuery {
    TargetQuery { kind: kind.into(), search: search.map(str::to_string), page, parent }
}

#[tokio::test]
async fn the_probe_signs_in_and_names_what_is_wrong() {
    let fid = start().await;
    let sleeper = RecordingSleeper::new();
    let info = session(&fid, &sleeper).probe().await;
    assert!(matches!(&info, Ok(p) if p.account.as_deref().is_some_and(|a| a.ends_with("(300 clients)"))), "{info:?}");
    for (password, code) in [("wrong-password-1", DEMO_PARTNER_CODE), (DEMO_PASSWORD, "WRONG-CODE-9")] {
        let s = session_with(&sleeper, Duration::from_secs(5), &creds(&fid, password, code));
        let e = s.probe().await.err();
        let Some(ConnectorError::Unauthorized { hint, .. }) = &e else { panic!("unauthorized: {e:?}") };
        assert!(hint.contains("partner code") && hint.contains("API mail"), "{hint}");
        assert!(!format!("{e:?}{s:?}").contains(password), "no password in {e:?}");
    }
    assert_eq!((fid.stats().sign_ins, fid.stats().sign_ins_refused), (1, 2));
}

#[tokio::test]
async fn clients_are_paged_and_searched_and_folders_listed() {
    let fid = start().await;
    let s = session(&fid, &RecordingSleeper::new());
    let mut ids = Vec::new();
    for page in 0..3 {
        let Ok(p) = s.targets(&query("client", None, page, None)).await else { panic!("page {page}") };
        assert_eq!((p.targets.len(), p.more), (100, page < 2), "page {page}");
        ids.extend(p.targets.into_iter().map(|t| t.id));
    }
    ids.dedup();
    assert_eq!(ids.len(), 300, "three pages of distinct clients");
    let found = s.targets(&query("client", Some("K10007"), 0, None)).await;
    let Ok(found) = found else { panic!("search") };
    assert_eq!(found.targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec!["10007"]);
    assert!(found.targets[0].detail.as_deref().is_some_and(|d| d.starts_with("K10007")), "{found:?}");
    let folders = s.targets(&query("folder", None, 0, Some(first_client()))).await;
    let Ok(folders) = folders else { panic!("folders") };
    assert_eq!(folders.targets.len(), fid.data().folders(&first_client()).len());
    let btw = s.targets(&query("folder", Some("btw"), 0, Some(first_client()))).await;
    assert_eq!(btw.map(|p| p.targets.into_iter().map(|t| t.name).collect::<Vec<_>>()).ok(), Some(vec!["BTW".into()]));
    let e = s.targets(&query("folder", None, 0, None)).await.err();
    assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })), "{e:?}");
    let e = s.targets(&query("folder", None, 0, Some("999999".into()))).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { status: 404, message, .. }) if message.contains("pick the target again")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_report_lands_in_documents_to_approve_and_is_found_by_its_marker() {
    let fid = start().await;
    let s = session(&fid, &RecordingSleeper::new());
    let folder = fid.data().folders(&first_client()).get(1).map(|f| f.id.to_string());
    let target = client_target(&first_client(), folder.clone());
    let item = report("koppel-00000000000000000001", "Verslag 2026-11-21.pdf", b"%PDF-1.7 verslag");
    assert_eq!(s.find(&target, &item).await, Ok(None), "nothing sent yet");
    let Ok(pushed) = s.create(&target, &item).await else { panic!("created") };
    let Some(doc) = fid.data().document(&pushed.remote_id) else { panic!("stored") };
    assert_eq!((doc.client_id.to_string(), doc.folder_id.map(|f| f.to_string())), (first_client(), folder));
    assert_eq!((doc.file_name.as_str(), doc.bytes.as_slice()), ("Verslag 2026-11-21.pdf", &b"%PDF-1.7 verslag"[..]));
    assert_eq!(doc.status, DocumentStatus::ToApprove);
    assert!(doc.description.ends_with("Koppel ref: koppel-00000000000000000001"), "{}", doc.description);
    assert_eq!(s.find(&target, &item).await, Ok(Some(pushed)));
    let mut other = report("koppel-00000000000000000002", "x.pdf", b"x");
    other.text = String::new();
    assert_eq!(s.find(&target, &other).await, Ok(None), "another marker is another item");
    let without_folder = s.create(&client_target(&first_client(), None), &other).await;
    let Ok(without_folder) = without_folder else { panic!("created without a folder") };
    let Some(doc) = fid.data().document(&without_folder.remote_id) else { panic!("stored") };
    assert_eq!(doc.folder_id, None);
    assert_eq!(
        doc.description, "Verslag\n\nKoppel ref: koppel-00000000000000000002",
        "the title stands in for no text"
    );
}

#[tokio::test]
async fn a_timeout_after_the_store_is_not_a_second_copy() {
    let fid = start().await;
    let s = session_with(
        &RecordingSleeper::new(),
        Duration::from_millis(300),
        &creds(&fid, DEMO_PASSWORD, DEMO_PARTNER_CODE),
    );
    let target = client_target(&first_client(), None);
    let item = report("koppel-0000000000000000000a", "Verslag.pdf", b"%PDF");
    assert!(s.probe().await.is_ok());
    fid.faults().timeout_after_store(1, Duration::from_secs(3));
    let e = s.create(&target, &item).await.err();
    assert!(matches!(&e, Some(ConnectorError::Transport { message, .. }) if message.contains("timeout")), "{e:?}");
    assert_eq!(fid.stats().calls(UPLOAD), 1, "a create is never repeated on a timeout");
    let stored = fid.data().documents_of(&first_client());
    assert_eq!(stored.len(), 1, "Fid-Manager stored it before the answer was lost");
    let found = s.find(&target, &item).await;
    assert_eq!(found, Ok(Some(Pushed { remote_id: stored[0].id.to_string(), link: None })));
    assert_eq!(fid.data().documents().len(), 1, "no second copy");
}

#[tokio::test]
async fn find_reads_past_a_page_of_near_misses() {
    let fid = start().await;
    let s = session(&fid, &RecordingSleeper::new());
    let target = client_target(&first_client(), None);
    for i in 0..105 {
        let near = report(&format!("koppel-0000000000000000000h{i}"), "n.pdf", b"n");
        assert!(s.create(&target, &near).await.is_ok(), "near miss {i}");
    }
    let item = report("koppel-0000000000000000000h", "Verslag.pdf", b"v");
    let Ok(pushed) = s.create(&target, &item).await else { panic!("created") };
    fid.reset_stats();
    assert_eq!(s.find(&target, &item).await, Ok(Some(pushed)), "only the exact marker line counts");
    assert_eq!(fid.stats().calls("GET /api/v1/documents"), 2, "the search matched 106 documents: two pages");
}

#[tokio::test]
async fn a_changed_report_replaces_the_earlier_one_until_it_is_approved() {
    let fid = start().await;
    let s = session(&fid, &RecordingSleeper::new());
    let target = client_target(&first_client(), None);
    let first = report("koppel-0000000000000000000b", "Verslag.pdf", b"v1");
    let Ok(v1) = s.create(&target, &first).await else { panic!("v1") };
    let second = report("koppel-0000000000000000000b", "Verslag.pdf", b"v2");
    let revised = s.revise(&target, &v1, &second).await;
    let Ok(Revision::Replaced(v2)) = revised else { panic!("replaced: {revised:?}") };
    let docs = fid.data().documents();
    assert_eq!(
        docs.iter().map(|d| (d.id.to_string(), d.bytes.clone())).collect::<Vec<_>>(),
        vec![(v2.remote_id.clone(), b"v2".to_vec())]
    );
    assert_eq!(s.find(&target, &second).await, Ok(Some(v2.clone())));
    assert!(fid.data().approve(&v2.remote_id));
    let third = report("koppel-0000000000000000000b", "Verslag.pdf", b"v3");
    let revised = s.revise(&target, &v2, &third).await;
    let Ok(Revision::Unsupported { reason }) = revised else { panic!("unsupported: {revised:?}") };
    assert!(reason.contains("already approved"), "Fid-Manager's words: {reason}");
    assert_eq!(fid.data().documents().len(), 1, "no second copy next to the approved one");
    let gone = Pushed { remote_id: "424242".into(), link: None };
    let revised = s.revise(&client_target(&first_client(), None), &gone, &report("koppel-c", "n.pdf", b"n")).await;
    assert!(matches!(revised, Ok(Revision::Replaced(_))), "an earlier version already removed is no obstacle");
}

#[tokio::test]
async fn a_429_is_waited_out_and_a_5xx_on_a_create_is_not_retried() {
    let fid = start().await;
    let sleeper = RecordingSleeper::new();
    let s = session(&fid, &sleeper);
    let target = client_target(&first_client(), None);
    fid.faults().inject(Fault::rate_limit(1, 7).on_path("/api/v1/documents/to-approve"));
    assert!(s.create(&target, &report("koppel-d1", "a.pdf", b"a")).await.is_ok());
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(7)], "Retry-After honoured");
    assert_eq!(fid.stats().calls(UPLOAD), 2);
    fid.reset_stats();
    fid.faults().inject(Fault::server_error(1, 503).on_path("/api/v1/documents/to-approve"));
    let e = s.create(&target, &report("koppel-d2", "b.pdf", b"b")).await.err();
    assert!(matches!(e, Some(ConnectorError::Server { status: 503, .. })), "{e:?}");
    assert_eq!(fid.stats().calls(UPLOAD), 1, "exactly one request: no blind retry");
    assert_eq!(fid.data().documents().len(), 1);
    fid.faults().inject(Fault::server_error(2, 502).on_path("/api/v1/clients"));
    assert!(s.targets(&query("client", None, 0, None)).await.is_ok(), "reads are retried");
}

#[tokio::test]
async fn fid_managers_own_refusals_reach_the_user() {
    let fid = start().await;
    let s = session(&fid, &RecordingSleeper::new());
    let e = s.create(&client_target(&first_client(), None), &report("koppel-e1", "tool.exe", b"MZ")).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { status: 400, message, .. })
        if message.contains("Files of type '.exe' cannot be imported")),
        "{e:?}"
    );
    let e = s.create(&client_target("999999", None), &report("koppel-e2", "a.pdf", b"a")).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { status: 404, message, .. })
        if message.contains("Client 999999 was not found") && message.contains("pick the target again")),
        "{e:?}"
    );
    let mut note = report("koppel-e3", "a.pdf", b"a");
    note.kind = ItemKind::Note;
    assert!(matches!(
        s.create(&client_target(&first_client(), None), &note).await,
        Err(ConnectorError::Rejected { status: 0, .. })
    ));
    let mut todo = report("koppel-e4", "a.pdf", b"a");
    (todo.kind, todo.file, todo.due) = (ItemKind::Todo, None, NaiveDate::from_ymd_opt(2026, 12, 1));
    assert!(s.find(&client_target(&first_client(), None), &todo).await.is_ok_and(|f| f.is_none()));
    assert!(fid.data().documents().is_empty());
}

#[tokio::test]
async fn an_expired_session_signs_in_again_once() {
    let fid = start().await;
    let s = session(&fid, &RecordingSleeper::new());
    let target = client_target(&first_client(), None);
    assert!(s.create(&target, &report("koppel-f1", "a.pdf", b"a")).await.is_ok());
    fid.faults().expire_sessions();
    assert!(s.create(&target, &report("koppel-f2", "b.pdf", b"b")).await.is_ok());
    let stats = fid.stats();
    assert_eq!((stats.sign_ins, stats.unauthorized, stats.calls(UPLOAD)), (2, 1, 3));
    assert_eq!(fid.data().documents().len(), 2, "the refused upload stored nothing; its repeat one");
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
async fn no_secret_reaches_a_log_line() {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || Capture(writer.clone()))
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let fid = start().await;
    let s = session(&fid, &RecordingSleeper::new());
    let target = client_target(&first_client(), None);
    fid.faults().rate_limit(1, 1);
    assert!(s.probe().await.is_ok());
    fid.faults().expire_sessions();
    assert!(s.create(&target, &report("koppel-g1", "a.pdf", b"a")).await.is_ok());
    let bad =
        session_with(&RecordingSleeper::new(), Duration::from_secs(5), &creds(&fid, "nope-pass", DEMO_PARTNER_CODE));
    assert!(bad.probe().await.is_err());
    let logs = String::from_utf8_lossy(&buffer.lock().map(|b| b.clone()).unwrap_or_default()).into_owned();
    assert!(logs.contains("signing in again"), "the re-sign-in is logged: {logs}");
    let tokens = fid.data().session_tokens();
    assert_eq!(tokens.len(), 2);
    for secret in tokens.iter().map(String::as_str).chain([DEMO_PASSWORD, DEMO_PARTNER_CODE, "nope-pass"]) {
        assert!(!logs.contains(secret), "a secret reached the logs");
    }
}
