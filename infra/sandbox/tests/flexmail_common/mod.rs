//! Shared by the `flexmail_*` tests: start a stand-in, call it with HTTP Basic, receive
//! webhooks on 127.0.0.1.
#![allow(dead_code)]

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::routing::post;
use koppel_sandbox::flexmail::{DEMO_ACCOUNT_ID, DEMO_TOKEN, FlexmailConfig, FlexmailSandbox, RunningFlexmail};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// A stand-in with `contacts` contacts and no rate limit.
pub async fn flexmail(contacts: usize) -> RunningFlexmail {
    start(FlexmailConfig { contacts, rate_limit_per_minute: None, ..FlexmailConfig::default() }).await
}

pub async fn start(config: FlexmailConfig) -> RunningFlexmail {
    match FlexmailSandbox::new(config).start_local().await {
        Ok(s) => s,
        Err(e) => panic!("flexmail sandbox starts: {e}"),
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub location: Option<String>,
    pub retry_after: Option<String>,
}

pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub user: String,
    pub password: String,
}

impl Api {
    pub fn new(sb: &RunningFlexmail) -> Self {
        Self::with(sb, DEMO_ACCOUNT_ID, DEMO_TOKEN)
    }

    pub fn with(sb: &RunningFlexmail, user: &str, password: &str) -> Self {
        Self { http: reqwest::Client::new(), base: sb.base_url(), user: user.into(), password: password.into() }
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .basic_auth(&self.user, Some(&self.password))
            .header("Accept", "application/json");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = match request.send().await {
            Ok(a) => a,
            Err(e) => panic!("{method} {path}: {e}"),
        };
        let header = |name: &str| answer.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let (status, location, retry_after) = (answer.status(), header("location"), header("retry-after"));
        let text = answer.text().await.unwrap_or_default();
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Answer { status, body, location, retry_after }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        self.call(Method::PATCH, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Answer {
        self.call(Method::DELETE, path, None).await
    }
}

/// `_embedded.item`, or nothing when `_embedded` is absent.
pub fn items(body: &Value) -> Vec<Value> {
    body.get("_embedded").and_then(|e| e["item"].as_array()).cloned().unwrap_or_default()
}

/// What a webhook receiver got: the verification header and the body.
#[derive(Debug, Clone)]
pub struct Received {
    pub token: Option<String>,
    pub content_type: Option<String>,
    pub body: Value,
}

pub struct Receiver {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub fn all(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// A tiny axum receiver on 127.0.0.1 answering `status` to every POST on `/hook`.
pub async fn receiver(status: u16) -> Receiver {
    let received: Arc<Mutex<Vec<Received>>> = Arc::default();
    let state = (received.clone(), AxumStatus::from_u16(status).unwrap_or(AxumStatus::OK));
    let app = axum::Router::new().route("/hook", post(receive)).with_state(state);
    let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => panic!("receiver binds: {e}"),
    };
    let url = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}/hook"),
        Err(e) => panic!("receiver address: {e}"),
    };
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Receiver { url, received, _task: task }
}

type ReceiverState = (Arc<Mutex<Vec<Received>>>, AxumStatus);

async fn receive(State((received, status)): State<ReceiverState>, headers: HeaderMap, body: String) -> AxumStatus {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let entry = Received {
        token: header("x-flexmail-verification-token"),
        content_type: header("content-type"),
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
    };
    if let Ok(mut all) = received.lock() {
        all.push(entry);
    }
    status
}
