//! `koppel-bench-flexmail [--contacts 10000,100000] [--standin target/release/koppel-flexmail-sandbox]`
//! The Flexmail benchmark (see `flexmail_bench.rs`); prints the tables, then the checks that failed.

#[path = "../flexmail.rs"]
mod flexmail;
#[path = "../flexmail_bench.rs"]
mod flexmail_bench;
#[path = "../flexmail_standin.rs"]
mod flexmail_standin;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match flexmail_bench::Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{}", flexmail_bench::USAGE);
            return std::process::ExitCode::from(2);
        }
    };
    match flexmail_bench::run(args).await {
        Ok((report, missed)) => {
            println!("{report}");
            if missed.is_empty() {
                println!("checks: all met");
                std::process::ExitCode::SUCCESS
            } else {
                println!("checks MISSED:\n- {}", missed.join("\n- "));
                std::process::ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
