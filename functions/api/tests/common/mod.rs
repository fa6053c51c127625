//! Test harness: the api and test-connection routes on the embedded adapters, a provider whose
//! probe passes or fails on demand, dev tokens, and captured logs.

#![allow(dead_code)] // each test file uses a different part

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use koppel_core::Deps;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{PageRequest, ProbeInfo, SourcePage};
use koppel_core::ports::{ConnectorError, SourceFactory, SourceSession, SystemClock, UlidGen};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};
use koppel_runtime::http::{AppState, AuthConfig, dev_token};
use secrecy::SecretString;
use serde_json::{Value, json};
use tower::ServiceExt;

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

pub const DEV_SECRET: &str = "dev-secret-for-api-tests";
pub const SUBSCRIPTION_KEY: &str = "subKEYa1b2c3d4e5f6";
pub const CONNECTION_KEY: &str = "connKEYz9y8x7w6v5u4";

/// A provider whose probe passes unless told to fail.
#[derive(Default)]
pub struct FakeSources {
    pub fail: AtomicBool,
}

struct FakeSession {
    result: Result<ProbeInfo, ConnectorError>,
}

impl SourceFactory for FakeSources {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn SourceSession>, ConnectorError> {
        if credentials.get("connection_key").is_none() {
            return Err(ConnectorError::MissingCredential("connection key".into()));
        }
        let result = if self.fail.load(Ordering::SeqCst) {
            Err(ConnectorError::Unauthorized {
                provider: provider.into(),
                what: "the connection key".into(),
                hint: "Copy the koppelsleutel again.".into(),
            })
        } else {
            Ok(ProbeInfo { account: Some("Bakkerij Demo".into()) })
        };
        Ok(Box::new(FakeSession { result }))
    }
}

#[async_trait]
impl SourceSession for FakeSession {
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        self.result.clone()
    }
    async fn fetch_page(&self, _request: &PageRequest) -> Result<SourcePage, ConnectorError> {
        Ok(SourcePage::by_length(Vec::new(), 0))
    }
    fn api_calls(&self) -> u64 {
        1
    }
}

/// One answer: status, headers and the body as JSON (`Value::Null` when empty).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

pub struct Harness {
    pub state: AppState,
    pub app: Router,
    pub sources: Arc<FakeSources>,
    pub secrets: Arc<LocalSecrets>,
    pub scheduler: Arc<LocalScheduler>,
    pub bus: Arc<InProcessBus>,
    _dir: tempfile::TempDir,
}

pub fn harness() -> TestResult<Harness> {
    let dir = tempfile::tempdir()?;
    let sources = Arc::new(FakeSources::default());
    let secrets = Arc::new(LocalSecrets::open(dir.path().join("secrets"))?);
    let scheduler = Arc::new(LocalScheduler::in_memory()?);
    let bus = Arc::new(InProcessBus::new());
    let deps = Deps {
        store: Arc::new(SqliteStore::in_memory()?),
        secrets: secrets.clone(),
        scheduler: scheduler.clone(),
        bus: bus.clone(),
        sources: sources.clone(),
        // Nothing listens on port 9: these tests do not reach Flexmail.
        newsletter: koppel_runtime::env::newsletter("http://127.0.0.1:9")?,
        meetings: std::sync::Arc::new(koppel_core::ports::meeting::NoMeetings),
        oauth: std::sync::Arc::new(koppel_core::ports::oauth::NoOAuthClient),
        clock: Arc::new(SystemClock),
        ids: Arc::new(UlidGen),
        env: "test".into(),
        public_url: "http://127.0.0.1:9".into(),
    };
    let auth = AuthConfig { tenant_claim: "tenant_id".into(), dev_secret: Some(SecretString::from(DEV_SECRET)) };
    let state = AppState::new(deps, auth);
    // As the local runner serves them: both functions' routers merged.
    let app = api::router(state.clone()).merge(test_connection::router(state.clone()));
    Ok(Harness { state, app, sources, secrets, scheduler, bus, _dir: dir })
}

pub fn token(tenant: &str) -> String {
    dev_token(&SecretString::from(DEV_SECRET), tenant, 300)
}

/// The setup form with valid values.
pub fn valid_form() -> Value {
    json!({
        "provider": "snelstart",
        "name": "Boekhouding",
        "subscription_key": SUBSCRIPTION_KEY,
        "connection_key": CONNECTION_KEY,
        "matching_key": "customer_number",
        "start_date": "28-05-2019",
        "interval_minutes": 60
    })
}

impl Harness {
    /// `method path` as `tenant` (no token when `None`), with a JSON body when given.
    pub async fn call(
        &self,
        tenant: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> TestResult<Answer> {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = tenant {
            req = req.header(header::AUTHORIZATION, format!("Bearer {}", token(t)));
        }
        let req = match body {
            Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string()))?,
            None => req.body(Body::empty())?,
        };
        self.send(req).await
    }

    pub async fn send(&self, req: Request<Body>) -> TestResult<Answer> {
        let res = self.app.clone().oneshot(req).await?;
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 4 << 20).await?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes)? };
        Ok(Answer { status, headers, text, json })
    }

    pub async fn get(&self, tenant: &str, path: &str) -> TestResult<Answer> {
        self.call(Some(tenant), Method::GET, path, None).await
    }

    pub async fn post(&self, tenant: &str, path: &str, body: Value) -> TestResult<Answer> {
        self.call(Some(tenant), Method::POST, path, Some(body)).await
    }

    /// A connection of `tenant` made through the API; its id.
    pub async fn create_connection(&self, tenant: &str) -> TestResult<String> {
        let a = self.post(tenant, "/connections", valid_form()).await?;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
        Ok(a.json["id"].as_str().ok_or("no id")?.to_string())
    }

    /// A connection that passed its test.
    pub async fn tested_connection(&self, tenant: &str) -> TestResult<String> {
        let id = self.create_connection(tenant).await?;
        let a = self.call(Some(tenant), Method::POST, &format!("/connections/{id}/test"), None).await?;
        assert_eq!((a.status, &a.json["ok"]), (StatusCode::OK, &json!(true)), "{}", a.text);
        Ok(id)
    }
}

/// Everything logged (all levels) while the guard lives, on this thread.
pub struct Logs {
    buf: Arc<Mutex<Vec<u8>>>,
    _guard: tracing::dispatcher::DefaultGuard,
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn capture_logs() -> Logs {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let sink = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || Sink(sink.clone()))
        .finish();
    let guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(subscriber));
    tracing::callsite::rebuild_interest_cache();
    Logs { buf, _guard: guard }
}

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buf.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}
