//! Support for OAuth tests: a provider (import and meeting side) whose probe accepts only the
//! bearer tokens an OAuth server issued, a clock whose waits take a little real time (for races
//! between tasks), and shortcuts for OAuth connections (AdminPulse, and the meeting-only Zoho,
//! Silverfin, Brokercloud) and their OAuth app registrations.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use koppel_core::domain::catalog::{ACCESS_TOKEN_FIELD, EXPIRES_AT_FIELD, REFRESH_TOKEN_FIELD};
use koppel_core::domain::connection::Connection;
use koppel_core::oauth::app;
use koppel_core::ports::meeting::{
    MeetingApi, MeetingFactory, PushItem, Pushed, Revision, TargetPage, TargetQuery, TargetRef,
};
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
        SourceSession::probe(self).await?;
        Ok(SourcePage { records: vec![], raw_len: 0, next: PageNext::End })
    }
    fn api_calls(&self) -> u64 {
        0
    }
}

/// A meeting provider for every name whose probe is ok when its `access_token` is accepted and
/// 401 otherwise (the meeting calls themselves answer "not in this fake"). Records the
/// non-token fields each session got (the connection's settings: `api_domain`, `firm_id`, …).
#[derive(Clone)]
pub struct BearerMeetings {
    accepts: Acceptor,
    pub settings_seen: Arc<Mutex<Vec<BTreeMap<String, String>>>>,
}

impl BearerMeetings {
    pub fn new(accepts: Acceptor) -> Self {
        Self { accepts, settings_seen: Arc::default() }
    }
    /// The settings the last session was opened with.
    pub fn last_settings(&self) -> Option<BTreeMap<String, String>> {
        self.settings_seen.lock().unwrap_or_else(PoisonError::into_inner).last().cloned()
    }
}

impl MeetingFactory for BearerMeetings {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        let tokens = [ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD, EXPIRES_AT_FIELD];
        let settings = credentials
            .names()
            .filter(|n| !tokens.contains(n))
            .filter_map(|n| credentials.get(n).map(|v| (n.to_string(), v.expose_secret().to_string())))
            .collect();
        self.settings_seen.lock().unwrap_or_else(PoisonError::into_inner).push(settings);
        let token = credentials.get(ACCESS_TOKEN_FIELD).cloned();
        let session = Session { provider: provider.into(), token, accepts: self.accepts.clone() };
        Ok(Box::new(session))
    }
}

impl Session {
    fn not_here(&self) -> ConnectorError {
        ConnectorError::Rejected {
            provider: self.provider.clone(),
            status: 0,
            message: "meeting calls are not in this fake".into(),
        }
    }
}

#[async_trait]
impl MeetingApi for Session {
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        SourceSession::probe(self).await
    }
    async fn targets(&self, _: &TargetQuery) -> Result<TargetPage, ConnectorError> {
        Err(self.not_here())
    }
    async fn find(&self, _: &TargetRef, _: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
        Err(self.not_here())
    }
    async fn create(&self, _: &TargetRef, _: &PushItem) -> Result<Pushed, ConnectorError> {
        Err(self.not_here())
    }
    async fn revise(&self, _: &TargetRef, _: &Pushed, _: &PushItem) -> Result<Revision, ConnectorError> {
        Err(self.not_here())
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

/// [`app_json`] with more registration fields (`token_url` templates, `callback_params`,
/// `token_fields`, `allowed_hosts`, …) merged in; a `null` removes a field.
pub fn app_json_with(authorize_url: &str, token_url: &str, pkce: bool, extra: serde_json::Value) -> String {
    let mut app: serde_json::Value =
        serde_json::from_str(&app_json(authorize_url, token_url, DEMO_CLIENT, DEMO_SECRET, pkce)).unwrap_or_default();
    if let (Some(app), serde_json::Value::Object(extra)) = (app.as_object_mut(), extra) {
        for (k, v) in extra {
            if v.is_null() {
                app.remove(&k);
            } else {
                app.insert(k, v);
            }
        }
    }
    app.to_string()
}

/// The stand-in's demo client (`koppel_sandbox::oauth::DEMO_CLIENT_ID` / `_SECRET`; sandbox values).
const DEMO_CLIENT: &str = "koppel-demo-client";
const DEMO_SECRET: &str = "koppel-demo-client-secret";

impl Harness {
    /// Register the provider's OAuth app in the secrets port.
    pub async fn register_oauth_app(&self, json: &str) {
        self.register_oauth_app_for(PROVIDER, json).await;
    }

    /// Register `provider`'s OAuth app in the secrets port.
    pub async fn register_oauth_app_for(&self, provider: &str, json: &str) {
        let name = app::secret_name(&self.deps.env, provider);
        self.deps.secrets.put(&name, SecretString::from(json.to_string())).await.expect("register app");
    }

    /// A connection of a system that only receives meetings and signs in with OAuth (`zoho`,
    /// `silverfin`, `brokercloud`): saved, awaiting authorization.
    pub async fn meeting_oauth_connection(&self, tenant: &str, provider: &str) -> Connection {
        let form = CreateConnection { provider: provider.into(), name: "Kantoor".into(), ..Default::default() };
        create_connection::create(&self.deps, tenant, form).await.expect("create meeting oauth connection")
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
