//! `koppel-brokercloud-sandbox --port 9404 --parties 400 --seed 7 [--access-token T] [--oauth]`
//! The first stdout line is `BROKERCLOUD_BASE_URL=http://127.0.0.1:PORT`; logs go to stderr.

use koppel_sandbox::brokercloud::BrokercloudSandbox;
use koppel_sandbox::brokercloud::cli::{self, Command};
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
    let parties = config.parties;
    let sandbox = match BrokercloudSandbox::new(config).start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = sandbox.base_url();
    println!("BROKERCLOUD_BASE_URL={base}");
    println!("Brokercloud sandbox: {parties} parties, REST under {base}/api/v2");
    // The token is not printed: it is the --access-token value (default documented in the docs).
    println!(
        "  access token      the --access-token value (its default is in docs/connectors/brokercloud.md), sent as Bearer"
    );
    if let Some((authorize, token)) = sandbox.oauth_urls() {
        println!("  OAuth             authorize {authorize}, token endpoint {token}");
        println!("                    client id koppel-demo-client (demo, not a secret); PKCE S256 required");
    }
    println!("  admin             GET {base}/_admin/stats, GET {base}/_admin/files, POST {base}/_admin/faults");
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
