//! `koppel-fid-manager-sandbox --port 9410 --clients 300 --seed 7 [--partner-code CODE]`
//! The first stdout line is `FID_MANAGER_BASE_URL=http://127.0.0.1:PORT`; logs go to stderr.

use koppel_sandbox::fid_manager::FidManagerSandbox;
use koppel_sandbox::fid_manager::cli::{self, Command};
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
    let (clients, ttl) = (config.clients, config.session_ttl.as_secs());
    let sandbox = match FidManagerSandbox::new(config).start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = sandbox.base_url();
    println!("FID_MANAGER_BASE_URL={base}");
    println!("Fid-Manager sandbox: {clients} clients with folders, sessions of {ttl} s");
    // Password and partner code are not printed: they are the --password / --partner-code values
    // (defaults documented in docs/connectors/fid-manager.md).
    println!(
        "  sign-in           user {}, the --password and --partner-code values",
        sandbox.username().unwrap_or("-")
    );
    println!("  admin             GET {base}/_admin/stats, GET {base}/_admin/documents, POST {base}/_admin/faults");
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
