//! POST /connections/{id}/test on the embedded adapters, with a provider whose probe passes or
//! fails on demand.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use koppel_core::Deps;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{PageRequest, ProbeInfo, SourcePage};
use koppel_core::ports::{ConnectorError, SourceFactory, SourceSession, SystemClock, UlidGen};
use koppel_core::usecases::{connections, create_connection};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};
use koppel_runtime::http::{AppState, AuthConfig, dev_token};
use secrecy::SecretString;
use serde_json::{Value, json};
use tower::ServiceExt;

const DEV_SECRET: &str = "dev-secret-for-tests";

/// Passes unless told to fail; needs the connection key, so a lost secret shows.
#[derive(Default)]
struct FakeSources {
    fail: AtomicBool,
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
                hint: "Copy the koppelsleutel again from SnelStart Web.".into(),
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

struct Harness {
    state: AppState,
    sources: Arc<FakeSources>,
    _dir: tempfile::TempDir,
}

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn harness() -> TestResult<Harness> {
    let dir = tempfile::tempdir()?;
    let sources = Arc::new(FakeSources::default());
    let deps = Deps {
        store: Arc::new(SqliteStore::in_memory()?),
        secrets: Arc::new(LocalSecrets::open(dir.path().join("secrets"))?),
        scheduler: Arc::new(LocalScheduler::in_memory()?),
        bus: Arc::new(InProcessBus::new()),
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
    Ok(Harness { state: AppState::new(deps, auth), sources, _dir: dir })
}

impl Harness {
    async fn connection(&self, tenant: &str) -> TestResult<String> {
        let form: create_connection::CreateConnection = serde_json::from_value(json!({
            "provider": "snelstart", "name": "Boekhouding", "subscription_key": "sub-KEY-1",
            "connection_key": "conn-KEY-1", "matching_key": "customer_number", "start_date": "01-01-2020"
        }))?;
        Ok(create_connection::create(&self.state.deps, tenant, form).await?.id)
    }

    async fn post_test(&self, tenant: Option<&str>, id: &str) -> TestResult<(StatusCode, Value)> {
        let mut req = Request::post(format!("/connections/{id}/test"));
        if let Some(t) = tenant {
            let token = dev_token(&SecretString::from(DEV_SECRET), t, 60);
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let res = test_connection::router(self.state.clone()).oneshot(req.body(Body::empty())?).await?;
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await?;
        Ok((status, serde_json::from_slice(&bytes)?))
    }
}

#[tokio::test]
async fn a_passing_test_is_returned_and_stored() -> TestResult {
    let h = harness()?;
    let id = h.connection("t1").await?;
    let (status, body) = h.post_test(Some("t1"), &id).await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ok"], true);
    assert_eq!(body["account"], "Bakkerij Demo");
    let stored = connections::load(h.state.deps.store.as_ref(), "t1", &id).await?;
    assert!(stored.test_passed());
    Ok(())
}

#[tokio::test]
async fn a_failing_test_is_a_200_with_ok_false_and_a_hint() -> TestResult {
    let h = harness()?;
    let id = h.connection("t1").await?;
    h.sources.fail.store(true, Ordering::SeqCst);
    let (status, body) = h.post_test(Some("t1"), &id).await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ok"], false);
    assert_eq!(body["message"], "the connection key was refused by snelstart.");
    assert_eq!(body["hint"], "Copy the koppelsleutel again from SnelStart Web.");
    let stored = connections::load(h.state.deps.store.as_ref(), "t1", &id).await?;
    assert_eq!(stored.last_test.map(|t| t.ok), Some(false));
    Ok(())
}

#[tokio::test]
async fn another_tenants_or_an_unknown_connection_is_404() -> TestResult {
    let h = harness()?;
    let id = h.connection("t1").await?;
    for (tenant, id) in [("t2", id.as_str()), ("t1", "01NOSUCHCONNECTION")] {
        let (status, body) = h.post_test(Some(tenant), id).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"], "not_found");
    }
    let stored = connections::load(h.state.deps.store.as_ref(), "t1", &id).await?;
    assert!(stored.last_test.is_none(), "another tenant's call ran the test");
    Ok(())
}

#[tokio::test]
async fn no_token_is_401_and_unknown_routes_are_json() -> TestResult {
    let h = harness()?;
    let id = h.connection("t1").await?;
    let (status, body) = h.post_test(None, &id).await?;
    assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthorized")));

    let res = test_connection::router(h.state.clone())
        .oneshot(Request::get(format!("/connections/{id}/test")).body(Body::empty())?)
        .await?;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = serde_json::from_slice(&axum::body::to_bytes(res.into_body(), 1 << 20).await?)?;
    assert_eq!(body["error"], "method_not_allowed");
    Ok(())
}
