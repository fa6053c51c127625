//! Start everything and serve until Ctrl-C.

use std::sync::Arc;
use std::time::Duration;

use koppel_core::Deps;
use koppel_core::ports::bus::SYNC_REQUESTED;
use koppel_core::sync::SyncRequest;
use koppel_runtime::http::state::{AppState, AuthConfig};
use secrecy::SecretString;

use crate::Options;
use crate::demo_import::Transcript;

#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    #[error(transparent)]
    Env(#[from] koppel_runtime::env::EnvError),
    #[error("could not listen on 127.0.0.1:{port}: {message}")]
    Listen { port: u16, message: String },
    #[error("demo: {0}")]
    Demo(String),
}

/// Seconds between scheduler ticks.
pub const TICK_SECS: u64 = 15;

/// Run a sync request in the background, the way the sync function would.
pub fn spawn_sync(deps: Deps, req: SyncRequest) {
    tokio::spawn(async move {
        let deadline = deps.clock.now() + chrono::Duration::seconds(sync_fn::handler::budget_secs());
        match sync_fn::handle_request(&deps, req, deadline).await {
            Ok(summary) => tracing::info!(%summary, "sync finished"),
            Err(e) => tracing::error!(error = %e, "sync failed"),
        }
    });
}

pub async fn run(opts: Options) -> Result<(), LocalError> {
    run_with(opts, &Transcript::new()).await
}

/// SnelStart's addresses from the environment (`SNELSTART_API_BASE`, `SNELSTART_AUTH_BASE`).
fn snelstart_bases() -> (String, String) {
    let var = |name: &str, default: &str| std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or(default.into());
    use koppel_connectors::snelstart::{DEFAULT_API_BASE, DEFAULT_AUTH_BASE};
    (var("SNELSTART_API_BASE", DEFAULT_API_BASE), var("SNELSTART_AUTH_BASE", DEFAULT_AUTH_BASE))
}

/// [`run`], with what the import demo prints also kept in `out` (a test reads it back).
pub async fn run_with(opts: Options, out: &Transcript) -> Result<(), LocalError> {
    let sandbox = if opts.demo { Some(crate::demo::start_sandbox(&opts).await?) } else { None };
    let flexmail = if opts.demo_flexmail { Some(crate::demo_flexmail::start_flexmail().await?) } else { None };
    let imports = if opts.demo_import { Some(crate::demo_import::start_stand_ins().await?) } else { None };
    let meetings = if opts.demo_meetings { Some(crate::demo_meetings::start_stand_ins().await?) } else { None };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port))
        .await
        .map_err(|e| LocalError::Listen { port: opts.port, message: e.to_string() })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(opts.port);
    let base = format!("http://127.0.0.1:{port}");
    let mut connectors = koppel_runtime::env::connectors_from_env()?;
    match (&sandbox, &imports) {
        (sandbox, Some(imports)) => {
            let (api, auth) = match sandbox {
                Some(s) => (s.api_base.clone(), s.auth_base.clone()),
                None => snelstart_bases(),
            };
            connectors.sources = koppel_runtime::env::sources_with(&api, &auth, &imports.adminpulse_base())?;
        }
        (Some(s), None) => connectors.sources = koppel_runtime::env::sources(&s.api_base, &s.auth_base)?,
        (None, None) => {}
    }
    if let Some(f) = &flexmail {
        connectors.newsletter = koppel_runtime::env::newsletter(&f.base_url())?;
    }
    if let Some(m) = &meetings {
        connectors.meetings = koppel_runtime::meetings::with(&m.bases())?;
        // AdminPulse's connection test reads through the source connector: point it at the
        // meeting demo's stand-in too (with --demo-import, that demo's AdminPulse stays the source).
        if imports.is_none() {
            let (api, auth) = match &sandbox {
                Some(s) => (s.api_base.clone(), s.auth_base.clone()),
                None => snelstart_bases(),
            };
            connectors.sources = koppel_runtime::env::sources_with(&api, &auth, &m.adminpulse.base_url())?;
        }
    }
    if std::env::var("KOPPEL_PUBLIC_URL").is_err() {
        connectors.public_url = base.clone();
    }
    let local = koppel_runtime::env::embedded(&opts.data_dir, connectors, "local")?;
    let deps = local.deps.clone();

    let bus_deps = deps.clone();
    local.bus.subscribe(Arc::new(move |event| {
        let deps = bus_deps.clone();
        Box::pin(async move {
            if event.detail_type == SYNC_REQUESTED {
                match serde_json::from_value::<SyncRequest>(event.detail) {
                    Ok(req) => spawn_sync(deps, req),
                    Err(e) => tracing::warn!(error = %e, "ignored a malformed sync request"),
                }
            }
        })
    }));

    let tick_deps = deps.clone();
    let scheduler = local.scheduler.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(TICK_SECS));
        loop {
            every.tick().await;
            match scheduler.due(tick_deps.clock.now()) {
                Ok(due) => {
                    for s in due {
                        let req = SyncRequest {
                            tenant_id: s.tenant_id,
                            connection_id: s.connection_id,
                            streams: koppel_core::domain::stream::StreamKind::ALL.to_vec(),
                            run_id: None,
                            trigger: koppel_core::domain::run::Trigger::Schedule,
                            with_interests: None,
                        };
                        spawn_sync(tick_deps.clone(), req);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "scheduler tick failed"),
            }
        }
    });

    let secret = std::env::var("KOPPEL_DEV_JWT_SECRET").unwrap_or_else(|_| hex::encode(rand::random::<[u8; 32]>()));
    let auth = AuthConfig { tenant_claim: "tenant_id".into(), dev_secret: Some(SecretString::from(secret.clone())) };
    let state = AppState { deps: deps.clone(), auth };
    // The browser comes back from a provider's consent screen to the callback, which sends it on
    // to the return page; locally that is this runner's own `/oauth/done` unless configured.
    let return_url = std::env::var("KOPPEL_OAUTH_RETURN_URL").unwrap_or_else(|_| format!("{base}/oauth/done"));
    let return_page = oauth_callback::ReturnPage::new(&return_url).map_err(|e| LocalError::Demo(e.to_string()))?;
    let app = api::router(state.clone())
        .merge(test_connection::router(state.clone()))
        .merge(flexmail_webhook::router(state.clone()))
        .merge(meeting_push::router(state.clone()))
        .merge(superoffice_erp_router(&deps, state.clone()).await)
        .merge(oauth_callback::router(state, return_page))
        .route("/oauth/done", axum::routing::get(crate::oauth_done::page));
    let token = koppel_runtime::http::auth::dev_token(&SecretString::from(secret), crate::demo::TENANT, 24 * 3600);
    println!("Koppel is listening on {base} (embedded adapters in {})", opts.data_dir.display());
    println!("Dev token for tenant {:?} (24 h):\n  export KOPPEL_TOKEN={token}", crate::demo::TENANT);
    println!("Try:  curl -s -H \"Authorization: Bearer $KOPPEL_TOKEN\" {base}/connectors");

    let server = tokio::spawn(async move { axum::serve(listener, app).with_graceful_shutdown(shutdown()).await });
    if let Some(sandbox) = &sandbox {
        crate::demo::seed_and_sync(&deps, sandbox, &base).await?;
    }
    if let Some(flexmail) = &flexmail {
        crate::demo_flexmail::seed_and_sync(&deps, flexmail, &base).await?;
    }
    if let Some(imports) = &imports {
        crate::demo_import::run(&deps, imports, &base, SecretString::from(token.clone()), &opts.data_dir, out).await?;
    }
    if let Some(meetings) = &meetings {
        crate::demo_meetings::run(&deps, meetings, &base, SecretString::from(token), out).await?;
    }
    if opts.exit_after_demo && (sandbox.is_some() || flexmail.is_some() || imports.is_some() || meetings.is_some()) {
        return Ok(());
    }
    let _ = server.await;
    Ok(())
}

/// The ERP connector, with the SuperOffice app from the local secrets / environment when one is
/// configured (`koppel/local/superoffice/app`); without it every handshake is refused.
async fn superoffice_erp_router(deps: &Deps, state: AppState) -> axum::Router {
    use superoffice_erp::handshake::{Handshake, HandshakeConfig};
    match HandshakeConfig::from_env(deps.secrets.as_ref(), &deps.env).await {
        Ok(config) => {
            let handshake = Handshake::new(config, reqwest::Client::new(), deps.clock.clone());
            superoffice_erp::router(state, Arc::new(handshake))
        }
        Err(_) => superoffice_erp::router_unconfigured(state),
    }
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
