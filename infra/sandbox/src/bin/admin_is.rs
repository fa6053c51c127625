//! `koppel-adminis-sandbox --port 9402 --customers 1000 --seed 7 [--no-rate-limit | --rate-limit 120]`
//! The first stdout line is `ADMINIS_BASE_URL=http://127.0.0.1:PORT`; logs go to stderr.

use koppel_sandbox::admin_is::AdminIsSandbox;
use koppel_sandbox::admin_is::cli::{self, Command};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    let (addr, config) = match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Run { addr, config }) => (addr, config),
        Ok(Command::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let (customers, limit, enforced) = (config.customers, config.rate_limit, config.enforce_rate_limit);
    let office = match AdminIsSandbox::new(config).start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = office.base_url();
    println!("ADMINIS_BASE_URL={base}");
    let limit = if enforced { format!("{limit} calls/minute") } else { format!("{limit} calls/minute reported, off") };
    println!("Admin IS sandbox: {customers} customers, rate limit {limit}");
    // The key is not printed: it is the --api-key value (default documented in docs/connectors/admin-is.md).
    println!("  api key           the --api-key value (default: sandbox-adminis-api-key)");
    println!(
        "  admin             GET {base}/_admin/stats, POST {base}/_admin/faults, POST {base}/_admin/customers/ID/touch"
    );
    let _ = tokio::signal::ctrl_c().await;
    office.shutdown().await;
    ExitCode::SUCCESS
}
