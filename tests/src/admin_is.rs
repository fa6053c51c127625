//! Shortcuts for Admin IS tests: the real connector on the harness's test clock, a sleeper that
//! moves that clock instead of sleeping (so the stand-in, running on the same clock, sees the
//! waits happen), a connection set up as a user would, and an import driven to its end.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use koppel_connectors::ProviderSources;
use koppel_connectors::admin_is::{AdminIsFactory, AdminIsOptions};
use koppel_connectors::http::{Jitter, RetryPolicy, Sleeper};
use koppel_core::domain::catalog::{ADMIN_IS, API_KEY, OFFICE_URL};
use koppel_core::domain::connection::Connection;
use koppel_core::domain::run::{Run, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::{Clock, SourceFactory};
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::create_connection::CreateConnection;
use koppel_core::usecases::{connections, create_connection, test_connection};
use secrecy::SecretString;

use crate::harness::{Harness, TENANT, TestClock, now};

/// Waits by moving the test clock; remembers every wait.
pub struct ClockSleeper {
    clock: Arc<TestClock>,
    waits: Mutex<Vec<Duration>>,
}

impl ClockSleeper {
    pub fn new(clock: Arc<TestClock>) -> Self {
        Self { clock, waits: Mutex::default() }
    }
    /// The waits asked for so far, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().map(|w| w.clone()).unwrap_or_else(|e| e.into_inner().clone())
    }
    pub fn total(&self) -> Duration {
        self.waits().iter().sum()
    }
}

#[async_trait::async_trait]
impl Sleeper for ClockSleeper {
    async fn sleep(&self, d: Duration) {
        match self.waits.lock() {
            Ok(mut w) => w.push(d),
            Err(e) => e.into_inner().push(d),
        }
        self.clock.advance(chrono::Duration::from_std(d).unwrap_or_default());
    }
}

/// The clock, the sleeper on it, and the factory using both (quick, reproducible backoff).
pub struct Wired {
    pub clock: Arc<TestClock>,
    pub sleeper: Arc<ClockSleeper>,
    pub factory: AdminIsFactory,
}

pub fn wired() -> Wired {
    wired_on(Arc::new(TestClock::at(now())))
}

pub fn wired_on(clock: Arc<TestClock>) -> Wired {
    let sleeper = Arc::new(ClockSleeper::new(clock.clone()));
    let options = AdminIsOptions {
        retry: RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_wait: Duration::from_secs(120),
            jitter: Jitter::Fixed(0.0),
        },
        sleeper: sleeper.clone(),
        clock: clock.clone(),
        ..AdminIsOptions::default()
    };
    let factory = AdminIsFactory::new(options).expect("admin is factory");
    Wired { clock, sleeper, factory }
}

/// The credentials the engine hands the connector (`office_url` merged in from the settings).
pub fn credentials(office_url: &str, api_key: &str) -> Credentials {
    Credentials::new()
        .with(OFFICE_URL, SecretString::from(office_url.to_string()))
        .with(API_KEY, SecretString::from(api_key.to_string()))
}

/// Every provider the deployment serves, with Admin IS wired to `factory`.
pub fn sources(factory: AdminIsFactory) -> Arc<dyn SourceFactory> {
    Arc::new(ProviderSources::new().with(ADMIN_IS, Arc::new(factory)))
}

/// A harness whose engine and connector share `wired`'s clock.
pub fn harness(wired: &Wired) -> Harness {
    Harness::with_clock(wired.clock.clone(), sources(wired.factory.clone()))
}

/// The setup form as a user fills it in.
pub fn form(office_url: &str, api_key: &str, matching_key: &str) -> CreateConnection {
    CreateConnection {
        provider: ADMIN_IS.into(),
        name: "Kantoor Admin IS".into(),
        api_key: Some(SecretString::from(api_key.to_string())),
        office_url: Some(office_url.into()),
        matching_key: matching_key.into(),
        interval_minutes: Some(60),
        ..Default::default()
    }
}

impl Harness {
    /// An Admin IS connection created and tested ok (reloaded, so it carries the test result).
    pub async fn admin_is(&self, form: CreateConnection) -> Connection {
        let conn = create_connection::create(&self.deps, TENANT, form).await.expect("create");
        let result = test_connection::test(&self.deps, TENANT, &conn.id).await.expect("test");
        assert!(result.ok, "test failed: {result:?}");
        connections::load(self.deps.store.as_ref(), TENANT, &conn.id).await.expect("load")
    }

    /// One customers import, driven to its end.
    pub async fn import_customers(&self, conn: &str) -> Run {
        let request = SyncRequest {
            tenant_id: TENANT.into(),
            connection_id: conn.into(),
            streams: vec![StreamKind::Customers],
            run_id: None,
            trigger: Trigger::Manual,
            with_interests: None,
        };
        let deadline = self.clock.now() + chrono::Duration::days(30);
        match run_sync(&self.deps, request, deadline).await.expect("run") {
            SyncOutcome::Completed(run) => run,
            other => panic!("expected a completed run, got {other:?}"),
        }
    }
}
