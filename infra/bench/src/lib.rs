//! Sync all of N customers and M invoices (and their M payments) from the SnelStart sandbox,
//! running as its own process, into the embedded store; then again with nothing changed.

pub mod admin_is;
pub mod adminpulse;
pub mod args;
pub mod erp;
pub mod import;
pub mod push;
pub mod push_standins;
pub mod sandbox_process;

use std::sync::Arc;
use std::time::Instant;

pub use args::Args;
use koppel_conformance::counting::CountingStore;
use koppel_core::Deps;
use koppel_core::domain::run::{Run, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::{SystemClock, UlidGen};
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::{create_connection, test_connection};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};
use secrecy::SecretString;

const TENANT: &str = "bench";

pub struct Pass {
    pub run: Run,
    pub seconds: f64,
    pub store_writes: u64,
    pub record_writes: u64,
}

/// Peak resident set size of this process, from /proc (Linux), in MiB.
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

pub async fn run(args: Args) -> Result<String, String> {
    let sandbox = sandbox_process::SandboxProcess::start(&args).await?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let store =
        CountingStore::new(Arc::new(SqliteStore::open(dir.path().join("bench.db")).map_err(|e| e.to_string())?));
    let counts = store.counts.clone();
    let deps = Deps {
        store: Arc::new(store),
        secrets: Arc::new(LocalSecrets::open(dir.path().join("secrets")).map_err(|e| e.to_string())?),
        scheduler: Arc::new(LocalScheduler::in_memory().map_err(|e| e.to_string())?),
        bus: Arc::new(InProcessBus::new()),
        sources: koppel_runtime::env::sources(&sandbox.api_base(), &sandbox.base).map_err(|e| e.to_string())?,
        newsletter: koppel_runtime::env::newsletter("http://127.0.0.1:9").map_err(|e| e.to_string())?,
        meetings: std::sync::Arc::new(koppel_core::ports::meeting::NoMeetings),
        oauth: std::sync::Arc::new(koppel_core::ports::oauth::NoOAuthClient),
        clock: Arc::new(SystemClock),
        ids: Arc::new(UlidGen),
        env: "bench".into(),
        public_url: "http://127.0.0.1:9".into(),
    };
    let form = create_connection::CreateConnection {
        provider: "snelstart".into(),
        name: "Benchmark".into(),
        subscription_key: Some(SecretString::from(sandbox.subscription_key.clone())),
        connection_key: Some(SecretString::from(sandbox.client_key.clone())),
        matching_key: "vat_number".into(),
        start_date: "01-01-2000".into(),
        link_only: false,
        interval_minutes: None,
        newsletter: Default::default(),
        ..Default::default()
    };
    let conn = create_connection::create(&deps, TENANT, form).await.map_err(|e| format!("{e:?}"))?;
    let test = test_connection::test(&deps, TENANT, &conn.id).await.map_err(|e| format!("{e:?}"))?;
    if !test.ok {
        return Err(format!("test against the sandbox failed: {}", test.message));
    }
    let first = pass(&deps, &conn.id, &counts).await?;
    let rss_after_first = peak_rss_mib();
    let second = pass(&deps, &conn.id, &counts).await?;
    Ok(report(&args, &first, &second, rss_after_first, peak_rss_mib()))
}

async fn pass(deps: &Deps, conn: &str, counts: &koppel_conformance::counting::Counts) -> Result<Pass, String> {
    counts.reset();
    let started = Instant::now();
    let req = SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: conn.into(),
        streams: StreamKind::ALL.to_vec(),
        run_id: None,
        trigger: Trigger::Manual,
        with_interests: None,
    };
    let deadline = chrono::Utc::now() + chrono::Duration::hours(6);
    let run = match run_sync(deps, req, deadline).await.map_err(|e| format!("{e:?}"))? {
        SyncOutcome::Completed(run) => run,
        other => return Err(format!("the run did not complete: {other:?}")),
    };
    Ok(Pass {
        run,
        seconds: started.elapsed().as_secs_f64(),
        store_writes: counts.writes(),
        record_writes: counts.record_writes(),
    })
}

fn report(args: &Args, first: &Pass, second: &Pass, rss_first: f64, rss_peak: f64) -> String {
    let line = |name: &str, p: &Pass| {
        let records = p.run.totals.records;
        format!(
            "| {name} | {records} | {:.1} | {:.0} | {} | {:.4} | {} | {:.2} | {} | {:.1} / {:.1} MiB |",
            p.seconds,
            records as f64 / p.seconds.max(1e-9),
            p.run.api_calls,
            p.run.api_calls as f64 / records.max(1) as f64,
            p.store_writes,
            p.store_writes as f64 / records.max(1) as f64,
            p.record_writes,
            if name.starts_with("first") { rss_first } else { rss_peak },
            rss_peak,
        )
    };
    let streams = |p: &Pass| {
        p.run
            .streams
            .iter()
            .map(|s| {
                let c = &s.counters;
                format!(
                    "{}: {} read, {} created, {} updated, {} unchanged, {} unmatched",
                    s.stream, c.records, c.created, c.updated, c.unchanged, c.unmatched
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!(
        "Sync all: {} customers, {} invoices, {} payments (sandbox as a separate process, embedded SQLite store)\n\n\
| pass | rows read | seconds | rows/s | API calls | calls/row | store writes | writes/row | record writes | peak RSS (after pass / whole run) |\n\
|---|---|---|---|---|---|---|---|---|---|\n{}\n{}\n\nfirst: {}\nsecond: {}\n",
        args.customers,
        args.invoices,
        args.invoices,
        line("first (empty store)", first),
        line("second (nothing changed)", second),
        streams(first),
        streams(second),
    )
}
