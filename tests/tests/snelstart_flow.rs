//! The whole SnelStart flow through the real connector against the sandbox: setup, Test API,
//! Sync all through 429s, 5xx and a token that expires mid-run, an unchanged second run, a
//! wrong key — and no secret in the captured logs of any of it.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::Duration;
use koppel_core::domain::run::{RunStatus, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::{activation, runs, test_connection};
use koppel_sandbox::{Resource, SandboxConfig, SnelStartSandbox};
use koppel_tests::harness::{Harness, TENANT};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

fn request(conn: &str) -> SyncRequest {
    SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: conn.into(),
        streams: StreamKind::ALL.to_vec(),
        run_id: None,
        trigger: Trigger::Manual,
        with_interests: None,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn sync_all_through_faults_then_an_unchanged_rerun_and_no_secret_in_the_logs() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let config = SandboxConfig { customers: 1_100, invoices: 1_300, ..SandboxConfig::default() };
    let sandbox = SnelStartSandbox::new(config).start_local().await.expect("sandbox");
    let sources = koppel_runtime::env::sources(&sandbox.api_base(), &sandbox.auth_base()).expect("sources");
    let h = Harness::new(sources);
    let sub = sandbox.subscription_key().to_string();
    let key = sandbox.client_key().to_string();
    let conn = h.connection_with_keys("vat_number", false, &sub, &key).await;
    activation::activate(&h.deps, TENANT, &conn.id).await.expect("activate after a passed test");

    // Faults: two 429s (Retry-After 1 s) and two 503s on relaties, and every token expires after the first page.
    sandbox.faults().inject(koppel_sandbox::Fault::rate_limit(2, 1).on_path("/v2/relaties"));
    sandbox.faults().inject(koppel_sandbox::Fault::server_error(2, 503).on_path("/v2/verkoopfacturen"));
    let faults = sandbox.faults();
    let watcher_stats = sandbox.stats_handle();
    let expirer = tokio::spawn(async move {
        for _ in 0..2_000 {
            if watcher_stats.snapshot().count("/v2/relaties") >= 3 {
                faults.expire_tokens();
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        false
    });
    let run = match run_sync(&h.deps, request(&conn.id), h.no_deadline()).await.expect("run") {
        SyncOutcome::Completed(run) => run,
        other => panic!("expected a completed run, got {other:?}"),
    };
    assert!(expirer.await.unwrap_or(false), "tokens were expired mid-run");
    let customers_in_sandbox = sandbox.data().len(Resource::Relaties) as u64;
    let c = &run.streams[0].counters;
    assert_eq!(c.records, customers_in_sandbox, "every relatie read once");
    assert_eq!(c.created + c.updated + c.unmatched + c.skipped + c.failed, customers_in_sandbox);
    assert!(c.created > 0 && c.skipped > 0, "customers created, suppliers skipped: {c:?}");
    let data = sandbox.data();
    let from_start_date = data
        .ids_in_order(Resource::Verkoopfacturen)
        .iter()
        .filter_map(|id| data.record(Resource::Verkoopfacturen, id))
        .filter(|r| r["factuurdatum"].as_str().is_some_and(|d| d >= "2020-01-01"))
        .count() as u64;
    assert!(from_start_date > 0 && from_start_date < data.len(Resource::Verkoopfacturen) as u64);
    let invoices = &run.streams[1].counters;
    assert_eq!(invoices.records, from_start_date, "invoices from the start date, each once");
    assert_eq!(run.streams[2].counters.records, from_start_date, "one payment state per invoice");
    let stats = sandbox.stats();
    assert!(stats.token_calls >= 2, "a new token after the expiry: {}", stats.token_calls);
    assert!(run.api_calls >= run.totals.pages + 4 + 2, "retries and tokens are counted: {}", run.api_calls);

    // Nothing changed: the second run writes no record.
    h.counts.reset();
    h.clock.advance(Duration::hours(1));
    let again = match run_sync(&h.deps, request(&conn.id), h.no_deadline()).await.expect("run") {
        SyncOutcome::Completed(run) => run,
        other => panic!("expected a completed run, got {other:?}"),
    };
    assert_eq!(h.counts.record_writes(), 0, "no record written when nothing changed");
    assert_eq!(again.status, RunStatus::Completed);

    // A touched customer comes back on the next (incremental) run, and only that one is read again.
    sandbox.data().touch(Resource::Relaties, 3);
    h.clock.advance(Duration::hours(1));
    let third = match run_sync(&h.deps, request(&conn.id), h.no_deadline()).await.expect("run") {
        SyncOutcome::Completed(run) => run,
        other => panic!("expected a completed run, got {other:?}"),
    };
    assert!(third.streams[0].counters.records < 50, "incremental: {:?}", third.streams[0].counters);

    let text = logs.text();
    assert!(!text.is_empty(), "logs were captured");
    for secret in [sub.as_str(), key.as_str()] {
        assert!(!text.contains(secret), "a key appeared in the logs");
    }
    for token in sandbox.issued_tokens() {
        assert!(!text.contains(&token), "a token appeared in the logs");
    }
}

#[tokio::test]
async fn a_wrong_connection_key_fails_the_test_with_a_hint_and_blocks_activation() {
    let sandbox = SnelStartSandbox::new(SandboxConfig { customers: 10, invoices: 10, ..Default::default() })
        .start_local()
        .await
        .expect("sandbox");
    let sources = koppel_runtime::env::sources(&sandbox.api_base(), &sandbox.auth_base()).expect("sources");
    let h = Harness::new(sources);
    let form = koppel_core::usecases::create_connection::CreateConnection {
        provider: "snelstart".into(),
        name: "Verkeerde sleutel".into(),
        subscription_key: Some(sandbox.subscription_key().to_string().into()),
        connection_key: Some("not-the-koppelsleutel".to_string().into()),
        matching_key: "email".into(),
        start_date: "2020-01-01".into(),
        link_only: false,
        interval_minutes: None,
        newsletter: Default::default(),
        ..Default::default()
    };
    let conn = koppel_core::usecases::create_connection::create(&h.deps, TENANT, form).await.unwrap();
    let result = test_connection::test(&h.deps, TENANT, &conn.id).await.unwrap();
    assert!(!result.ok);
    let hint = result.hint.unwrap_or_default().to_lowercase();
    assert!(hint.contains("koppelsleutel") || hint.contains("connection key"), "{hint}");
    assert!(activation::activate(&h.deps, TENANT, &conn.id).await.is_err(), "no activation before a passed test");
    let stored = koppel_core::usecases::connections::load(h.deps.store.as_ref(), TENANT, &conn.id).await.unwrap();
    assert_eq!(stored.last_test.map(|t| t.ok), Some(false), "the outcome is stored on the connection");
    assert!(runs::list(&h.deps, TENANT, &conn.id, 10).await.unwrap().is_empty());
}
