//! Support for OAuth tests: a provider whose probe accepts only the bearer tokens an OAuth server
//! issued, a clock whose waits take a little real time (for races between tasks), and shortcuts
//! for an AdminPulse OAuth connection and its OAuth app registration.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use koppel_core::domain::catalog::ACCESS_TOKEN_FIELD;
use koppel_core::domain::connection::Connection;
use koppel_core::oauth::app;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{PageNext, PageRequest, ProbeInfo, SourcePage};
use koppel_core::ports::{Clock, ConnectorError, SourceFactory, SourceSession};
use koppel_core::usecases::create_connection::{self, CreateConnection};
use secrecy::{ExposeSecret, SecretString};

use crate::harness::{Harness, TENANT, TestClock};

pub const PROVIDER: &str = "adminpulse";
/// The redirect URL the test app registers (the sandbox's default registered URI).
pub const REDIRECT_URL: &str = "http://127.0.0.1:9000/oauth/callback";
/// What the probe tells about the account.
pub const ACCOUNT: &str = "Kantoor Demo";

/// Says whether a bearer token is valid now (e.g. `koppel_sandbox::oauth::OAuthServer::accepts`).
pub type Acceptor = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// A provider for every name whose probe is the cheapest authenticated call: ok when the
/// `access_token` it was opened with is accepted, 401 otherwise. Pages are empty.
#[derive(Clone)]
pub struct BearerSources {
    accepts: Acceptor,
    /// Sessions opened, and the field names each got (never values).
    pub opened: Arc<AtomicU64>,
    pub fields_seen: Arc<Mutex<Vec<Vec<String>>>>,
}

impl BearerSources {
    pub fn new(accepts: Acceptor) -> Self {
        Self { accepts, opened: Arc::default(), fields_seen: Arc::default() }
    }
    pub fn fields_seen(&self) -> Vec<Vec<String>> {
        self.fields_seen.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

struct Session {
    provider: String,
    token: Option<SecretString>,
    accepts: Acceptor,
}

impl SourceFactory for BearerSources {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn SourceSession>, ConnectorError> {
        self.opened.fetch_add(1, Ordering::SeqCst);
        let names = credentials.names().map(str::to_string).collect();
        self.fields_seen.lock().unwrap_or_else(PoisonError::into_inner).push(names);
        let token = credentials.get(ACCESS_TOKEN_FIELD).cloned();
        Ok(Box::new(Session { provider: provider.into(), token, accepts: self.accepts.clone() }))
    }
}

#[async_trait]
impl SourceSession for Session {
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        match &self.token {
            Some(t) if (self.accepts)(t.expose_secret()) => Ok(ProbeInfo { account: Some(ACCOUNT.into()) }),
            Some(_) => Err(ConnectorError::Unauthorized {
                provider: self.provider.clone(),
                what: "the access token".into(),
                hint: "Reconnect.".into(),
            }),
            None => Err(ConnectorError::MissingCredential(ACCESS_TOKEN_FIELD.into())),
        }
    }
    async fn fetch_page(&self, _: &PageRequest) -> Result<SourcePage, ConnectorError> {
        self.probe().await?;
        Ok(SourcePage { records: vec![], raw_len: 0, next: PageNext::End })
    }
    fn api_calls(&self) -> u64 {
        0
    }
}

/// A [`TestClock`] whose `sleep` also lets a millisecond of real time pass, so that a task
/// waiting for another task (a refresh lease) gives it the chance to finish. Time read by the
/// code still comes from the test clock.
pub struct PacedClock(pub Arc<TestClock>);

#[async_trait]
impl Clock for PacedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
    async fn sleep(&self, d: std::time::Duration) {
        self.0.sleep(d).await;
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
}

/// The JSON of an OAuth app registration (`koppel/{env}/oauth-apps/{provider}`).
pub fn app_json(authorize_url: &str, token_url: &str, client_id: &str, client_secret: &str, pkce: bool) -> String {
    serde_json::json!({
        "client_id": client_id,
        "client_secret": client_secret,
        "authorize_url": authorize_url,
        "token_url": token_url,
        "redirect_url": REDIRECT_URL,
        "scopes": ["relations.read"],
        "pkce": pkce,
    })
    .to_string()
}

impl Harness {
    /// Register the provider's OAuth app in the secrets port.
    pub async fn register_oauth_app(&self, json: &str) {
        let name = app::secret_name(&self.deps.env, PROVIDER);
        self.deps.secrets.put(&name, SecretString::from(json.to_string())).await.expect("register app");
    }

    /// An AdminPulse connection that signs in with OAuth (saved, awaiting authorization).
    pub async fn oauth_connection(&self, tenant: &str) -> Connection {
        let form = CreateConnection {
            provider: PROVIDER.into(),
            name: "Kantoor".into(),
            matching_key: "vat_number".into(),
            interval_minutes: Some(60),
            ..Default::default()
        };
        create_connection::create(&self.deps, tenant, form).await.expect("create oauth connection")
    }

    /// The connection as stored now.
    pub async fn reload(&self, conn: &Connection) -> Connection {
        koppel_core::usecases::connections::load(self.deps.store.as_ref(), &conn.tenant_id, &conn.id)
            .await
            .expect("load")
    }

    /// The connection's secret fields as stored (values exposed for assertions).
    pub async fn secret_fields(&self, conn: &Connection) -> Vec<(String, String)> {
        let Ok(creds) = koppel_core::usecases::connections::credentials_raw(&self.deps, conn).await else {
            return vec![];
        };
        creds.names().filter_map(|n| creds.get(n).map(|v| (n.to_string(), v.expose_secret().to_string()))).collect()
    }
}

/// The tenant OAuth tests use unless they test tenancy.
pub const OAUTH_TENANT: &str = TENANT;
