//! Pieces shared by the Flexmail benchmark binaries (`koppel-bench-flexmail`,
//! `koppel-bench-flexmail-pull`): the embedded backend wired to a Flexmail stand-in, a clock
//! that skips the engine's budget waits instead of sleeping them, the connection set up as a
//! user would, and a run driven to its end (following pauses like the continuation would).
//!
//! Included by the binaries with `#[path]`, so the library (the SnelStart benchmark) is unchanged.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use koppel_conformance::counting::{CountingStore, Counts};
use koppel_core::Deps;
use koppel_core::domain::run::{Run, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::newsletter::form::{MappingInput, NewsletterForm};
use koppel_core::ports::{Clock, UlidGen};
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::{create_connection, test_connection};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};
use secrecy::SecretString;

pub const TENANT: &str = "bench";
/// The stand-in's demo credentials (not secrets).
pub const ACCOUNT_ID: &str = "100200";
pub const TOKEN: &str = "sandbox-flexmail-token";
/// The mapped custom field: platform field `company` → Flexmail field `Bedrijf`.
pub const MAPPED_FIELD: &str = "company";

/// Real time plus every wait the engine asked for. The engine keeps to Flexmail's 60 calls a
/// minute by waiting (and waits 2 s between import status polls); here those waits advance
/// this clock instead of sleeping, so the measured wall time is the work alone. The time the
/// calls would take at 60 a minute is computed from the call count.
#[derive(Default)]
pub struct SkipClock {
    skipped_ms: AtomicI64,
}

impl SkipClock {
    /// The waits skipped so far.
    pub fn skipped(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.skipped_ms.load(Ordering::Relaxed)).unwrap_or_default())
    }
}

/// `Clock` is an `async_trait`; its `sleep` written out as the macro would (no extra dependency).
impl Clock for SkipClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.skipped_ms.load(Ordering::Relaxed))
    }

    fn sleep<'a, 'b>(&'a self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'b>>
    where
        'a: 'b,
        Self: 'b,
    {
        self.skipped_ms.fetch_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX), Ordering::Relaxed);
        Box::pin(tokio::task::yield_now())
    }
}

/// The embedded backend (SQLite store in `dir`, counted) with the Flexmail factory against `flexmail_base`.
pub struct Bench {
    pub deps: Deps,
    pub counts: Arc<Counts>,
    pub clock: Arc<SkipClock>,
}

impl Bench {
    pub fn open(dir: &Path, flexmail_base: &str) -> Result<Self, String> {
        let store = CountingStore::new(Arc::new(SqliteStore::open(dir.join("bench.db")).map_err(|e| e.to_string())?));
        let counts = store.counts.clone();
        let clock = Arc::new(SkipClock::default());
        let deps = Deps {
            store: Arc::new(store),
            secrets: Arc::new(LocalSecrets::open(dir.join("secrets")).map_err(|e| e.to_string())?),
            scheduler: Arc::new(LocalScheduler::in_memory().map_err(|e| e.to_string())?),
            bus: Arc::new(InProcessBus::new()),
            // No SnelStart connection here: a source factory pointing nowhere.
            sources: koppel_runtime::env::sources("http://127.0.0.1:9/v2", "http://127.0.0.1:9")
                .map_err(|e| e.to_string())?,
            newsletter: koppel_runtime::env::newsletter(flexmail_base).map_err(|e| e.to_string())?,
            meetings: std::sync::Arc::new(koppel_core::ports::meeting::NoMeetings),
            oauth: std::sync::Arc::new(koppel_core::ports::oauth::NoOAuthClient),
            clock: clock.clone(),
            ids: Arc::new(UlidGen),
            env: "bench".into(),
            public_url: "http://127.0.0.1:9".into(),
        };
        Ok(Self { deps, counts, clock })
    }

    /// A Flexmail connection created and tested ok, with one mapped custom field; its id.
    pub async fn connect(&self) -> Result<String, String> {
        let form = create_connection::CreateConnection {
            provider: "flexmail".into(),
            name: "Nieuwsbrief".into(),
            subscription_key: None,
            connection_key: None,
            matching_key: String::new(),
            start_date: String::new(),
            link_only: false,
            interval_minutes: Some(60),
            newsletter: NewsletterForm {
                account_id: Some(ACCOUNT_ID.into()),
                personal_access_token: Some(SecretString::from(TOKEN.to_string())),
                field_map: Some(vec![MappingInput {
                    platform_field: MAPPED_FIELD.into(),
                    flexmail_field: "Bedrijf".into(),
                }]),
                ..NewsletterForm::default()
            },
            ..Default::default()
        };
        let conn = create_connection::create(&self.deps, TENANT, form).await.map_err(|e| format!("{e:?}"))?;
        let test = test_connection::test(&self.deps, TENANT, &conn.id).await.map_err(|e| format!("{e:?}"))?;
        if !test.ok {
            return Err(format!("test against the Flexmail stand-in failed: {}", test.message));
        }
        Ok(conn.id)
    }

    /// Run `streams` to their end; the run and how many invocations it took.
    pub async fn run(&self, conn: &str, streams: &[StreamKind]) -> Result<(Run, u32), String> {
        let mut req = SyncRequest {
            tenant_id: TENANT.into(),
            connection_id: conn.into(),
            streams: streams.to_vec(),
            run_id: None,
            trigger: Trigger::Manual,
            with_interests: None,
        };
        for invocation in 1..=1_000 {
            // A Lambda's 15 minutes, on the skipping clock.
            let deadline = self.clock.now() + chrono::Duration::minutes(14);
            match run_sync(&self.deps, req.clone(), deadline).await.map_err(|e| format!("{e:?}"))? {
                SyncOutcome::Paused(run) => {
                    req.run_id = Some(run.id);
                    req.trigger = Trigger::Continuation;
                }
                SyncOutcome::Completed(run) => return Ok((run, invocation)),
                other => return Err(format!("the run did not complete: {other:?}")),
            }
        }
        Err("the run did not end in 1,000 invocations".into())
    }
}
