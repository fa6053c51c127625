//! The Zoho connector when things go wrong: a timeout after Zoho stored the item (found, never
//! created twice), 429 with `Retry-After` waited on the recording sleeper, 5xx on a create (one
//! request, no blind retry), record errors inside `data[]` (also on 2xx), a deleted event, an
//! expired token, and a WorkDrive folder the user cannot upload to.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy};
use koppel_connectors::zoho::{ZohoMeetings, ZohoOptions, ZohoSession};
use koppel_core::ports::meeting::{ItemFile, ItemKind, MeetingApi, PushItem, TargetRef};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_sandbox::zoho::{RunningZoho, WriteFault, ZohoConfig, ZohoSandbox};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

/// The client gives up after this; a stalled answer comes much later.
const CLIENT_TIMEOUT: Duration = Duration::from_millis(400);
const STALL: Duration = Duration::from_secs(5);

struct Setup {
    z: RunningZoho,
    sleeper: RecordingSleeper,
    target: TargetRef,
}

async fn setup() -> Setup {
    let z = match ZohoSandbox::new(ZohoConfig { events: 50, ..ZohoConfig::default() }).start_local().await {
        Ok(z) => z,
        Err(e) => panic!("stand-in starts: {e}"),
    };
    let e = z.data().events().into_iter().find(|e| e.what.is_some()).expect("an event about an account");
    let target = TargetRef { kind: "event".into(), id: e.id, folder: None, name: None };
    Setup { z, sleeper: RecordingSleeper::new(), target }
}

impl Setup {
    fn session_with(&self, folder: Option<&str>) -> ZohoSession {
        let options = ZohoOptions {
            http: ClientOptions { timeout: CLIENT_TIMEOUT, ..ClientOptions::default() },
            retry: RetryPolicy { max_attempts: 3, jitter: Jitter::Fixed(0.0), ..ZohoOptions::default().retry },
            sleeper: Arc::new(self.sleeper.clone()),
            clock: Arc::new(TestClock::at(now())),
            allow_any_api_domain: true,
        };
        let mut creds = Credentials::new()
            .with("access_token", SecretString::from(self.z.access_token().unwrap_or_default().to_string()))
            .with("api_domain", SecretString::from(self.z.base_url()));
        if let Some(f) = folder {
            creds = creds.with("workdrive_folder", SecretString::from(f.to_string()));
        }
        let Ok(factory) = ZohoMeetings::with_options(options) else { panic!("factory") };
        match factory.open_session(&creds) {
            Ok(s) => s,
            Err(e) => panic!("session opens: {e}"),
        }
    }
    fn session(&self) -> ZohoSession {
        self.session_with(None)
    }
    fn folder(&self) -> String {
        self.z.workdrive_folder().unwrap_or_default().to_string()
    }
}

fn item(kind: ItemKind, n: u32) -> PushItem {
    PushItem {
        meeting_id: "m1".into(),
        item_id: format!("{}-{n}", kind.as_str()),
        kind,
        marker: format!("koppel-{n:020x}"),
        title: format!("{} {n}", kind.as_str()),
        text: "Tekst".into(),
        file: (kind == ItemKind::Report).then(|| ItemFile {
            name: "Verslag.pdf".into(),
            mime: "application/pdf".into(),
            bytes: b"%PDF".to_vec(),
        }),
        due: None,
        done: false,
        meeting_title: "Adviesgesprek".into(),
        meeting_at: Utc.with_ymd_and_hms(2026, 11, 20, 14, 0, 0).single().unwrap_or_default(),
        parent: None,
        links: vec![],
    }
}

#[tokio::test]
async fn notes_and_tasks_stored_before_a_timeout_are_found_not_created_twice() {
    let t = setup().await;
    let s = t.session();
    for (kind, route) in [(ItemKind::Note, "POST /crm/v8/Notes"), (ItemKind::Todo, "POST /crm/v8/Tasks")] {
        let it = item(kind, 1);
        t.z.faults().stall_after_store(1, STALL);
        let e = s.create(&t.target, &it).await.err();
        assert!(matches!(e, Some(ConnectorError::Transport { .. })), "{kind:?}: {e:?}");
        assert_eq!(t.z.stats().calls(route), 1, "{kind:?}: never repeated blindly");
        let Ok(Some(found)) = s.find(&t.target, &it).await else { panic!("{kind:?} found") };
        let stored = match kind {
            ItemKind::Note => t.z.data().notes_of(&t.target.id).into_iter().map(|n| n.id).collect::<Vec<_>>(),
            _ => t.z.data().tasks_with(&it.marker).into_iter().map(|x| x.id).collect(),
        };
        assert_eq!(stored, vec![found.remote_id], "{kind:?}: one copy, and find returns it");
    }
}

#[tokio::test]
async fn a_report_stored_before_a_timeout_is_found_with_its_workdrive_link() {
    let t = setup().await;
    let s = t.session_with(Some(&t.folder()));
    let report = item(ItemKind::Report, 2);
    t.z.faults().inject_write(WriteFault::stall_after_store(1, STALL).on_path("/crm/v8/Events"));
    assert!(matches!(s.create(&t.target, &report).await, Err(ConnectorError::Transport { .. })));
    let Ok(Some(found)) = s.find(&t.target, &report).await else { panic!("found") };
    let (attachments, files) = (t.z.data().attachments_of(&t.target.id), t.z.data().workdrive_files(&t.folder()));
    assert_eq!((attachments.len(), files.len()), (1, 1));
    assert_eq!(found.remote_id, format!("{}|{}", attachments[0].id, files[0].id));
    assert_eq!(found.link.as_deref(), Some(files[0].permalink.as_str()));
}

#[tokio::test]
async fn a_workdrive_upload_that_timed_out_is_uploaded_again_as_a_version() {
    let t = setup().await;
    let s = t.session_with(Some(&t.folder()));
    let report = item(ItemKind::Report, 3);
    t.z.faults().inject_write(WriteFault::stall_after_store(1, STALL).on_path("/workdrive"));
    assert!(matches!(s.create(&t.target, &report).await, Err(ConnectorError::Transport { .. })));
    assert_eq!(s.find(&t.target, &report).await.ok(), Some(None), "not on the event yet: create again");
    assert!(s.create(&t.target, &report).await.is_ok());
    let files = t.z.data().workdrive_files(&t.folder());
    assert_eq!((files.len(), files[0].versions.len()), (1, 2), "a second version, not a second file");
    assert_eq!(t.z.data().attachments_of(&t.target.id).len(), 1);
}

#[tokio::test]
async fn a_429_is_waited_out_as_zoho_asks_then_the_item_is_stored() {
    let t = setup().await;
    let s = t.session();
    t.z.faults().rate_limit(1, 7);
    assert!(s.create(&t.target, &item(ItemKind::Note, 4)).await.is_ok());
    assert_eq!(t.sleeper.waits(), vec![Duration::from_secs(7)]);
    assert_eq!(t.z.stats().calls("POST /crm/v8/Notes"), 2);
    assert_eq!(t.z.data().notes_of(&t.target.id).len(), 1);
    t.z.faults().rate_limit(3, 1);
    let e = s.create(&t.target, &item(ItemKind::Note, 5)).await.err();
    assert!(matches!(e, Some(ConnectorError::RateLimited { .. })), "{e:?}");
}

#[tokio::test]
async fn a_5xx_on_a_create_is_one_request_and_an_error() {
    let t = setup().await;
    let s = t.session();
    t.z.faults().server_error(1, 503);
    let e = s.create(&t.target, &item(ItemKind::Note, 6)).await.err();
    assert!(matches!(e, Some(ConnectorError::Server { status: 503, .. })), "{e:?}");
    assert_eq!(t.z.stats().calls("POST /crm/v8/Notes"), 1);
    assert!(t.sleeper.waits().is_empty(), "no retry, no wait");
    // Reads are retried: the event read before a task gets a 502 first and goes on.
    t.z.faults().inject(koppel_sandbox::Fault::server_error(1, 502).on_path("/crm/v8/Events"));
    assert!(s.create(&t.target, &item(ItemKind::Todo, 7)).await.is_ok());
    assert_eq!(t.z.stats().calls("GET /crm/v8/Events/{id}"), 2);
}

#[tokio::test]
async fn record_errors_are_refusals_with_zohos_message_even_on_a_2xx() {
    let t = setup().await;
    let s = t.session();
    t.z.faults().record_error(1, 200, "INVALID_DATA", "the due date is not valid");
    let e = s.create(&t.target, &item(ItemKind::Todo, 8)).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { status: 200, message, .. }) if message == "the due date is not valid (INVALID_DATA)"),
        "{e:?}"
    );
    t.z.faults().inject_write(WriteFault::record_error(1, 400, "MANDATORY_NOT_FOUND", "required field not found"));
    let e = s.create(&t.target, &item(ItemKind::Note, 9)).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { status: 400, message, .. }) if message.contains("required field not found (MANDATORY_NOT_FOUND")),
        "{e:?}"
    );
    assert!(t.z.data().tasks().is_empty() && t.z.data().notes_of(&t.target.id).is_empty(), "nothing stored");
}

#[tokio::test]
async fn a_deleted_event_asks_to_pick_the_event_again() {
    let t = setup().await;
    let s = t.session_with(Some(&t.folder()));
    assert!(t.z.data().remove_event(&t.target.id));
    for kind in [ItemKind::Note, ItemKind::Todo, ItemKind::Report] {
        let e = s.create(&t.target, &item(kind, 10)).await.err();
        assert!(
            matches!(&e, Some(ConnectorError::Rejected { message, .. }) if message.contains("pick the meeting's event again")),
            "{kind:?}: {e:?}"
        );
    }
    assert!(t.z.data().workdrive_files(&t.folder()).is_empty(), "no WorkDrive file for a deleted event");
    let e = s.find(&t.target, &item(ItemKind::Note, 10)).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { message, .. }) if message.contains("pick the meeting's event again"))
    );
    let odd = TargetRef { kind: "event".into(), id: "../Users".into(), folder: None, name: None };
    assert!(matches!(s.create(&odd, &item(ItemKind::Note, 11)).await, Err(ConnectorError::Rejected { status: 0, .. })));
}

#[tokio::test]
async fn an_expired_token_is_unauthorized_and_stores_nothing() {
    let t = setup().await;
    let s = t.session();
    t.z.faults().invalidate_tokens();
    let e = s.create(&t.target, &item(ItemKind::Note, 12)).await.err();
    assert!(matches!(&e, Some(ConnectorError::Unauthorized { hint, .. }) if hint.contains("INVALID_TOKEN")), "{e:?}");
    assert!(t.z.data().notes_of(&t.target.id).is_empty());
    t.z.faults().restore_tokens();
    assert!(s.create(&t.target, &item(ItemKind::Note, 12)).await.is_ok());
}

#[tokio::test]
async fn a_workdrive_folder_the_user_cannot_use_is_explained_and_nothing_is_attached() {
    let t = setup().await;
    let s = t.session_with(Some("someoneelsesfolder"));
    let e = s.create(&t.target, &item(ItemKind::Report, 13)).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Unauthorized { what, hint, .. }) if what.contains("WorkDrive") && hint.contains("folder")),
        "{e:?}"
    );
    assert!(t.z.data().attachments_of(&t.target.id).is_empty());
    let s = t.session_with(Some("not a folder/.."));
    assert!(matches!(
        s.create(&t.target, &item(ItemKind::Report, 13)).await,
        Err(ConnectorError::Rejected { status: 0, .. })
    ));
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
async fn no_token_in_any_log_line_error_or_debug() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let t = setup().await;
    let s = t.session_with(Some(&t.folder()));
    t.z.faults().rate_limit(1, 1);
    t.z.faults().server_error(1, 502);
    assert!(s.probe().await.is_ok());
    let mut errors = Vec::new();
    t.z.faults().record_error(1, 400, "INVALID_DATA", "invalid data");
    errors.extend(s.create(&t.target, &item(ItemKind::Todo, 14)).await.err());
    t.z.faults().invalidate_tokens();
    errors.extend(s.create(&t.target, &item(ItemKind::Report, 14)).await.err());
    assert_eq!(errors.len(), 2);
    for e in &errors {
        tracing::error!(error = %e, debug = ?e, "what a caller might log");
    }
    tracing::error!(session = ?s, "and the session");
    let logs = String::from_utf8_lossy(&capture.0.lock().map(|b| b.clone()).unwrap_or_default()).into_owned();
    assert!(logs.contains("retrying provider call") && logs.contains("Zoho refused"), "the capture works: {logs}");
    let token = t.z.access_token().unwrap_or_default();
    assert!(!token.is_empty() && !logs.contains(token), "a token in the logs:\n{logs}");
}
