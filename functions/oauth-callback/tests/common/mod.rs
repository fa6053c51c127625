//! An OAuth stand-in on 127.0.0.1, a harness whose provider accepts only that server's access
//! tokens, the app registered for it, and this function's router (plus the API's, to read
//! connections as users do).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use koppel_core::domain::connection::Connection;
use koppel_runtime::http::{AppState, AuthConfig, dev_token};
use koppel_sandbox::bearer::BearerAuthority;
use koppel_sandbox::oauth::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, OAuthServer, OAuthServerConfig, RunningOAuthServer};
use koppel_tests::harness::{Harness, TENANT};
use koppel_tests::oauth::{BearerMeetings, BearerSources, app_json};
use secrecy::SecretString;
use serde_json::Value;
use tower::ServiceExt;

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

pub const DEV_SECRET: &str = "oauth-tests-dev-secret";
pub const RETURN_URL: &str = "http://127.0.0.1:9000/oauth/done";

pub struct Kit {
    pub h: Harness,
    pub running: RunningOAuthServer,
    pub server: OAuthServer,
    pub sources: BearerSources,
    /// The meeting side (Zoho, Silverfin, Brokercloud), on the same tokens.
    pub meetings: BearerMeetings,
    /// While set, the provider's API refuses every token (its OAuth server still issues them).
    pub api_refuses: Arc<AtomicBool>,
    pub app: Router,
    pub http: reqwest::Client,
}

/// One HTTP answer of the router under test.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub text: String,
    pub json: Value,
}

impl Answer {
    /// The return page's query parameters (the outcome of a callback).
    pub fn outcome(&self) -> BTreeMap<String, String> {
        let location = self.location.clone().unwrap_or_default();
        let url = url::Url::parse(&location).expect("absolute location");
        url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
    }
}

pub async fn kit() -> Kit {
    kit_with(OAuthServerConfig::default(), |h| h).await
}

/// A kit whose harness may be changed before the router is built (e.g. another clock).
pub async fn kit_with(config: OAuthServerConfig, adjust: impl FnOnce(Harness) -> Harness) -> Kit {
    let running = OAuthServer::new(config).start_local().await.expect("oauth server");
    let server = running.server();
    let acceptor = server.clone();
    let api_refuses = Arc::new(AtomicBool::new(false));
    let refuses = api_refuses.clone();
    let accepts: koppel_tests::oauth::Acceptor =
        Arc::new(move |t: &str| !refuses.load(Ordering::SeqCst) && acceptor.accepts(t));
    let sources = BearerSources::new(accepts.clone());
    let meetings = BearerMeetings::new(accepts);
    let mut h = Harness::new(Arc::new(sources.clone()));
    h.deps.meetings = Arc::new(meetings.clone());
    let h = adjust(h);
    let json = app_json(&running.authorize_url(), &running.token_url(), DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, true);
    h.register_oauth_app(&json).await;
    let auth = AuthConfig { tenant_claim: "tenant_id".into(), dev_secret: Some(SecretString::from(DEV_SECRET)) };
    let state = AppState::new(h.deps.clone(), auth);
    let page = oauth_callback::ReturnPage::new(RETURN_URL).expect("return page");
    let app = oauth_callback::router(state.clone(), page).merge(api::router(state));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    Kit { h, running, server, sources, meetings, api_refuses, app, http }
}

impl Kit {
    pub async fn call(&self, tenant: Option<&str>, method: Method, uri: &str) -> TestResult<Answer> {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = tenant {
            let token = dev_token(&SecretString::from(DEV_SECRET), t, 600);
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let res = self.app.clone().oneshot(req.body(Body::empty())?).await?;
        let status = res.status();
        let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer { status, location, text, json })
    }

    /// POST /connections/{id}/oauth/start as `tenant`.
    pub async fn start(&self, tenant: &str, id: &str) -> TestResult<Answer> {
        self.call(Some(tenant), Method::POST, &format!("/connections/{id}/oauth/start")).await
    }

    /// Start and return the authorize URL.
    pub async fn authorize_url(&self, conn: &Connection) -> TestResult<String> {
        let started = self.start(&conn.tenant_id, &conn.id).await?;
        assert_eq!(started.status, StatusCode::OK, "{}", started.text);
        Ok(started.json["authorize_url"].as_str().ok_or("no authorize_url")?.to_string())
    }

    /// The browser at the provider: follow the authorize URL to the redirect back to Koppel
    /// and return the callback's query string.
    pub async fn consent(&self, authorize_url: &str) -> TestResult<String> {
        let res = self.http.get(authorize_url).send().await?;
        assert_eq!(res.status(), reqwest::StatusCode::FOUND, "authorize answered {}", res.status());
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).ok_or("no location")?;
        let (base, query) = location.split_once('?').ok_or("no query")?;
        assert_eq!(base, koppel_tests::oauth::REDIRECT_URL);
        Ok(query.to_string())
    }

    /// GET /oauth/callback?{query} (no identity: it comes from the provider).
    pub async fn callback(&self, query: &str) -> TestResult<Answer> {
        self.call(None, Method::GET, &format!("/oauth/callback?{query}")).await
    }

    /// The whole sign-in; returns the callback answer.
    pub async fn connect(&self, conn: &Connection) -> TestResult<Answer> {
        let url = self.authorize_url(conn).await?;
        let query = self.consent(&url).await?;
        self.callback(&query).await
    }

    /// An AdminPulse OAuth connection of [`TENANT`], connected (authorized, active).
    pub async fn connected(&self) -> TestResult<Connection> {
        let conn = self.h.oauth_connection(TENANT).await;
        let answer = self.connect(&conn).await?;
        assert_eq!(answer.outcome().get("outcome").map(String::as_str), Some("connected"), "{:?}", answer.location);
        Ok(self.h.reload(&conn).await)
    }

    /// GET /connections/{id} through the API, as the user sees it.
    pub async fn read(&self, conn: &Connection) -> TestResult<Answer> {
        self.call(Some(&conn.tenant_id), Method::GET, &format!("/connections/{}", conn.id)).await
    }
}

/// Replace one query parameter's value.
pub fn with_param(query: &str, name: &str, value: &str) -> String {
    query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k == name => format!("{k}={value}"),
            _ => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Drop one query parameter.
pub fn without_param(query: &str, name: &str) -> String {
    query.split('&').filter(|p| p.split_once('=').map(|(k, _)| k) != Some(name)).collect::<Vec<_>>().join("&")
}

pub fn param(query: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Everything logged while the returned guard lives (this thread's subscriber).
pub struct Logs {
    buf: Arc<Mutex<Vec<u8>>>,
    _guard: tracing::dispatcher::DefaultGuard,
}

#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(data);
        Ok(data.len())
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

pub mod meetings;
