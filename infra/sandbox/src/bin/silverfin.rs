//! `koppel-silverfin-sandbox --port 9406 --companies 450 --seed 7 [--firm-id 4242] [--oauth]`
//! The first stdout line is `SILVERFIN_BASE_URL=http://127.0.0.1:PORT`; logs go to stderr.

use koppel_sandbox::silverfin::SilverfinSandbox;
use koppel_sandbox::silverfin::cli::{self, Command};
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
    let (companies, years) = (config.companies, (config.first_year, config.last_year));
    let sandbox = match SilverfinSandbox::new(config).start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = sandbox.base_url();
    println!("SILVERFIN_BASE_URL={base}");
    println!("Silverfin sandbox: firm {}, {companies} companies, periods {}-{}", sandbox.firm_id(), years.0, years.1);
    // The token is not printed: it is the --access-token value (default documented in the docs).
    println!(
        "  access token      the --access-token value (its default is in docs/connectors/silverfin.md), sent as Bearer"
    );
    if let Some((authorize, token)) = sandbox.oauth_urls() {
        println!("  OAuth             authorize {authorize}, token endpoint {token}");
        println!("                    client id koppel-demo-client (demo, not a secret); PKCE S256 required");
    }
    println!(
        "  admin             GET {base}/_admin/stats, POST {base}/_admin/faults, GET {base}/_admin/companies/ID/items"
    );
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
