//! AdminPulse meetings when things go wrong: a create whose answer never came although the item
//! was stored (a later `find` returns it, nothing is stored twice), a 429 with `Retry-After`
//! waited through the injected sleeper, a 5xx on a create (one request, no blind retry), and
//! `documents/add`'s 50 calls a minute — kept by the connector on a shared test clock, enforced by
//! the stand-in with 429 + `Retry-After` when a client does not keep it.

use std::sync::Arc;
use std::time::Duration;

use koppel_connectors::adminpulse::{AdminPulseMeetingSession, AdminPulseMeetings, AdminPulseOptions};
use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy, Sleeper};
use koppel_core::ports::Clock;
use koppel_core::ports::meeting::{ItemFile, ItemKind, MeetingApi, PushItem, TargetRef};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_sandbox::adminpulse::{AdminPulseConfig, AdminPulseSandbox, DEMO_API_KEY, RunningAdminPulse, SandboxClock};
use koppel_tests::adminpulse::ClockSleeper;
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

struct Setup {
    ap: RunningAdminPulse,
    clock: Arc<TestClock>,
}

/// A stand-in whose rate limits run on the test clock the connector waits on.
async fn start(config: AdminPulseConfig) -> Setup {
    let clock = Arc::new(TestClock::at(now()));
    let c = clock.clone();
    let config = AdminPulseConfig { clock: SandboxClock::from_fn(move || c.now()), ..config };
    match AdminPulseSandbox::new(config).start_local().await {
        Ok(ap) => Setup { ap, clock },
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

impl Setup {
    fn session(
        &self,
        sleeper: Arc<dyn Sleeper>,
        change: impl FnOnce(&mut AdminPulseOptions),
    ) -> AdminPulseMeetingSession {
        let mut options = AdminPulseOptions {
            http: ClientOptions { timeout: Duration::from_secs(5), ..ClientOptions::default() },
            retry: RetryPolicy { max_attempts: 4, jitter: Jitter::Fixed(0.0), ..AdminPulseOptions::default().retry },
            sleeper,
            clock: self.clock.clone(),
            ..AdminPulseOptions::default()
        };
        change(&mut options);
        let creds = Credentials::new().with("api_key", SecretString::from(DEMO_API_KEY.to_string()));
        match AdminPulseMeetings::with_options(&self.ap.base_url(), options).map(|f| f.open_session(&creds)) {
            Ok(Ok(s)) => s,
            _ => panic!("session opens"),
        }
    }

    fn target(&self) -> TargetRef {
        let r = self.ap.data().relations()[0].clone();
        TargetRef { kind: "relation".into(), id: r.id, folder: None, name: None }
    }
}

fn item(kind: ItemKind, n: u32, parent: Option<&str>) -> PushItem {
    PushItem {
        meeting_id: "meeting-7".into(),
        item_id: format!("item-{n}"),
        kind,
        marker: format!("koppel-{:020x}", 0xfee000 + u64::from(n)),
        title: format!("Item {n}"),
        text: format!("Tekst {n}"),
        file: (kind == ItemKind::Report).then(|| ItemFile {
            name: format!("verslag-{n}.pdf"),
            mime: "application/pdf".into(),
            bytes: vec![b'%'; 64 + n as usize],
        }),
        due: None,
        done: false,
        meeting_title: "Gesprek".into(),
        meeting_at: now(),
        parent: parent.map(str::to_string),
        links: vec![],
    }
}

#[tokio::test]
async fn a_create_stored_before_its_answer_timed_out_is_found_and_not_stored_twice() {
    let s = start(AdminPulseConfig { relations: 3, ..AdminPulseConfig::default() }).await;
    // The client gives up after 300 ms; the stand-in stores, then answers after 3 s.
    let session = s.session(Arc::new(RecordingSleeper::new()), |o| o.http.timeout = Duration::from_millis(300));
    let target = s.target();
    let faults = s.ap.faults();
    let late = Duration::from_secs(3);

    faults.timeout_after_store(1, "/interactions", late);
    let envelope = item(ItemKind::Meeting, 1, None);
    let outcome = session.create(&target, &envelope).await;
    assert!(matches!(outcome, Err(ConnectorError::Transport { .. })), "{outcome:?}");
    let stored = s.ap.data().interactions(&target.id);
    assert_eq!(stored.len(), 1, "AdminPulse stored it although Koppel got no answer");
    let Ok(Some(found)) = session.find(&target, &envelope).await else { panic!("found") };
    assert_eq!(found.remote_id, stored[0].id.to_string());
    let parent = found.remote_id.clone();

    for (kind, prefix, n) in
        [(ItemKind::Note, "/interactions", 2), (ItemKind::Report, "/documents", 3), (ItemKind::Todo, "/todos", 4)]
    {
        faults.timeout_after_store(1, prefix, late);
        let it = item(kind, n, Some(&parent));
        let outcome = session.create(&target, &it).await;
        assert!(matches!(outcome, Err(ConnectorError::Transport { .. })), "{kind:?}: {outcome:?}");
        let found = session.find(&target, &it).await;
        assert!(matches!(&found, Ok(Some(_))), "{kind:?}: {found:?}");
    }
    let data = s.ap.data();
    let interaction: u64 = parent.parse().unwrap_or_default();
    assert_eq!(data.notes(interaction).len(), 1);
    assert_eq!(data.documents(&target.id).len(), 1);
    assert_eq!(data.todos(&target.id).len(), 1);
    let stats = s.ap.stats();
    assert_eq!(stats.calls("POST /interactions") + stats.calls("POST /todos") + stats.calls("POST /documents/add"), 3);
    assert_eq!(stats.calls("POST /interactions/{id}/notes"), 1, "no create was repeated");
    assert!(faults.pending_after_store().is_empty());
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_through_the_sleeper_then_the_item_goes() {
    let s = start(AdminPulseConfig { relations: 2, ..AdminPulseConfig::default() }).await;
    let sleeper = RecordingSleeper::new();
    let session = s.session(Arc::new(sleeper.clone()), |_| {});
    s.ap.faults().rate_limit(1, 7);
    let pushed = session.create(&s.target(), &item(ItemKind::Meeting, 1, None)).await;
    assert!(pushed.is_ok(), "{pushed:?}");
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(7)], "Retry-After honoured, nothing else waited");
    let stats = s.ap.stats();
    assert_eq!((stats.calls("POST /interactions"), stats.created("interaction")), (2, 1));
    assert_eq!(session.api_calls(), 2);
}

#[tokio::test]
async fn a_server_error_on_a_create_is_one_request_and_an_error() {
    let s = start(AdminPulseConfig { relations: 2, ..AdminPulseConfig::default() }).await;
    let sleeper = RecordingSleeper::new();
    let session = s.session(Arc::new(sleeper.clone()), |_| {});
    let target = s.target();
    for (kind, route) in [(ItemKind::Todo, "POST /todos"), (ItemKind::Report, "POST /documents/add")] {
        s.ap.faults().server_error(1, 503);
        let outcome = session.create(&target, &item(kind, 1, None)).await;
        assert!(matches!(outcome, Err(ConnectorError::Server { status: 503, .. })), "{outcome:?}");
        assert_eq!(s.ap.stats().calls(route), 1, "{route}: no blind retry of a create");
    }
    assert!(sleeper.waits().is_empty());
    assert_eq!((s.ap.data().todos(&target.id).len(), s.ap.data().documents(&target.id).len()), (0, 0));
    // Reads are retried: a 5xx on a find is waited out.
    s.ap.faults().server_error(1, 502);
    assert_eq!(session.find(&target, &item(ItemKind::Todo, 1, None)).await.ok(), Some(None));
    assert_eq!(s.ap.stats().calls("GET /todos"), 2);
}

#[tokio::test]
async fn the_connector_keeps_documents_add_within_50_a_minute() {
    let s = start(AdminPulseConfig { relations: 2, ..AdminPulseConfig::default() }).await;
    let session = s.session(Arc::new(ClockSleeper(s.clock.clone())), |_| {});
    let target = s.target();
    let started = s.clock.now();
    for n in 0..55 {
        let pushed = session.create(&target, &item(ItemKind::Report, n, None)).await;
        assert!(pushed.is_ok(), "report {n}: {pushed:?}");
    }
    let stats = s.ap.stats();
    assert_eq!((stats.documents_throttled, stats.rate_limited), (0, 0), "never over the limit");
    assert_eq!(stats.calls("POST /documents/add"), 55);
    let waited = s.clock.now() - started;
    assert!(waited >= chrono::Duration::seconds(60) && waited < chrono::Duration::seconds(65), "{waited}");
}

#[tokio::test]
async fn the_stand_in_answers_429_with_retry_after_above_50_uploads_a_minute() {
    let s = start(AdminPulseConfig { relations: 2, ..AdminPulseConfig::default() }).await;
    // A client that counts nothing (no budgets): the stand-in's limit answers, the seam waits.
    let session = s.session(Arc::new(ClockSleeper(s.clock.clone())), |o| o.calls_per_minute = None);
    let target = s.target();
    for n in 0..51 {
        let pushed = session.create(&target, &item(ItemKind::Report, n, None)).await;
        assert!(pushed.is_ok(), "report {n}: {pushed:?}");
    }
    let stats = s.ap.stats();
    assert_eq!(stats.documents_throttled, 1, "the 51st upload within the minute");
    assert_eq!((stats.calls("POST /documents/add"), stats.created("document")), (52, 51), "waited, then stored once");
    let throttled = stats.recent.iter().filter(|r| r.status == 429).count();
    assert_eq!(throttled, 1);
    assert!(s.clock.now() - now() >= chrono::Duration::seconds(59), "Retry-After moved the clock");
}
