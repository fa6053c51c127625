//! The engine with providers that page by token and that are "not ready yet" at first: the
//! provider's continuation is kept in the cursor (also across a pause), and a not-ready
//! provider makes the run wait and say so instead of failing.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Duration;
use koppel_core::domain::run::{Run, RunStatus, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{PageNext, PageRequest, ProbeInfo, RemoteRecord, SourcePage};
use koppel_core::ports::{Clock, ConnectorError, SourceFactory, SourceSession};
use koppel_core::sync::not_ready::GIVE_UP_AFTER_MINUTES;
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::runs;
use koppel_tests::fake_source::customer;
use koppel_tests::harness::{Harness, TENANT, TestClock, now};

/// Three pages of two customers, continued by the tokens "p1" and "p2"; the first
/// `not_ready` calls answer "not ready yet"; every request is recorded.
#[derive(Clone, Default)]
struct TokenSource {
    state: Arc<Mutex<State>>,
    clock: Option<Arc<TestClock>>,
}

#[derive(Default)]
struct State {
    not_ready: u32,
    tokens_seen: Vec<Option<String>>,
}

#[async_trait]
impl SourceSession for TokenSource {
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        Ok(ProbeInfo { account: None })
    }
    async fn fetch_page(&self, request: &PageRequest) -> Result<SourcePage, ConnectorError> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if s.not_ready > 0 {
            s.not_ready -= 1;
            return Err(ConnectorError::NotReady {
                provider: "AdminPulse".into(),
                message: "the office is still being prepared".into(),
                retry_after_secs: Some(60),
            });
        }
        s.tokens_seen.push(request.token.clone());
        if let Some(c) = &self.clock {
            c.advance(Duration::minutes(1));
        }
        let (first, next) = match request.token.as_deref() {
            None => (1, PageNext::Token("p1".into())),
            Some("p1") => (3, PageNext::Token("p2".into())),
            Some("p2") => (5, PageNext::End),
            Some(other) => {
                return Err(ConnectorError::Parse { provider: "fake".into(), message: format!("token {other}") });
            }
        };
        let t = now() - Duration::days(1);
        let records = (first..first + 2).map(|n| Ok(RemoteRecord::Customer(customer(n, None, t)))).collect();
        Ok(SourcePage { records, raw_len: 2, next })
    }
    fn api_calls(&self) -> u64 {
        0
    }
}

impl SourceFactory for TokenSource {
    fn open(&self, _provider: &str, _credentials: Credentials) -> Result<Box<dyn SourceSession>, ConnectorError> {
        Ok(Box::new(self.clone()))
    }
}

fn request(conn: &str, run_id: Option<String>) -> SyncRequest {
    SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: conn.into(),
        streams: vec![StreamKind::Customers],
        run_id,
        trigger: Trigger::Manual,
        with_interests: None,
    }
}

fn created(run: &Run) -> u64 {
    run.streams[0].counters.created
}

#[tokio::test]
async fn token_pages_are_followed_to_the_end() {
    let src = TokenSource::default();
    let h = Harness::new(Arc::new(src.clone()));
    let conn = h.connection("customer_number", false).await;
    let SyncOutcome::Completed(run) = run_sync(&h.deps, request(&conn.id, None), h.no_deadline()).await.unwrap() else {
        panic!("completed")
    };
    assert_eq!((created(&run), run.streams[0].counters.pages), (6, 3));
    let tokens = src.state.lock().unwrap().tokens_seen.clone();
    assert_eq!(tokens, vec![None, Some("p1".into()), Some("p2".into())], "each page continues from the last token");
}

#[tokio::test]
async fn a_paused_run_continues_from_the_saved_token() {
    let clock = Arc::new(TestClock::at(now()));
    let src = TokenSource { clock: Some(clock.clone()), ..Default::default() };
    let h = Harness::with_clock(clock.clone(), Arc::new(src.clone()));
    let conn = h.connection("customer_number", false).await;
    // Each page takes a minute; a 90-second budget stops after the second page.
    let deadline = clock.now() + Duration::seconds(90);
    let outcome = run_sync(&h.deps, request(&conn.id, None), deadline).await.unwrap();
    let SyncOutcome::Paused(run) = outcome else { panic!("paused, got {outcome:?}") };
    assert_eq!(run.status, RunStatus::Paused);
    let again = run_sync(&h.deps, request(&conn.id, Some(run.id.clone())), h.no_deadline()).await.unwrap();
    let SyncOutcome::Completed(run) = again else { panic!("completed") };
    assert_eq!(created(&run), 6, "no page read twice, none skipped");
    let tokens = src.state.lock().unwrap().tokens_seen.clone();
    assert_eq!(tokens, vec![None, Some("p1".into()), Some("p2".into())]);
}

#[tokio::test]
async fn a_provider_not_ready_yet_makes_the_run_wait_and_say_so() {
    let clock = Arc::new(TestClock::at(now()));
    let src = TokenSource { clock: Some(clock.clone()), ..Default::default() };
    src.state.lock().unwrap().not_ready = 3;
    let h = Harness::with_clock(clock.clone(), Arc::new(src.clone()));
    let conn = h.connection("customer_number", false).await;
    let started = clock.now();
    let SyncOutcome::Completed(run) = run_sync(&h.deps, request(&conn.id, None), h.no_deadline()).await.unwrap() else {
        panic!("completed")
    };
    assert_eq!(created(&run), 6);
    assert!(clock.now() - started >= Duration::minutes(3), "waited the provider's Retry-After three times");
    assert_eq!((run.notice.as_deref(), run.waiting_since), (None, None), "the notice goes once it goes on");
    assert_eq!(run.error, None);
}

#[tokio::test]
async fn the_wait_is_visible_on_the_run_while_it_lasts() {
    let clock = Arc::new(TestClock::at(now()));
    let src = TokenSource { clock: Some(clock.clone()), ..Default::default() };
    src.state.lock().unwrap().not_ready = 100;
    let h = Harness::with_clock(clock.clone(), Arc::new(src.clone()));
    let conn = h.connection("customer_number", false).await;
    // A 150-second invocation: waits, then pauses with the notice on the run.
    let deadline = clock.now() + Duration::seconds(150);
    let outcome = run_sync(&h.deps, request(&conn.id, None), deadline).await.unwrap();
    let SyncOutcome::Paused(run) = outcome else { panic!("paused, got {outcome:?}") };
    let stored = runs::get(&h.deps, TENANT, &conn.id, &run.id).await.unwrap();
    let notice = stored.notice.expect("a notice while waiting");
    assert!(notice.contains("AdminPulse is not ready") && notice.contains("by itself"), "{notice}");
    assert!(clock.now() >= deadline, "the invocation waited out its time instead of returning at once");
}

#[tokio::test]
async fn a_provider_that_stays_not_ready_fails_the_run_with_its_message() {
    let clock = Arc::new(TestClock::at(now()));
    let src = TokenSource { clock: Some(clock.clone()), ..Default::default() };
    src.state.lock().unwrap().not_ready = 1000;
    let h = Harness::with_clock(clock.clone(), Arc::new(src.clone()));
    let conn = h.connection("customer_number", false).await;
    let outcome = run_sync(&h.deps, request(&conn.id, None), h.no_deadline()).await.unwrap();
    let SyncOutcome::Failed(run) = outcome else { panic!("failed, got {outcome:?}") };
    let error = run.error.clone().unwrap_or_default();
    assert!(error.contains("not ready"), "{error}");
    let waited = run.waiting_since.map(|s| clock.now() - s);
    assert!(waited.is_some_and(|w| w >= Duration::minutes(GIVE_UP_AFTER_MINUTES)), "{waited:?}");
}
