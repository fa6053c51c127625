//! Shared wiremock fixtures for the AdminPulse connector tests: a mock server with a loud
//! catch-all, a factory with fast recorded retries, a standing clock, and a log capture.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use koppel_connectors::adminpulse::{AdminPulseFactory, AdminPulseOptions, AdminPulseSession};
use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::Clock;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::PageRequest;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{any, header, method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

pub const API_KEY: &str = "ap-key-Secret-0123456789-abcdef";
pub const ACCESS_TOKEN: &str = "oauth-access-Secret-9876543210-zyx";

/// A clock that stands still (the budget must move on without it).
pub struct StillClock;

impl Clock for StillClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }
}

pub struct Fixture {
    pub server: MockServer,
    pub sleeper: RecordingSleeper,
    pub factory: AdminPulseFactory,
}

impl Fixture {
    /// Pages of `page_size`, no call budget (the budget has its own tests).
    pub async fn new(page_size: u32) -> Self {
        Self::with_budget(page_size, None).await
    }

    /// Up to 3 attempts with 100 ms base backoff (recorded, not slept), a 300 ms timeout.
    pub async fn with_budget(page_size: u32, calls_per_minute: Option<u32>) -> Self {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(418).set_body_string("unexpected request: no mock matched"))
            .with_priority(u8::MAX)
            .named("catch-all: every request must match an exact mock")
            .expect(0)
            .mount(&server)
            .await;
        let sleeper = RecordingSleeper::new();
        let options = AdminPulseOptions {
            http: ClientOptions { timeout: Duration::from_millis(300), ..ClientOptions::default() },
            retry: RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::from_millis(100),
                max_backoff: Duration::from_secs(2),
                max_wait: Duration::from_secs(30),
                jitter: Jitter::Fixed(0.0),
            },
            sleeper: Arc::new(sleeper.clone()),
            clock: Arc::new(StillClock),
            page_size,
            calls_per_minute,
        };
        let factory = match AdminPulseFactory::with_options(&server.uri(), options) {
            Ok(f) => f,
            Err(e) => panic!("factory builds: {e}"),
        };
        Self { server, sleeper, factory }
    }

    pub fn session(&self) -> AdminPulseSession {
        self.session_with(&api_key())
    }

    pub fn session_with(&self, credentials: &Credentials) -> AdminPulseSession {
        match self.factory.open_session(credentials) {
            Ok(s) => s,
            Err(e) => panic!("session opens: {e}"),
        }
    }

    /// `GET /relations?page={page}&pageSize={size}` with the API key, answering `answer`, `times` times.
    pub async fn page(&self, page: u64, size: u32, answer: ResponseTemplate, times: u64) {
        relations(page, size, API_KEY).respond_with(answer).expect(times).mount(&self.server).await;
    }
}

pub fn api_key() -> Credentials {
    Credentials::new()
        .with("api_key", SecretString::from(API_KEY.to_string()))
        .with("auth_mode", SecretString::from("api_key".to_string()))
}

/// The exact list call: method, path, both query parameters, the bearer and `Accept`.
pub fn relations(page: u64, size: u32, bearer: &str) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path("/relations"))
        .and(query_param("page", page.to_string().as_str()))
        .and(query_param("pageSize", size.to_string().as_str()))
        .and(header("Authorization", format!("Bearer {bearer}").as_str()))
        .and(header("Accept", "application/json"))
}

pub fn relation(n: u32) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "uniqueIdentifier": format!("{}", 100_000 + n),
        "name": format!("Klant {n} BV"),
        "commercialName": format!("Klant {n}"),
        "vatNumber": format!("BE0{:09}", 200_000_000 + n),
        "email": format!("relatie{n}@example.be"),
    })
}

/// `{results, page, pageSize, pageCount, totalCount}` with relations `from..to`.
pub fn listing(from: u32, to: u32, page: u64, size: u32, page_count: u64, total: u64) -> ResponseTemplate {
    let results: Vec<Value> = (from..to).map(relation).collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "results": results, "page": page, "pageSize": size, "pageCount": page_count, "totalCount": total
    }))
}

pub fn request(token: Option<&str>) -> PageRequest {
    PageRequest {
        stream: StreamKind::Customers,
        start_date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        modified_after: None,
        skip: 0,
        top: 500,
        token: token.map(str::to_string),
    }
}

/// Everything a tracing subscriber writes, for "no secret in the logs".
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
}
