//! `--demo`: a SnelStart sandbox, tenant `demo-firm` with platform customers (some match
//! SnelStart by VAT number, some are duplicates), a tested and active SnelStart connection,
//! and a Sync all — then a summary a person can read.

use std::time::Duration;

use koppel_core::Deps;
use koppel_core::domain::run::{Run, RunStatus};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{PageRequest, RemoteRecord};
use koppel_core::usecases::{activation, create_connection, customers, request_sync, runs, test_connection, unmatched};
use secrecy::SecretString;

use crate::Options;
use crate::wiring::LocalError;

pub const TENANT: &str = "demo-firm";

pub struct DemoSandbox {
    pub api_base: String,
    pub auth_base: String,
    _running: koppel_sandbox::RunningSandbox,
}

fn demo_err(e: impl std::fmt::Display) -> LocalError {
    LocalError::Demo(e.to_string())
}

pub async fn start_sandbox(opts: &Options) -> Result<DemoSandbox, LocalError> {
    let config = koppel_sandbox::SandboxConfig {
        customers: opts.demo_customers,
        invoices: opts.demo_invoices,
        ..koppel_sandbox::SandboxConfig::default()
    };
    let running = koppel_sandbox::SnelStartSandbox::new(config).start("127.0.0.1:0").await.map_err(demo_err)?;
    println!("SnelStart sandbox on {}", running.base_url());
    Ok(DemoSandbox { api_base: running.api_base(), auth_base: running.auth_base(), _running: running })
}

fn demo_credentials() -> Credentials {
    Credentials::new()
        .with("subscription_key", SecretString::from(koppel_sandbox::DEMO_SUBSCRIPTION_KEY.to_string()))
        .with("connection_key", SecretString::from(koppel_sandbox::DEMO_CLIENT_KEY.to_string()))
}

/// Platform customers for the demo: the first 20 SnelStart customers with a VAT number
/// exist already (typed differently), and 3 of those exist twice.
async fn seed_customers(deps: &Deps) -> Result<(usize, usize), LocalError> {
    let session = deps.sources.open("snelstart", demo_credentials()).map_err(demo_err)?;
    let request = PageRequest {
        stream: StreamKind::Customers,
        start_date: chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default(),
        modified_after: None,
        skip: 0,
        top: 200,
        token: None,
    };
    let page = session.fetch_page(&request).await.map_err(demo_err)?;
    let with_vat: Vec<_> = page
        .records
        .into_iter()
        .filter_map(|r| match r {
            Ok(RemoteRecord::Customer(c)) if c.is_customer && c.vat_number.is_some() => Some(c),
            _ => None,
        })
        .take(20)
        .collect();
    let mut duplicates = 0;
    for (i, c) in with_vat.iter().enumerate() {
        let copies = if i < 3 { 2 } else { 1 };
        duplicates += copies - 1;
        for copy in 0..copies {
            let form = customers::NewCustomer {
                name: if copy == 0 { c.name.clone() } else { format!("{} (dubbel)", c.name) },
                customer_number: None,
                vat_number: c.vat_number.as_ref().map(|v| v.to_lowercase()),
                email: None,
                phone: None,
                coc_number: None,
                address: Default::default(),
            };
            customers::create(deps, TENANT, form).await.map_err(demo_err)?;
        }
    }
    Ok((with_vat.len(), duplicates))
}

pub async fn seed_and_sync(deps: &Deps, _sandbox: &DemoSandbox, base: &str) -> Result<(), LocalError> {
    let (matching, duplicates) = seed_customers(deps).await?;
    println!("Seeded {matching} platform customers that exist in SnelStart, {duplicates} of them twice.");
    let form = create_connection::CreateConnection {
        provider: "snelstart".into(),
        name: "Demo administratie".into(),
        subscription_key: Some(SecretString::from(koppel_sandbox::DEMO_SUBSCRIPTION_KEY.to_string())),
        connection_key: Some(SecretString::from(koppel_sandbox::DEMO_CLIENT_KEY.to_string())),
        matching_key: "vat_number".into(),
        start_date: "28-05-2019".into(),
        link_only: false,
        interval_minutes: Some(60),
        newsletter: Default::default(),
        ..Default::default()
    };
    let conn = create_connection::create(deps, TENANT, form).await.map_err(demo_err)?;
    let test = test_connection::test(deps, TENANT, &conn.id).await.map_err(demo_err)?;
    println!("Test API: {}", test.message);
    activation::activate(deps, TENANT, &conn.id).await.map_err(demo_err)?;
    let run = request_sync::request(
        deps,
        TENANT,
        &conn.id,
        request_sync::SyncNow { streams: vec!["all".into()], with_interests: None },
    )
    .await
    .map_err(demo_err)?;
    let run = wait_for(deps, &conn.id, &run.id).await?;
    report(deps, &conn.id, &run, base).await
}

async fn wait_for(deps: &Deps, conn: &str, run_id: &str) -> Result<Run, LocalError> {
    let mut last_pages = u64::MAX;
    for _ in 0..600 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let run = runs::get(deps, TENANT, conn, run_id).await.map_err(demo_err)?;
        if run.totals.pages != last_pages && run.status == RunStatus::Running {
            last_pages = run.totals.pages;
            println!("  … {} pages, {} records", run.totals.pages, run.totals.records);
        }
        if matches!(run.status, RunStatus::Completed | RunStatus::Failed) {
            return Ok(run);
        }
    }
    Err(LocalError::Demo("the demo sync did not finish within 150 s".into()))
}

async fn report(deps: &Deps, conn: &str, run: &Run, base: &str) -> Result<(), LocalError> {
    println!("\nSync all: {:?} in {} ms, {} API calls", run.status, run.duration_ms, run.api_calls);
    for s in &run.streams {
        let c = &s.counters;
        println!(
            "  {:<9} created {:>4}  updated {:>4}  unchanged {:>4}  unmatched {:>4}  skipped {:>3}  failed {:>3}",
            s.stream.as_str(),
            c.created,
            c.updated,
            c.unchanged,
            c.unmatched,
            c.skipped,
            c.failed
        );
    }
    let (waiting, _) = unmatched::list(deps, TENANT, conn, 5, None).await.map_err(demo_err)?;
    println!("\nWaiting for a manual link (first {}):", waiting.len());
    for u in &waiting {
        println!("  {} {:<28} {}", u.remote_id, u.name, u.reason);
    }
    let (logs, _) = runs::logs(deps, TENANT, conn, &run.id, 8, None).await.map_err(demo_err)?;
    println!("\nLog (first {} lines):", logs.len());
    for l in &logs {
        println!("  [{:?}] {}{}", l.level, l.message, l.hint.as_deref().map(|h| format!(" — {h}")).unwrap_or_default());
    }
    println!("\nConnection {conn}. Link a waiting customer:");
    println!(
        "  curl -s -X POST -H \"Authorization: Bearer $KOPPEL_TOKEN\" -H 'content-type: application/json' \\\n    {base}/connections/{conn}/links -d '{{\"remote_id\":\"<remote_id>\",\"customer_id\":\"<customer id from GET /customers>\"}}'"
    );
    Ok(())
}
