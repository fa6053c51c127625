//! `koppel-sandbox --port 9400 --customers 1000 --invoices 3000 --seed 7`

use koppel_sandbox::SnelStartSandbox;
use koppel_sandbox::cli::{self, Command};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt().with_env_filter(filter).init();
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
    let (customers, invoices) = (config.customers, config.invoices);
    let sandbox = match SnelStartSandbox::new(config).start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    println!("SnelStart sandbox: {customers} relaties, {invoices} verkoopfacturen");
    println!("  base URL          {}", sandbox.base_url());
    println!("  SNELSTART_API_BASE={}", sandbox.api_base());
    println!("  SNELSTART_AUTH_BASE={}", sandbox.auth_base());
    println!("  subscription key  {}   (demo key, not a secret)", sandbox.subscription_key());
    println!("  koppelsleutel     {}   (demo key, not a secret)", sandbox.client_key());
    println!("  admin             {}/__admin/stats, POST {}/__admin/faults", sandbox.base_url(), sandbox.base_url());
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
