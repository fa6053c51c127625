//! The Admin IS benchmark (`koppel-bench-adminis`): import N customers from the stand-in
//! (`koppel-adminis-sandbox`, its own process) into the embedded SQLite store, then import again
//! with nothing changed (the change feed: no record may be written). Prints records per second,
//! API calls, store writes and this process's peak RSS; the script (`infra/bench/admin_is.sh`)
//! measures the whole process with `/usr/bin/time -v`.
//!
//! The connector is the production wiring (`koppel_runtime::env::connectors_from_env`; the office
//! address comes with the connection). The stand-in reports a `RateLimit` high enough that the
//! session never waits, so the wall time is Koppel's work alone; the report says how long the same
//! calls take at a typical office limit ([`OFFICE_RATE_LIMIT`]).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use koppel_conformance::counting::{CountingStore, Counts};
use koppel_core::Deps;
use koppel_core::domain::run::{Run, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::{SourceFactory, SystemClock, UlidGen};
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::{create_connection, test_connection};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};
use secrecy::SecretString;

pub const USAGE: &str =
    "usage: koppel-bench-adminis [--customers 50000] [--standin target/release/koppel-adminis-sandbox]";
const TENANT: &str = "bench";
/// The stand-in's demo key (not a secret).
const API_KEY: &str = "sandbox-adminis-api-key";
/// A plausible office `RateLimit` (calls a minute) to put the call count in time; the real
/// default of an install is unknown.
pub const OFFICE_RATE_LIMIT: u64 = 120;

#[derive(Debug, Clone)]
pub struct Args {
    /// The stand-in's size (reported; with `--standin` also what it is started with).
    pub customers: usize,
    /// The stand-in binary to start as a child process (its CPU and memory then count with this
    /// process's children; `/usr/bin/time` adds them up: prefer `office_url`).
    pub standin: String,
    /// A stand-in already running (started by `infra/bench/admin_is.sh`), e.g. `http://127.0.0.1:9402`.
    pub office_url: Option<String>,
}

impl Args {
    pub fn parse(args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut a =
            Args { customers: 50_000, standin: "target/release/koppel-adminis-sandbox".into(), office_url: None };
        let mut it = args;
        while let Some(flag) = it.next() {
            let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--customers" => a.customers = value.parse().map_err(|_| "--customers must be a number")?,
                "--standin" => a.standin = value,
                "--office-url" => a.office_url = Some(value),
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        Ok(a)
    }
}

/// The stand-in: a child process (its first stdout line is `ADMINIS_BASE_URL=…`), or one already
/// running.
pub struct StandIn {
    child: Option<Child>,
    pub base_url: String,
}

impl StandIn {
    pub fn running(base_url: &str) -> Self {
        Self { child: None, base_url: base_url.trim_end_matches('/').to_string() }
    }

    pub fn start(binary: &str, customers: usize) -> Result<Self, String> {
        let mut child = Command::new(binary)
            // Reported so high that the session never waits, and not enforced.
            .args(["--port", "0", "--customers", &customers.to_string(), "--rate-limit", "1000000", "--no-rate-limit"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start {binary} (cargo build --release -p koppel-sandbox): {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        let Some(base_url) = first.strip_prefix("ADMINIS_BASE_URL=").map(str::to_string) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("the stand-in's first line was {first:?}, not ADMINIS_BASE_URL=…"));
        };
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Self { child: Some(child), base_url })
    }

    /// One admin request over plain HTTP/1.1 (no HTTP client needed); the body.
    fn admin(&self, method: &str, path: &str) -> Result<String, String> {
        let host = self.base_url.trim_start_matches("http://").trim_end_matches('/');
        let mut tcp = TcpStream::connect(host).map_err(|e| format!("{host}: {e}"))?;
        let request = format!(
            "{method} /_admin/{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        tcp.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
        let mut answer = String::new();
        tcp.read_to_string(&mut answer).map_err(|e| e.to_string())?;
        let (head, body) = answer.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
        if !head.starts_with("HTTP/1.1 2") {
            return Err(format!("{method} /_admin/{path}: {}", head.lines().next().unwrap_or_default()));
        }
        Ok(body.to_string())
    }

    /// A number field of `GET /_admin/stats` (e.g. `total`).
    pub fn stat(&self, field: &str) -> Result<u64, String> {
        let body = self.admin("GET", "stats")?;
        let key = format!("\"{field}\":");
        let at = body.find(&key).ok_or_else(|| format!("no {field} in the stats"))?;
        let digits: String = body[at + key.len()..].trim_start().chars().take_while(char::is_ascii_digit).collect();
        digits.parse().map_err(|_| format!("{field} is not a number"))
    }

    pub fn reset_stats(&self) -> Result<(), String> {
        self.admin("POST", "stats/reset").map(drop)
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Peak resident set size of this process (VmHWM), in MiB.
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

pub struct Pass {
    pub run: Run,
    pub seconds: f64,
    pub store_writes: u64,
    pub record_writes: u64,
    pub standin_calls: u64,
}

/// The report, and whether the second import wrote no record (the check that must hold), with the
/// production connectors.
pub async fn run(args: Args) -> Result<(String, bool), String> {
    let connectors = koppel_runtime::env::connectors_from_env().map_err(|e| e.to_string())?;
    run_with(args, connectors.sources).await
}

/// The same with the given connectors (they must serve `admin_is`).
pub async fn run_with(args: Args, sources: Arc<dyn SourceFactory>) -> Result<(String, bool), String> {
    let standin = match &args.office_url {
        Some(url) => StandIn::running(url),
        None => StandIn::start(&args.standin, args.customers)?,
    };
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let store =
        CountingStore::new(Arc::new(SqliteStore::open(dir.path().join("bench.db")).map_err(|e| e.to_string())?));
    let counts = store.counts.clone();
    let deps = Deps {
        store: Arc::new(store),
        secrets: Arc::new(LocalSecrets::open(dir.path().join("secrets")).map_err(|e| e.to_string())?),
        scheduler: Arc::new(LocalScheduler::in_memory().map_err(|e| e.to_string())?),
        bus: Arc::new(InProcessBus::new()),
        sources,
        // Nothing listens there: this benchmark has no newsletter side.
        newsletter: koppel_runtime::env::newsletter("http://127.0.0.1:9").map_err(|e| e.to_string())?,
        meetings: std::sync::Arc::new(koppel_core::ports::meeting::NoMeetings),
        oauth: Arc::new(koppel_core::ports::oauth::NoOAuthClient),
        clock: Arc::new(SystemClock),
        ids: Arc::new(UlidGen),
        env: "bench".into(),
        public_url: "http://127.0.0.1:9".into(),
    };
    let form = create_connection::CreateConnection {
        provider: "admin_is".into(),
        name: "Benchmark".into(),
        api_key: Some(SecretString::from(API_KEY.to_string())),
        office_url: Some(standin.base_url.clone()),
        matching_key: "customer_number".into(),
        ..Default::default()
    };
    let conn = create_connection::create(&deps, TENANT, form).await.map_err(|e| format!("{e:?}"))?;
    let test = test_connection::test(&deps, TENANT, &conn.id).await.map_err(|e| format!("{e:?}"))?;
    if !test.ok {
        return Err(format!("Test API against the stand-in failed: {}", test.message));
    }
    let first = pass(&deps, &conn.id, &counts, &standin).await?;
    let rss_first = peak_rss_mib();
    let second = pass(&deps, &conn.id, &counts, &standin).await?;
    let unchanged_writes_nothing = second.record_writes == 0 && second.run.streams[0].counters.records == 0;
    Ok((report(&args, &test.message, &first, &second, rss_first, peak_rss_mib()), unchanged_writes_nothing))
}

async fn pass(deps: &Deps, conn: &str, counts: &Counts, standin: &StandIn) -> Result<Pass, String> {
    counts.reset();
    standin.reset_stats()?;
    let started = Instant::now();
    let request = SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: conn.into(),
        streams: vec![StreamKind::Customers],
        run_id: None,
        trigger: Trigger::Manual,
        with_interests: None,
    };
    let deadline = chrono::Utc::now() + chrono::Duration::hours(6);
    let run = match run_sync(deps, request, deadline).await.map_err(|e| format!("{e:?}"))? {
        SyncOutcome::Completed(run) => run,
        other => return Err(format!("the import did not complete: {other:?}")),
    };
    Ok(Pass {
        run,
        seconds: started.elapsed().as_secs_f64(),
        store_writes: counts.writes(),
        record_writes: counts.record_writes(),
        standin_calls: standin.stat("total")?,
    })
}

fn report(args: &Args, test: &str, first: &Pass, second: &Pass, rss_first: f64, rss_peak: f64) -> String {
    let line = |name: &str, p: &Pass, rss: f64| {
        let c = &p.run.streams[0].counters;
        format!(
            "| {name} | {} | {} / {} / {} | {:.1} | {:.0} | {} ({} at the stand-in) | {:.1} min | {} | {} | {rss:.1} MiB |",
            c.records,
            c.created,
            c.updated,
            c.unchanged,
            p.seconds,
            c.records as f64 / p.seconds.max(1e-9),
            p.run.api_calls,
            p.standin_calls,
            p.run.api_calls as f64 / OFFICE_RATE_LIMIT as f64,
            p.store_writes,
            p.record_writes,
        )
    };
    format!(
        "Admin IS import: {} customers from the stand-in (a separate process) into the embedded SQLite store\n\
Test API: {test}\n\n\
| pass | records | created / updated / unchanged | seconds | records/s | API calls | at {OFFICE_RATE_LIMIT} calls/min | store writes | record writes | peak RSS |\n\
|---|---|---|---|---|---|---|---|---|---|\n{}\n{}\n\npeak RSS of this process over both passes: {rss_peak:.1} MiB\n",
        args.customers,
        line("first (full import)", first, rss_first),
        line("second (change feed, nothing changed)", second, rss_peak),
    )
}
