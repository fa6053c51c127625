//! `cargo run --release -p koppel-bench -- [--customers N] [--invoices N] [--sandbox PATH]`

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match koppel_bench::Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\nusage: koppel-bench [--customers N] [--invoices N] [--sandbox PATH-TO-koppel-sandbox]");
            return std::process::ExitCode::from(2);
        }
    };
    match koppel_bench::run(args).await {
        Ok(report) => {
            println!("{report}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
