//! Shortcuts for AdminPulse tests: the real connector on the harness's test clock (its retries
//! and call-budget waits move the clock instead of sleeping), registered in the harness's source
//! factory; a connection set up as a user would; a sync driven to its end.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use koppel_connectors::ProviderSources;
use koppel_connectors::adminpulse::{AdminPulseFactory, AdminPulseOptions, PROVIDER};
use koppel_connectors::http::{ClientOptions, Jitter, RetryPolicy, Sleeper};
use koppel_core::domain::connection::Connection;
use koppel_core::domain::run::{Run, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::Clock;
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::{connections, create_connection, test_connection};
use secrecy::SecretString;

use crate::harness::{Harness, TENANT, TestClock};

/// Waits by moving the test clock (the connector's retries and its 480-a-minute budget).
#[derive(Clone)]
pub struct ClockSleeper(pub Arc<TestClock>);

#[async_trait]
impl Sleeper for ClockSleeper {
    async fn sleep(&self, duration: Duration) {
        self.0.sleep(duration).await;
    }
}

/// Options on `clock`: fast fixed-jitter retries (waits move the clock), a 2 s timeout.
pub fn options(clock: Arc<TestClock>) -> AdminPulseOptions {
    AdminPulseOptions {
        http: ClientOptions { timeout: Duration::from_secs(2), ..ClientOptions::default() },
        retry: RetryPolicy { max_attempts: 4, jitter: Jitter::Fixed(0.0), ..AdminPulseOptions::default().retry },
        sleeper: Arc::new(ClockSleeper(clock.clone())),
        clock,
        ..AdminPulseOptions::default()
    }
}

/// The AdminPulse factory against `base_url` with `options`.
pub fn factory(base_url: &str, options: AdminPulseOptions) -> AdminPulseFactory {
    match AdminPulseFactory::with_options(base_url, options) {
        Ok(f) => f,
        Err(e) => panic!("AdminPulse factory builds: {e}"),
    }
}

/// A harness whose source factory opens AdminPulse sessions against `base_url` (and nothing else).
pub fn harness(base_url: &str, clock: Arc<TestClock>) -> Harness {
    let sources = ProviderSources::new().with(PROVIDER, Arc::new(factory(base_url, options(clock.clone()))));
    Harness::with_clock(clock, Arc::new(sources))
}

impl Harness {
    /// An AdminPulse connection with sign-in `api_key`, created through the setup use-case and
    /// tested; the test must pass.
    pub async fn adminpulse(&self, api_key: &str, matching_key: &str) -> Connection {
        let form = create_connection::CreateConnection {
            provider: PROVIDER.into(),
            name: "Kantoor".into(),
            matching_key: matching_key.into(),
            auth_mode: Some("api_key".into()),
            api_key: Some(SecretString::from(api_key.to_string())),
            interval_minutes: Some(60),
            ..Default::default()
        };
        let conn = create_connection::create(&self.deps, TENANT, form).await.expect("create connection");
        let result = test_connection::test(&self.deps, TENANT, &conn.id).await.expect("test connection");
        assert!(result.ok, "test failed: {result:?}");
        connections::load(self.deps.store.as_ref(), TENANT, &conn.id).await.expect("load")
    }

    /// One invocation of a customers sync (a new run, or `run_id` continued) until `deadline`.
    pub async fn import_once(&self, conn: &str, run_id: Option<String>, deadline: DateTime<Utc>) -> SyncOutcome {
        let trigger = if run_id.is_some() { Trigger::Continuation } else { Trigger::Manual };
        let req = SyncRequest {
            tenant_id: TENANT.into(),
            connection_id: conn.into(),
            streams: vec![StreamKind::Customers],
            run_id,
            trigger,
            with_interests: None,
        };
        run_sync(&self.deps, req, deadline).await.expect("run")
    }

    /// A customers sync to its end; panics unless it completes.
    pub async fn import(&self, conn: &str) -> Run {
        match self.import_once(conn, None, self.no_deadline()).await {
            SyncOutcome::Completed(run) => run,
            other => panic!("the import did not complete: {other:?}"),
        }
    }
}
