//! `koppel-bench-flexmail-pull --base-url URL --data-dir DIR`
//!
//! Creates a Flexmail connection (embedded SQLite store in DIR, the Flexmail factory against
//! the stand-in at URL), runs one reconciliation stream to its end and exits: the process to
//! measure as a whole (`/usr/bin/time -v`) for "pulling N contacts costs at most …".
//! Prints what it did to stderr: calls, contacts read, store writes and reads, wall time.

#[path = "../flexmail.rs"]
mod flexmail;

use std::time::Instant;

use koppel_core::domain::stream::StreamKind;

const USAGE: &str = "usage: koppel-bench-flexmail-pull --base-url URL --data-dir DIR";

fn parse() -> Result<(String, String), String> {
    let (mut base, mut dir) = (None, None);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--base-url" => base = Some(value),
            "--data-dir" => dir = Some(value),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok((base.ok_or("--base-url is missing")?, dir.ok_or("--data-dir is missing")?))
}

async fn pull(base: &str, dir: &str) -> Result<String, String> {
    let started = Instant::now();
    std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    let bench = flexmail::Bench::open(std::path::Path::new(dir), base)?;
    let conn = bench.connect().await?;
    let setup_writes = bench.counts.writes();
    let (run, invocations) = bench.run(&conn, &[StreamKind::Reconciliation]).await?;
    let r = run.newsletter.unwrap_or_default();
    Ok(format!(
        "pulled {} contacts: {} API calls in {invocations} invocation(s), {} store writes ({setup_writes} by the setup), \
{} store reads, {:.2} s wall, engine budget waits skipped {:.0} s",
        r.remote_read,
        run.api_calls,
        bench.counts.writes(),
        bench.counts.reads(),
        started.elapsed().as_secs_f64(),
        bench.clock.skipped().as_secs_f64(),
    ))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (base, dir) = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    match pull(&base, &dir).await {
        Ok(line) => {
            eprintln!("{line}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pull failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
