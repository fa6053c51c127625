//! `koppel-bench-adminis [--customers 50000] [--standin target/release/koppel-adminis-sandbox]`
//! The Admin IS benchmark (`koppel_bench::admin_is`): a full import from the stand-in, then a
//! change-feed run with nothing changed, which must write no record (the exit status says).

use koppel_bench::admin_is;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match admin_is::Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{}", admin_is::USAGE);
            return std::process::ExitCode::from(2);
        }
    };
    match admin_is::run(args).await {
        Ok((report, held)) => {
            println!("{report}");
            if held {
                println!("check: the second import (nothing changed) wrote no record — met");
                std::process::ExitCode::SUCCESS
            } else {
                println!("check MISSED: the second import (nothing changed) wrote records");
                std::process::ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
