//! `koppel-zoho-sandbox --port 9406 --events 500 --seed 7 [--oauth]`
//! The first stdout line is `ZOHO_BASE_URL=http://127.0.0.1:PORT`; logs go to stderr.

use koppel_sandbox::zoho::ZohoSandbox;
use koppel_sandbox::zoho::cli::{self, Command};
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
    let events = config.events;
    let sandbox = match ZohoSandbox::new(config).start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = sandbox.base_url();
    println!("ZOHO_BASE_URL={base}");
    println!("Zoho sandbox: {events} events; CRM at {base}/crm/v8, WorkDrive at {base}/workdrive/api/v1");
    // The token is not printed: it is the --access-token value (default documented in docs/connectors/zoho.md).
    println!("  access token      the --access-token value, sent as 'Authorization: Zoho-oauthtoken …'");
    println!("  WorkDrive folder  {}", sandbox.workdrive_folder().unwrap_or("(none)"));
    if let Some((authorize, token)) = sandbox.oauth_urls() {
        println!("  OAuth             authorize {authorize}, token endpoint {token}");
        println!("                    client id koppel-demo-client (demo, not a secret); PKCE S256 required");
    }
    println!("  admin             GET {base}/_admin/stats, POST {base}/_admin/faults");
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
