//! Building [`Deps`] from the environment: the AWS adapters in Lambda, the embedded ones locally.
//! Environment variables carry names and URLs only, never secret values (docs/conventions.md).

use std::path::Path;
use std::sync::Arc;

use koppel_aws::{DynamoStore, EventBridgeBus, SchedulerSyncScheduler, SecretsManagerVault};
use koppel_core::Deps;
use koppel_core::ports::{MeetingFactory, NewsletterFactory, OAuthClient, SourceFactory, SystemClock, UlidGen};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};

#[derive(Debug, thiserror::Error)]
pub enum EnvError {
    #[error("environment variable {0} is not set")]
    Missing(&'static str),
    #[error("environment variable {name} is invalid: {message}")]
    Invalid { name: &'static str, message: String },
    #[error("could not open the local data folder: {0}")]
    Local(String),
    #[error("could not build the HTTP client: {0}")]
    Client(String),
}

/// Where the OAuth callback sends the browser when it is done (`KOPPEL_OAUTH_RETURN_URL`).
pub const DEFAULT_OAUTH_RETURN_URL: &str = "http://127.0.0.1:9000/oauth/done";

/// `KOPPEL_OAUTH_RETURN_URL`, or [`DEFAULT_OAUTH_RETURN_URL`].
pub fn oauth_return_url() -> String {
    var_or("KOPPEL_OAUTH_RETURN_URL", DEFAULT_OAUTH_RETURN_URL)
}

/// The OAuth client (the `oauth2` crate on Koppel's reqwest client); provider apps come from the
/// secrets port, so it needs no configuration of its own.
pub fn oauth_client() -> Result<Arc<dyn OAuthClient>, EnvError> {
    let client = koppel_connectors::oauth::OAuth2Client::new().map_err(|e| EnvError::Client(e.to_string()))?;
    Ok(Arc::new(client))
}

fn var(name: &'static str) -> Result<String, EnvError> {
    std::env::var(name).ok().filter(|v| !v.is_empty()).ok_or(EnvError::Missing(name))
}

fn var_or(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string())
}

/// JSON lines in Lambda (CloudWatch), readable lines elsewhere; `RUST_LOG` filters.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let _ = if std::env::var("AWS_LAMBDA_FUNCTION_NAME").is_ok() {
        builder.json().without_time().try_init()
    } else {
        builder.try_init()
    };
}

/// The provider connectors and Koppel's public URL (for webhook registrations).
#[derive(Clone)]
pub struct Connectors {
    pub sources: Arc<dyn SourceFactory>,
    pub newsletter: Arc<dyn NewsletterFactory>,
    /// Meeting connectors (base URLs from the environment, see [`crate::meetings`]).
    pub meetings: Arc<dyn MeetingFactory>,
    /// `KOPPEL_PUBLIC_URL`: where providers reach Koppel's webhooks (`https://…` in production).
    pub public_url: String,
}

/// The connectors with base URLs from the environment (the sandboxes in tests and demos).
pub fn connectors_from_env() -> Result<Connectors, EnvError> {
    let api = var_or("SNELSTART_API_BASE", koppel_connectors::snelstart::DEFAULT_API_BASE);
    let auth = var_or("SNELSTART_AUTH_BASE", koppel_connectors::snelstart::DEFAULT_AUTH_BASE);
    let flexmail = var_or(koppel_connectors::flexmail::BASE_URL_ENV, koppel_connectors::flexmail::DEFAULT_BASE_URL);
    Ok(Connectors {
        sources: sources(&api, &auth)?,
        newsletter: newsletter(&flexmail)?,
        meetings: crate::meetings::from_env()?,
        public_url: var_or("KOPPEL_PUBLIC_URL", "http://127.0.0.1:9000"),
    })
}

pub fn newsletter(flexmail_base: &str) -> Result<Arc<dyn NewsletterFactory>, EnvError> {
    let factory = koppel_connectors::flexmail::FlexmailFactory::new(flexmail_base)
        .map_err(|e| EnvError::Invalid { name: "FLEXMAIL_API_BASE", message: e.to_string() })?;
    Ok(Arc::new(factory))
}

/// Every source connector: SnelStart at these bases, AdminPulse at `ADMINPULSE_API_BASE` (the
/// real one by default), Admin IS / Consult at each connection's own office address.
pub fn sources(api_base: &str, auth_base: &str) -> Result<Arc<dyn SourceFactory>, EnvError> {
    let adminpulse =
        var_or(koppel_connectors::adminpulse::BASE_URL_ENV, koppel_connectors::adminpulse::DEFAULT_BASE_URL);
    sources_with(api_base, auth_base, &adminpulse)
}

/// `sources` with the AdminPulse base given (its stand-in in tests and demos).
pub fn sources_with(
    api_base: &str,
    auth_base: &str,
    adminpulse_base: &str,
) -> Result<Arc<dyn SourceFactory>, EnvError> {
    use koppel_connectors::{ProviderSources, admin_is::AdminIsFactory, adminpulse::AdminPulseFactory};
    use koppel_core::domain::catalog::{ADMIN_IS, ADMINPULSE, SNELSTART};
    let snelstart = koppel_connectors::snelstart::SnelStartFactory::with_defaults(api_base, auth_base)
        .map_err(|e| EnvError::Invalid { name: "SNELSTART_API_BASE", message: e.to_string() })?;
    let adminpulse = AdminPulseFactory::with_defaults(adminpulse_base)
        .map_err(|e| EnvError::Invalid { name: koppel_connectors::adminpulse::BASE_URL_ENV, message: e.to_string() })?;
    let admin_is = AdminIsFactory::with_defaults()
        .map_err(|e| EnvError::Invalid { name: "office_url", message: e.to_string() })?;
    Ok(Arc::new(
        ProviderSources::new()
            .with(SNELSTART, Arc::new(snelstart))
            .with(ADMINPULSE, Arc::new(adminpulse))
            .with(ADMIN_IS, Arc::new(admin_is)),
    ))
}

/// The embedded backend, with handles the local runner needs (scheduler tick, bus subscription).
pub struct Embedded {
    pub deps: Deps,
    pub scheduler: Arc<LocalScheduler>,
    pub bus: Arc<InProcessBus>,
}

pub fn embedded(dir: &Path, connectors: Connectors, env: &str) -> Result<Embedded, EnvError> {
    std::fs::create_dir_all(dir).map_err(|e| EnvError::Local(format!("{}: {e}", dir.display())))?;
    let local = |e: &dyn std::fmt::Display| EnvError::Local(e.to_string());
    let store = Arc::new(SqliteStore::open(dir.join("koppel.db")).map_err(|e| local(&e))?);
    let secrets = Arc::new(LocalSecrets::open(dir.join("secrets")).map_err(|e| local(&e))?);
    let scheduler = Arc::new(LocalScheduler::open(dir.join("schedules.db")).map_err(|e| local(&e))?);
    let bus = Arc::new(InProcessBus::new());
    let deps = Deps {
        store,
        secrets,
        scheduler: scheduler.clone(),
        bus: bus.clone(),
        sources: connectors.sources,
        newsletter: connectors.newsletter,
        meetings: connectors.meetings,
        oauth: oauth_client()?,
        clock: Arc::new(SystemClock),
        ids: Arc::new(UlidGen),
        env: env.to_string(),
        public_url: connectors.public_url,
    };
    Ok(Embedded { deps, scheduler, bus })
}

/// The embedded adapters on `dir` with connectors that reach nothing (a closed loopback port):
/// to read what a local run left behind (the demos' tests) without calling any provider.
pub fn embedded_offline(dir: &Path, env: &str) -> Result<Embedded, EnvError> {
    const NOWHERE: &str = "http://127.0.0.1:9";
    let connectors = Connectors {
        sources: sources(NOWHERE, NOWHERE)?,
        newsletter: newsletter(NOWHERE)?,
        meetings: Arc::new(koppel_core::ports::meeting::NoMeetings),
        public_url: NOWHERE.into(),
    };
    embedded(dir, connectors, env)
}

pub async fn aws(connectors: Connectors, env: &str) -> Result<Deps, EnvError> {
    let config = koppel_aws::sdk_config().await;
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), var("TABLE_NAME")?);
    let secrets = SecretsManagerVault::new(aws_sdk_secretsmanager::Client::new(&config));
    let scheduler = SchedulerSyncScheduler::new(
        aws_sdk_scheduler::Client::new(&config),
        var("SCHEDULE_GROUP_NAME")?,
        var_or("SYNC_FUNCTION_ARN", ""),
        var_or("SCHEDULER_ROLE_ARN", ""),
    );
    let bus = EventBridgeBus::new(aws_sdk_eventbridge::Client::new(&config), var("EVENT_BUS_NAME")?);
    Ok(Deps {
        store: Arc::new(store),
        secrets: Arc::new(secrets),
        scheduler: Arc::new(scheduler),
        bus: Arc::new(bus),
        sources: connectors.sources,
        newsletter: connectors.newsletter,
        meetings: connectors.meetings,
        oauth: oauth_client()?,
        clock: Arc::new(SystemClock),
        ids: Arc::new(UlidGen),
        env: env.to_string(),
        public_url: connectors.public_url,
    })
}

/// `KOPPEL_BACKEND=aws` (the default in Lambda) or `embedded` (the default elsewhere).
pub async fn deps_from_env() -> Result<Deps, EnvError> {
    let in_lambda = std::env::var("AWS_LAMBDA_FUNCTION_NAME").is_ok();
    let backend = var_or("KOPPEL_BACKEND", if in_lambda { "aws" } else { "embedded" });
    let env = var_or("KOPPEL_ENV", "dev");
    let connectors = connectors_from_env()?;
    match backend.as_str() {
        "aws" => aws(connectors, &env).await,
        "embedded" => Ok(embedded(Path::new(&var_or("KOPPEL_DATA_DIR", ".koppel")), connectors, &env)?.deps),
        other => Err(EnvError::Invalid { name: "KOPPEL_BACKEND", message: format!("{other:?}; use aws or embedded") }),
    }
}
