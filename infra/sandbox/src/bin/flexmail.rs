//! `koppel-flexmail-sandbox --port 9401 --contacts 1000 --seed 7 [--no-rate-limit | --rate-limit 60]`
//! The first stdout line is `FLEXMAIL_BASE_URL=http://127.0.0.1:PORT`; logs go to stderr.

use koppel_sandbox::flexmail::FlexmailSandbox;
use koppel_sandbox::flexmail::cli::{self, Command};
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
    let (contacts, limit) = (config.contacts, config.rate_limit_per_minute);
    let flexmail = match FlexmailSandbox::new(config).start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = flexmail.base_url();
    println!("FLEXMAIL_BASE_URL={base}");
    let limit = limit.map_or_else(|| "off".to_string(), |n| format!("{n} calls/minute"));
    println!("Flexmail sandbox: {contacts} contacts, rate limit {limit}");
    println!("  account id        {}   (demo, not a secret)", flexmail.account_id());
    // The token is not printed: it is the --token value (default `DEMO_TOKEN`, documented in the README).
    println!("  token             the --token value (default: sandbox-flexmail-token)");
    println!("  admin             GET {base}/_admin/stats, POST {base}/_admin/fire, POST {base}/_admin/faults");
    let _ = tokio::signal::ctrl_c().await;
    flexmail.shutdown().await;
    ExitCode::SUCCESS
}
