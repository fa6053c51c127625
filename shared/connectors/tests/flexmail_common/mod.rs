//! Shared wiremock fixtures for the Flexmail connector tests.
//!
//! The SnelStart `common` module holds SnelStart fixtures only (its log capture lives in
//! `snelstart_no_secrets.rs`), so the small log capture is kept here for the Flexmail tests.
#![allow(dead_code)]

use koppel_connectors::flexmail::{FlexmailFactory, FlexmailOptions, FlexmailSession, TOKEN_FIELD};
use koppel_core::ports::secrets::Credentials;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{any, basic_auth, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

pub const ACCOUNT: &str = "314159";
pub const TOKEN: &str = "pat-Secret-0123456789-abcdefXYZ";

pub struct Fixture {
    pub server: MockServer,
    pub factory: FlexmailFactory,
}

impl Fixture {
    /// A mock server with a loud catch-all (every request must match an exact mock), and a
    /// factory pointed at it with a 300 ms timeout.
    pub async fn new() -> Self {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(418).set_body_string("unexpected request: no mock matched"))
            .with_priority(u8::MAX)
            .named("catch-all: every request must match an exact mock")
            .expect(0)
            .mount(&server)
            .await;
        let options = FlexmailOptions { timeout: Duration::from_millis(300), ..FlexmailOptions::default() };
        let factory = match FlexmailFactory::with_options(&server.uri(), options) {
            Ok(f) => f,
            Err(e) => panic!("factory builds: {e}"),
        };
        Self { server, factory }
    }

    pub fn session(&self) -> FlexmailSession {
        match self.factory.open_session(ACCOUNT, &credentials(TOKEN)) {
            Ok(s) => s,
            Err(e) => panic!("session opens: {e}"),
        }
    }

    /// Mounts `call` answering `answer`, expected exactly once.
    pub async fn once(&self, call: MockBuilder, answer: ResponseTemplate) {
        call.respond_with(answer).expect(1).mount(&self.server).await;
    }

    /// Every request the server received (the catch-all's included).
    pub async fn requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The one request the server received; fails the test when there were more or none.
    pub async fn only_request(&self) -> Request {
        let mut requests = self.requests().await;
        assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
        requests.remove(0)
    }
}

pub fn credentials(token: &str) -> Credentials {
    Credentials::new().with(TOKEN_FIELD, SecretString::from(token.to_string()))
}

/// Method, path, Basic auth (account id : token) and `Accept: application/json`.
pub fn call(verb: &str, route: &str) -> MockBuilder {
    Mock::given(method(verb)).and(path(route)).and(basic_auth(ACCOUNT, TOKEN)).and(header("accept", "application/json"))
}

pub fn json_answer(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// A HAL list answer.
pub fn hal(total: u64, items: Vec<Value>) -> Value {
    if items.is_empty() {
        return json!({"total": total, "limit": 500, "offset": 0, "_links": {"self": {"href": "/x"}}});
    }
    json!({"total": total, "limit": 500, "offset": 0, "_embedded": {"item": items}, "_links": {}})
}

pub fn contact_row(n: u64) -> Value {
    json!({
        "id": n,
        "email": format!("contact{n}@example.be"),
        "first_name": format!("First{n}"),
        "name": format!("Last{n}"),
        "language": "nl",
        "custom_fields": {"city": "Gent", "number": n, "empty": null},
        "_links": {"self": {"href": format!("/contacts/{n}")}}
    })
}

/// The query string of a received request, `""` when it has none.
pub fn query(request: &Request) -> String {
    request.url.query().unwrap_or_default().to_string()
}

/// Collects everything a `tracing` subscriber writes.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    pub fn text(&self) -> String {
        self.0.lock().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
    }

    /// A subscriber at TRACE level writing into this capture.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + use<> {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish()
    }
}
