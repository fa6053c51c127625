//! `koppel-adminpulse-sandbox --port 9403 --relations 1000 --seed 7 [--no-rate-limit] [--documents-rate-limit 50]
//! [--not-ready-secs 300]` — relations, and the meeting side (interactions, notes, documents, to-dos).
//! The first stdout line is `ADMINPULSE_BASE_URL=http://127.0.0.1:PORT`; logs go to stderr.

use koppel_sandbox::adminpulse::AdminPulseSandbox;
use koppel_sandbox::adminpulse::cli::{self, Command};
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
    let (relations, limit, documents, not_ready) =
        (config.relations, config.rate_limit_per_minute, config.documents_per_minute, config.not_ready_after_first_use);
    let sandbox = match AdminPulseSandbox::new(config).start(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let base = sandbox.base_url();
    println!("ADMINPULSE_BASE_URL={base}");
    let limit = limit.map_or_else(|| "off".to_string(), |n| format!("{n} calls/minute"));
    let documents = documents.map_or_else(|| "off".to_string(), |n| format!("{n} calls/minute"));
    let ready =
        not_ready.map_or_else(|| "at once".to_string(), |d| format!("{} s after a key's first call", d.as_secs()));
    println!("AdminPulse sandbox: {relations} relations, rate limit {limit}, ready {ready}");
    println!("  meetings          /interactions (+ /notes), /documents/add (rate limit {documents}), /todos");
    // The key is not printed: it is the --api-key value (default `DEMO_API_KEY`, documented in the docs).
    println!("  API key           the --api-key value (default: sandbox-adminpulse-key), sent as Bearer");
    if let Some((authorize, token)) = sandbox.oauth_urls() {
        println!("  OAuth             authorize {authorize}, token endpoint {token}");
        println!("                    client id koppel-demo-client (demo, not a secret); PKCE S256 required");
    }
    println!("  admin             GET {base}/_admin/stats, POST {base}/_admin/faults, POST {base}/_admin/not-ready");
    println!("                    POST {base}/_admin/documents-rate-limit");
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
