//! Deps on the embedded adapters (in memory), a clock tests can move, and shortcuts for the
//! steps a user takes (create a connection, test it).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};
use koppel_conformance::counting::{CountingStore, Counts};
use koppel_core::Deps;
use koppel_core::domain::connection::Connection;
use koppel_core::ports::{Clock, NewsletterFactory, SourceFactory, UlidGen};
use koppel_core::usecases::{create_connection, test_connection};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};
use secrecy::SecretString;

pub const TENANT: &str = "tenant-a";

/// A clock that stands still unless a test moves it.
pub struct TestClock(AtomicI64);

impl TestClock {
    pub fn at(t: DateTime<Utc>) -> Self {
        Self(AtomicI64::new(t.timestamp_millis()))
    }
    pub fn advance(&self, d: Duration) {
        self.0.fetch_add(d.num_milliseconds(), Ordering::SeqCst);
    }
}

#[async_trait::async_trait]
impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0.load(Ordering::SeqCst)).unwrap_or_default()
    }
    /// Tests do not wait: time moves on instead.
    async fn sleep(&self, d: std::time::Duration) {
        self.advance(Duration::from_std(d).unwrap_or_default());
    }
}

pub struct Harness {
    pub deps: Deps,
    pub counts: Arc<Counts>,
    pub clock: Arc<TestClock>,
    pub bus: Arc<InProcessBus>,
    pub scheduler: Arc<LocalScheduler>,
    _dir: tempfile::TempDir,
}

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-21T09:00:00Z").map(|d| d.with_timezone(&Utc)).unwrap_or_default()
}

impl Harness {
    pub fn new(sources: Arc<dyn SourceFactory>) -> Self {
        Self::with_clock(Arc::new(TestClock::at(now())), sources)
    }

    pub fn with_clock(clock: Arc<TestClock>, sources: Arc<dyn SourceFactory>) -> Self {
        // Nothing listens on port 9: a test that needs Flexmail uses `with_newsletter`.
        let newsletter = koppel_connectors::flexmail::FlexmailFactory::new("http://127.0.0.1:9").expect("factory");
        Self::with_newsletter(clock, sources, Arc::new(newsletter))
    }

    pub fn with_newsletter(
        clock: Arc<TestClock>,
        sources: Arc<dyn SourceFactory>,
        newsletter: Arc<dyn NewsletterFactory>,
    ) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = CountingStore::new(Arc::new(SqliteStore::in_memory().expect("sqlite").with_clock(clock.clone())));
        let counts = store.counts.clone();
        let bus = Arc::new(InProcessBus::new());
        let scheduler = Arc::new(LocalScheduler::in_memory().expect("scheduler").with_clock(clock.clone()));
        let deps = Deps {
            store: Arc::new(store),
            secrets: Arc::new(LocalSecrets::open(dir.path()).expect("secrets")),
            scheduler: scheduler.clone(),
            bus: bus.clone(),
            sources,
            newsletter,
            meetings: Arc::new(koppel_core::ports::meeting::NoMeetings),
            oauth: Arc::new(koppel_connectors::oauth::OAuth2Client::new().expect("oauth client")),
            clock: clock.clone(),
            ids: Arc::new(UlidGen),
            env: "test".into(),
            public_url: "http://127.0.0.1:9".into(),
        };
        Self { deps, counts, clock, bus, scheduler, _dir: dir }
    }

    /// The same, sending meetings through `meetings`.
    pub fn with_meetings(mut self, meetings: Arc<dyn koppel_core::ports::MeetingFactory>) -> Self {
        self.deps.meetings = meetings;
        self
    }

    /// A SnelStart connection as a user would set it up, tested ok.
    pub async fn connection(&self, matching_key: &str, link_only: bool) -> Connection {
        self.connection_with_keys(matching_key, link_only, "sub-key", "koppel-sleutel").await
    }

    pub async fn connection_with_keys(&self, matching_key: &str, link_only: bool, sub: &str, key: &str) -> Connection {
        let form = create_connection::CreateConnection {
            provider: "snelstart".into(),
            name: "Administratie BV".into(),
            subscription_key: Some(SecretString::from(sub.to_string())),
            connection_key: Some(SecretString::from(key.to_string())),
            matching_key: matching_key.into(),
            start_date: "01-01-2020".into(),
            link_only,
            interval_minutes: Some(60),
            newsletter: Default::default(),
            ..Default::default()
        };
        let conn = create_connection::create(&self.deps, TENANT, form).await.expect("create connection");
        let result = test_connection::test(&self.deps, TENANT, &conn.id).await.expect("test connection");
        assert!(result.ok, "test failed: {result:?}");
        conn
    }

    /// A deadline far enough away for any test run.
    pub fn no_deadline(&self) -> DateTime<Utc> {
        self.clock.now() + Duration::days(1)
    }
}
