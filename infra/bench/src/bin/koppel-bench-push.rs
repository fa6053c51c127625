//! `koppel-bench-push [--provider adminpulse|brokercloud|fid_manager|odoo|silverfin|zoho|all] [--meetings 1000]`
//!
//! Per provider: its stand-in in this process (limits off), a fresh embedded store, N meetings with
//! 3 reports (8 KiB), 2 notes and 5 to-dos each, sent once, then sent again. Prints one table row
//! per provider and exits 1 when the second pass created or updated anything or an item failed.

use koppel_bench::push::{Bench, pass, peak_rss_kb};
use koppel_bench::push_standins::{PROVIDERS, start};

async fn one(provider: &str, meetings: usize) -> Result<String, String> {
    let target = start(provider).await?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let bench = Bench::open(dir.path(), target.meetings.clone())?;
    let conn = bench.connect(&target).await?;
    let targets = bench.targets(&target, &conn, 50).await?;
    let folders = bench.folders(&target, &conn, &targets).await?;
    bench.meetings(&target, &conn, &targets, &folders, meetings).await?;
    let first = pass(&bench, &conn, meetings).await?;
    let second = pass(&bench, &conn, meetings).await?;
    if second.created + second.updated + second.failed > 0 || first.failed > 0 {
        return Err(format!(
            "{provider}: second pass created {} / updated {} (first failed {})",
            second.created, second.updated, first.failed
        ));
    }
    let per = |calls: u64| calls as f64 / meetings as f64;
    Ok(format!(
        "| {provider} | {meetings} | {} | {:.1} | {:.2} s | {:.0} | {} | {:.1} | {:.2} s | {} |",
        first.created,
        per(first.calls),
        first.seconds,
        first.writes as f64 / meetings as f64,
        second.created,
        per(second.calls),
        second.seconds,
        second.writes
    ))
}

#[tokio::main]
async fn main() {
    let mut provider = "all".to_string();
    let mut meetings = 1000usize;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--provider" => provider = value,
            "--meetings" => meetings = value.parse().unwrap_or(1000),
            other => {
                eprintln!("unknown option {other:?}");
                std::process::exit(2);
            }
        }
    }
    let chosen: Vec<&str> = if provider == "all" { PROVIDERS.to_vec() } else { vec![provider.as_str()] };
    println!(
        "| provider | meetings | items created (1st) | calls/meeting (1st) | wall (1st) | store writes/meeting (1st) | items created (2nd) | calls/meeting (2nd) | wall (2nd) | store writes (2nd) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut failed = false;
    for p in chosen {
        match one(p, meetings).await {
            Ok(row) => println!("{row}"),
            Err(e) => {
                eprintln!("benchmark failed: {e}");
                failed = true;
            }
        }
    }
    println!(
        "peak RSS of the whole process (Koppel and the in-process stand-ins): {:.1} MB",
        peak_rss_kb() as f64 / 1024.0
    );
    if failed {
        std::process::exit(1);
    }
}
