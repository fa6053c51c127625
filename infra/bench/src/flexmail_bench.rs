//! The Flexmail benchmark: for each size N, N platform contacts (newsletter on, unique
//! addresses, a mapped custom field) against a stand-in with 0 contacts and its rate limit
//! off, in a fresh embedded store: first sync (contacts stream: bulk import), second sync
//! with nothing changed, third after 1% changed, then a full reconciliation.

use std::collections::BTreeMap;
use std::time::Instant;

use koppel_core::domain::run::Run;
use koppel_core::domain::stream::StreamKind;
use koppel_core::usecases::contacts::{self, ContactInput};

use crate::flexmail::{Bench, MAPPED_FIELD, TENANT};
use crate::flexmail_standin::StandIn;

pub struct Args {
    pub sizes: Vec<usize>,
    pub standin: String,
}

pub const USAGE: &str = "usage: koppel-bench-flexmail [--contacts 10000,100000] \
[--standin PATH-TO-koppel-flexmail-sandbox]";

impl Args {
    pub fn parse(args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut a = Args { sizes: vec![10_000, 100_000], standin: "target/release/koppel-flexmail-sandbox".into() };
        let mut it = args;
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--contacts" => {
                    a.sizes = value()?
                        .split(',')
                        .map(|s| s.trim().replace('_', "").parse::<usize>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| "--contacts takes numbers separated by commas")?
                }
                "--standin" => a.standin = value()?,
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        Ok(a)
    }
}

struct Pass {
    name: String,
    run: Run,
    invocations: u32,
    seconds: f64,
    cpu_seconds: f64,
    standin_calls: u64,
    store_writes: u64,
    store_reads: u64,
    skipped_wait: f64,
    peak_rss_mib: f64,
}

/// Peak resident set size of this process (VmHWM), in MiB.
fn peak_rss_mib() -> f64 {
    koppel_bench::peak_rss_mib()
}

/// Reset VmHWM to the current RSS (Linux: `5` into `/proc/self/clear_refs`), so each pass's
/// peak is its own. Returns false where that is not possible (the peak then is since start).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// User + system CPU seconds of this process so far (`/proc/self/stat`, clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?)
        })
        .map_or(0.0, |ticks| ticks / 100.0)
}

fn contact(i: usize, company: String) -> ContactInput {
    ContactInput {
        first_name: Some(format!("Voornaam{i}")),
        name: Some(format!("Naam{i}")),
        email: Some(format!("klant{i}@voorbeeld.be")),
        active: true,
        newsletter: true,
        language: None,
        fields: BTreeMap::from([(MAPPED_FIELD.to_string(), company)]),
        interests: Vec::new(),
    }
}

async fn put_contacts(bench: &Bench, ids: impl Iterator<Item = usize>, changed: bool) -> Result<usize, String> {
    let mut n = 0;
    for i in ids {
        let company = if changed { format!("Firma {i} NV") } else { format!("Firma {i}") };
        contacts::put(&bench.deps, TENANT, &format!("p{i:06}"), contact(i, company))
            .await
            .map_err(|e| format!("{e:?}"))?;
        n += 1;
    }
    Ok(n)
}

async fn pass(
    bench: &Bench,
    standin: &StandIn,
    conn: &str,
    name: &str,
    streams: &[StreamKind],
) -> Result<Pass, String> {
    bench.counts.reset();
    standin.reset_calls()?;
    let rss_reset = reset_peak_rss();
    let skipped_before = bench.clock.skipped().as_secs_f64();
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let (run, invocations) = bench.run(conn, streams).await?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(Pass {
        name: if rss_reset { name.to_string() } else { format!("{name} (peak RSS since start)") },
        run,
        invocations,
        seconds,
        cpu_seconds: cpu_seconds() - cpu_before,
        standin_calls: standin.calls()?,
        store_writes: bench.counts.writes(),
        store_reads: bench.counts.reads(),
        skipped_wait: bench.clock.skipped().as_secs_f64() - skipped_before,
        peak_rss_mib: peak_rss_mib(),
    })
}

/// One size: its table and the checks that failed.
async fn size(args: &Args, n: usize) -> Result<(String, Vec<String>), String> {
    let standin = StandIn::start(&args.standin, 0)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let bench = Bench::open(dir.path(), &standin.base_url)?;
    let conn = bench.connect().await?;
    let seeding = Instant::now();
    put_contacts(&bench, 0..n, false).await?;
    let seed_seconds = seeding.elapsed().as_secs_f64();

    let push = [StreamKind::Contacts];
    let first = pass(&bench, &standin, &conn, "1. first sync (contacts; bulk import)", &push).await?;
    let second = pass(&bench, &standin, &conn, "2. second sync, nothing changed", &push).await?;
    let changed = put_contacts(&bench, (0..n).step_by(100), true).await?;
    let third = pass(&bench, &standin, &conn, &format!("3. third sync, 1% changed ({changed})"), &push).await?;
    let recon = [StreamKind::Reconciliation];
    let fourth = pass(&bench, &standin, &conn, "4. full reconciliation", &recon).await?;

    let mut missed = Vec::new();
    let nl = |p: &Pass| p.run.newsletter.clone().unwrap_or_default();
    let (f, s, t) = (nl(&first), nl(&second), nl(&third));
    if f.sent_created != n as u64 {
        missed.push(format!("{n}: first sync created {} of {n} contacts", f.sent_created));
    }
    if s.sent_created + s.sent_updated != 0 || second.run.api_calls != 0 || second.standin_calls != 0 {
        missed.push(format!(
            "{n}: second sync sent {} and made {} calls ({} at the stand-in); must be 0",
            s.sent_created + s.sent_updated,
            second.run.api_calls,
            second.standin_calls
        ));
    }
    if t.sent_updated + t.sent_created != changed as u64 {
        missed.push(format!("{n}: third sync sent {} of {changed} changed", t.sent_updated + t.sent_created));
    }
    if n == 10_000 && fourth.run.api_calls > 21 {
        missed.push(format!("{n}: reconciliation made {} calls (limit 21)", fourth.run.api_calls));
    }
    for p in [&first, &second, &third, &fourth] {
        if p.run.api_calls != p.standin_calls {
            missed.push(format!(
                "{n}: {}: run counted {} calls, the stand-in {}",
                p.name, p.run.api_calls, p.standin_calls
            ));
        }
    }

    let mut out = format!(
        "### {n} platform contacts\n\n(seeding {n} platform contacts: {seed_seconds:.1} s, not part of any pass)\n\n\
| pass | contacts sent | API calls (run / stand-in) | wall s (measured) | at 60 calls/min (computed) | \
CPU s | store writes | store reads | peak RSS | invocations |\n|---|---|---|---|---|---|---|---|---|---|\n"
    );
    for p in [&first, &second, &third, &fourth] {
        let r = nl(p);
        out += &format!(
            "| {} | {} | {} / {} | {:.2} | {:.1} min | {:.2} | {} | {} | {:.1} MiB | {} |\n",
            p.name,
            r.sent_created + r.sent_updated,
            p.run.api_calls,
            p.standin_calls,
            p.seconds,
            p.run.api_calls as f64 / 60.0,
            p.cpu_seconds,
            p.store_writes,
            p.store_reads,
            p.peak_rss_mib,
            p.invocations,
        );
    }
    out += "\n";
    for p in [&first, &second, &third, &fourth] {
        let r = nl(p);
        out += &format!(
            "- {}: created {}, updated {}, by import {}, unchanged {}, remote read {}, 429s {}; \
engine budget waits skipped {:.0} s\n",
            p.name,
            r.sent_created,
            r.sent_updated,
            r.sent_by_import,
            r.unchanged,
            r.remote_read,
            r.rate_limited,
            p.skipped_wait
        );
    }
    Ok((out, missed))
}

pub async fn run(args: Args) -> Result<(String, Vec<String>), String> {
    let mut report = String::from(
        "Flexmail benchmark (stand-in as a separate process, rate limit off, 0 contacts at start; \
embedded SQLite store)\n\n",
    );
    let mut missed = Vec::new();
    for &n in &args.sizes {
        let (table, m) = size(&args, n).await?;
        eprintln!("{table}");
        report += &table;
        report += "\n";
        missed.extend(m);
    }
    Ok((report, missed))
}
