//! The AdminPulse benchmark: import N relations from the stand-in (`koppel-adminpulse-sandbox`,
//! its own process, started by `infra/bench/adminpulse.sh`) into a fresh embedded SQLite store,
//! then import again with nothing changed. The connector is the production wiring
//! (`koppel_runtime::env::connectors_from_env`, base URL from `ADMINPULSE_API_BASE`): pages of
//! 400, 480 calls per rolling minute kept by the session, real clock and sleeper.
//!
//! Reported per pass: relations read, created / linked / waiting / unchanged, wall and CPU
//! seconds, relations per second, API calls (the run's and the stand-in's count), the time the
//! 480-a-minute budget implies for that many calls, 429s, store writes and record writes.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use koppel_conformance::counting::{CountingStore, Counts};
use koppel_core::Deps;
use koppel_core::domain::run::{Run, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::{SystemClock, UlidGen};
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::{create_connection, test_connection};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};
use secrecy::SecretString;

pub const TENANT: &str = "bench";
/// The environment variable the connector's base URL comes from (`koppel_connectors::adminpulse::BASE_URL_ENV`).
pub const BASE_URL_ENV: &str = "ADMINPULSE_API_BASE";
/// The stand-in's demo API key (`koppel_sandbox::adminpulse::DEMO_API_KEY`; not a secret).
pub const DEMO_API_KEY: &str = "sandbox-adminpulse-key";
/// AdminPulse's limit [C AP-1].
pub const CALLS_PER_MINUTE: u64 = 480;

/// The embedded backend (SQLite in a folder, counted) with the connectors from the environment.
pub struct Bench {
    pub deps: Deps,
    pub counts: Arc<Counts>,
}

impl Bench {
    pub fn open(dir: &Path) -> Result<Self, String> {
        let store = CountingStore::new(Arc::new(SqliteStore::open(dir.join("bench.db")).map_err(|e| e.to_string())?));
        let counts = store.counts.clone();
        let connectors = koppel_runtime::env::connectors_from_env().map_err(|e| e.to_string())?;
        let deps = Deps {
            store: Arc::new(store),
            secrets: Arc::new(LocalSecrets::open(dir.join("secrets")).map_err(|e| e.to_string())?),
            scheduler: Arc::new(LocalScheduler::in_memory().map_err(|e| e.to_string())?),
            bus: Arc::new(InProcessBus::new()),
            sources: connectors.sources,
            newsletter: connectors.newsletter,
            meetings: connectors.meetings,
            oauth: Arc::new(koppel_core::ports::oauth::NoOAuthClient),
            clock: Arc::new(SystemClock),
            ids: Arc::new(UlidGen),
            env: "bench".into(),
            public_url: "http://127.0.0.1:9".into(),
        };
        Ok(Self { deps, counts })
    }

    /// An API-key AdminPulse connection (matching on VAT number), created and tested ok; its id.
    pub async fn connect(&self, api_key: &str) -> Result<String, String> {
        let form = create_connection::CreateConnection {
            provider: "adminpulse".into(),
            name: "Benchmark".into(),
            matching_key: "vat_number".into(),
            auth_mode: Some("api_key".into()),
            api_key: Some(SecretString::from(api_key.to_string())),
            ..Default::default()
        };
        let conn = create_connection::create(&self.deps, TENANT, form).await.map_err(|e| format!("{e:?}"))?;
        let test = test_connection::test(&self.deps, TENANT, &conn.id).await.map_err(|e| format!("{e:?}"))?;
        if !test.ok {
            return Err(format!("test against the AdminPulse stand-in failed: {} ({:?})", test.message, test.hint));
        }
        Ok(conn.id)
    }

    /// One customers import to its end (continuing pauses like the continuation event would).
    pub async fn import(&self, conn: &str) -> Result<(Run, u32), String> {
        let mut req = SyncRequest {
            tenant_id: TENANT.into(),
            connection_id: conn.into(),
            streams: vec![StreamKind::Customers],
            run_id: None,
            trigger: Trigger::Manual,
            with_interests: None,
        };
        for invocation in 1..=100 {
            let deadline = chrono::Utc::now() + chrono::Duration::minutes(14);
            match run_sync(&self.deps, req.clone(), deadline).await.map_err(|e| format!("{e:?}"))? {
                SyncOutcome::Paused(run) => {
                    req.run_id = Some(run.id);
                    req.trigger = Trigger::Continuation;
                }
                SyncOutcome::Completed(run) => return Ok((run, invocation)),
                other => return Err(format!("the import did not complete: {other:?}")),
            }
        }
        Err("the import did not end in 100 invocations".into())
    }
}

/// The stand-in's admin API (`/_admin/stats`), over a plain HTTP/1.1 request.
pub struct StandIn {
    pub base_url: String,
}

/// What the stand-in counted.
#[derive(Debug, Clone, Copy, Default)]
pub struct StandInCounts {
    pub total: u64,
    pub rate_limited: u64,
}

impl StandIn {
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

    pub fn counts(&self) -> Result<StandInCounts, String> {
        let body = self.admin("GET", "stats")?;
        let number = |field: &str| -> Result<u64, String> {
            let key = format!("\"{field}\":");
            let at = body.find(&key).ok_or_else(|| format!("no {field} in the stats: {body:.200}"))?;
            let digits: String = body[at + key.len()..].trim_start().chars().take_while(char::is_ascii_digit).collect();
            digits.parse().map_err(|_| format!("{field} is not a number: {body:.200}"))
        };
        Ok(StandInCounts { total: number("total")?, rate_limited: number("rate_limited")? })
    }

    pub fn reset(&self) -> Result<(), String> {
        self.admin("POST", "stats/reset").map(drop)
    }
}

/// One import, measured.
pub struct Pass {
    pub name: String,
    pub run: Run,
    pub invocations: u32,
    pub seconds: f64,
    pub cpu_seconds: f64,
    pub standin: StandInCounts,
    pub store_writes: u64,
    pub record_writes: u64,
}

/// User + system CPU seconds of this process so far (`/proc/self/stat`, ticks of 1/100 s).
pub fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?)
        })
        .map_or(0.0, |ticks| ticks / 100.0)
}

pub async fn pass(bench: &Bench, standin: &StandIn, conn: &str, name: &str) -> Result<Pass, String> {
    bench.counts.reset();
    standin.reset()?;
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let (run, invocations) = bench.import(conn).await?;
    Ok(Pass {
        name: name.to_string(),
        run,
        invocations,
        seconds: started.elapsed().as_secs_f64(),
        cpu_seconds: cpu_seconds() - cpu_before,
        standin: standin.counts()?,
        store_writes: bench.counts.writes(),
        record_writes: bench.counts.record_writes(),
    })
}

/// The least wall time `calls` calls need at 480 per rolling minute: every 480 calls after the
/// first 480 wait for a new minute (the calls themselves take no time in this figure).
pub fn budget_seconds(calls: u64) -> u64 {
    calls.saturating_sub(1) / CALLS_PER_MINUTE * 60
}

/// The table and the checks that failed.
pub fn report(label: &str, relations: u64, passes: &[Pass]) -> (String, Vec<String>) {
    let mut out = format!(
        "### AdminPulse: {relations} relations, stand-in {label}\n\n\
| pass | relations read | created / linked / waiting / unchanged | wall s | CPU s | relations/s | API calls (run / stand-in) | \
budget wait at 480/min | 429s | store writes | record writes | invocations |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    );
    let mut missed = Vec::new();
    for p in passes {
        let c = p.run.streams.first().map(|s| s.counters.clone()).unwrap_or_default();
        out += &format!(
            "| {} | {} | {} / {} / {} / {} | {:.2} | {:.2} | {:.0} | {} / {} | {} s | {} | {} | {} | {} |\n",
            p.name,
            c.records,
            c.created,
            c.updated,
            c.unmatched,
            c.unchanged,
            p.seconds,
            p.cpu_seconds,
            c.records as f64 / p.seconds.max(1e-9),
            p.run.api_calls,
            p.standin.total,
            budget_seconds(p.run.api_calls),
            p.standin.rate_limited,
            p.store_writes,
            p.record_writes,
            p.invocations,
        );
        if c.records != relations {
            missed.push(format!("{}: read {} of {relations} relations", p.name, c.records));
        }
        if p.run.api_calls != p.standin.total {
            missed.push(format!(
                "{}: the run counted {} calls, the stand-in {}",
                p.name, p.run.api_calls, p.standin.total
            ));
        }
        if p.standin.rate_limited != 0 {
            missed.push(format!("{}: {} answers were 429", p.name, p.standin.rate_limited));
        }
    }
    if let Some(second) = passes.get(1)
        && second.record_writes != 0
    {
        missed.push(format!("{}: {} record writes; must be 0", second.name, second.record_writes));
    }
    (out, missed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_wait_per_minute_of_calls() {
        assert_eq!([0, 1, 126, 480, 481, 960, 961].map(budget_seconds), [0, 0, 0, 0, 60, 60, 120]);
    }
}
