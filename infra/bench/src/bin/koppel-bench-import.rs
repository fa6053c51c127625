//! `koppel-bench-import generate --rows N --out DIR` writes DIR/customers.csv and
//! DIR/customers.xlsx; `koppel-bench-import run --file FILE --data-dir DIR` imports one of them
//! into a fresh embedded store (preview, import, import again) and prints the report. See
//! `infra/bench/import.sh`, which runs each import under `/usr/bin/time -v`.

use std::path::PathBuf;
use std::process::ExitCode;

use koppel_bench::import::{self, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const USAGE: &str =
    "usage: koppel-bench-import generate --rows N --out DIR | koppel-bench-import run --file FILE --data-dir DIR";

fn flags(args: &[String]) -> Result<Vec<(&str, &str)>, String> {
    args.chunks(2)
        .map(|p| match p {
            [flag, value] => Ok((flag.as_str(), value.as_str())),
            [flag] => Err(format!("{flag} needs a value")),
            _ => Err(USAGE.into()),
        })
        .collect()
}

fn value<'a>(flags: &[(&str, &'a str)], name: &str) -> Result<&'a str, String> {
    flags.iter().find(|(f, _)| *f == name).map(|(_, v)| *v).ok_or_else(|| format!("{name} is missing; {USAGE}"))
}

async fn main_result() -> Result<String, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = args.split_first().ok_or(USAGE)?;
    let flags = flags(rest)?;
    match command.as_str() {
        "generate" => {
            let rows: usize = value(&flags, "--rows")?.parse().map_err(|_| "--rows must be a number")?;
            let out = PathBuf::from(value(&flags, "--out")?);
            std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
            let (csv, xlsx) = import::generate(rows, &out)?;
            Ok(format!("{}\n{}", csv.display(), xlsx.display()))
        }
        "run" => {
            let file = PathBuf::from(value(&flags, "--file")?);
            import::run(&file, &PathBuf::from(value(&flags, "--data-dir")?)).await
        }
        other => Err(format!("unknown command {other:?}; {USAGE}")),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match main_result().await {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
