//! `koppel-bench-erp [--customers 2000] [--sandbox target/release/koppel-sandbox]`
//!
//! N SnelStart customers synced into the mirror, an ERP link saved, then SuperOffice's engine
//! stand-in pulls Customer and Person actors by timestamp from 0 until nothing is new, and asks
//! once more after the last change. Prints the tables of BENCHMARKS.md; exits 1 when the call
//! after the last change returned actors or read more of the feed than its state and one range.

use koppel_bench::erp::{ErpArgs, render, run};

#[tokio::main]
async fn main() {
    let args = match ErpArgs::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\nusage: koppel-bench-erp [--customers N] [--sandbox PATH]");
            std::process::exit(2);
        }
    };
    match run(args).await {
        Ok(figures) => {
            println!("{}", render(&figures));
            let problems = koppel_bench::erp::problems(&figures);
            if !problems.is_empty() {
                eprintln!("benchmark failed: {}", problems.join("; "));
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            std::process::exit(1);
        }
    }
}
