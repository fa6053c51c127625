//! `ADMINPULSE_API_BASE=http://127.0.0.1:PORT koppel-bench-adminpulse --relations 50000 [--label "rate limit on"] [--api-key KEY]`
//!
//! Against a running `koppel-adminpulse-sandbox` (see `infra/bench/adminpulse.sh`): creates an
//! API-key AdminPulse connection in a fresh embedded store, imports every relation, imports again
//! with nothing changed, and prints the table (stdout). Exits 1 when a check fails (not every
//! relation read, call counts that differ, a 429, or record writes on the second import).

use koppel_bench::adminpulse::{BASE_URL_ENV, Bench, DEMO_API_KEY, StandIn, pass, report};

const USAGE: &str =
    "usage: ADMINPULSE_API_BASE=URL koppel-bench-adminpulse [--relations 50000] [--label TEXT] [--api-key KEY]";

struct Args {
    relations: u64,
    label: String,
    api_key: String,
}

fn parse() -> Result<Args, String> {
    let mut a = Args { relations: 50_000, label: "as started".into(), api_key: DEMO_API_KEY.into() };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--relations" => a.relations = value.replace('_', "").parse().map_err(|_| "--relations takes a number")?,
            "--label" => a.label = value,
            "--api-key" => a.api_key = value,
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(a)
}

async fn bench(args: &Args) -> Result<(String, Vec<String>), String> {
    let base_url = std::env::var(BASE_URL_ENV).map_err(|_| format!("{BASE_URL_ENV} is not set"))?;
    let standin = StandIn { base_url };
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let bench = Bench::open(dir.path())?;
    let conn = bench.connect(&args.api_key).await?;
    let first = pass(&bench, &standin, &conn, "1. first import (empty store)").await?;
    let second = pass(&bench, &standin, &conn, "2. second import, nothing changed").await?;
    Ok(report(&args.label, args.relations, &[first, second]))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    match bench(&args).await {
        Ok((table, missed)) => {
            println!("{table}");
            println!("peak RSS (VmHWM) of this process: {:.1} MiB", koppel_bench::peak_rss_mib());
            for m in &missed {
                println!("CHECK FAILED: {m}");
            }
            if missed.is_empty() { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::FAILURE }
        }
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
