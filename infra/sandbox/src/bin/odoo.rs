//! `koppel-odoo-sandbox --port 9405 --partners 300 --events 200 --seed 7 [--database NAME --api-key KEY]`
//! The first stdout line is `ODOO_BASE_URL=http://127.0.0.1:PORT`; logs go to stderr.

use koppel_sandbox::odoo::OdooSandbox;
use koppel_sandbox::odoo::cli::{self, Command};
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
    let (partners, events, databases) = (config.partners, config.events, config.databases.join(", "));
    let sandbox = match OdooSandbox::new(config).start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = sandbox.base_url();
    println!("ODOO_BASE_URL={base}");
    println!("Odoo sandbox: database(s) {databases}, {partners} contacts and {events} meetings each");
    // The key is not printed: it is the --api-key value (default: the demo key in docs/connectors/odoo.md).
    println!("  API key           the --api-key value, sent as Authorization: bearer <key>");
    println!("  admin             GET {base}/_admin/stats, POST {base}/_admin/faults");
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
