//! Shared wiremock fixtures for the SnelStart connector tests.
#![allow(dead_code)]

use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy, client};
use koppel_connectors::snelstart::{SnelStartFactory, SnelStartOptions, SnelStartSession};
use koppel_core::ports::secrets::Credentials;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::{any, body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const SUB_KEY: &str = "sub-key-0123456789abcdef";
pub const CONN_KEY: &str = "KoppelSleutel-ABCdef-987";
pub const TOKEN_1: &str = "token-one-aaaaaaaaaaaaaaaa";
pub const TOKEN_2: &str = "token-two-bbbbbbbbbbbbbbbb";

pub struct Fixture {
    pub server: MockServer,
    pub sleeper: RecordingSleeper,
    pub factory: SnelStartFactory,
}

impl Fixture {
    /// A mock server with a loud catch-all, and a factory pointed at it: fast retries
    /// (recorded, not slept), a 300 ms timeout.
    pub async fn new() -> Self {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(418).set_body_string("unexpected request: no mock matched"))
            .with_priority(u8::MAX)
            .named("catch-all: every request must match an exact mock")
            .expect(0)
            .mount(&server)
            .await;
        let sleeper = RecordingSleeper::new();
        let options = SnelStartOptions {
            retry: RetryPolicy {
                max_attempts: 4,
                base_delay: Duration::from_millis(100),
                max_backoff: Duration::from_secs(2),
                max_wait: Duration::from_secs(30),
                jitter: Jitter::Fixed(0.0),
            },
            sleeper: Arc::new(sleeper.clone()),
            ..SnelStartOptions::default()
        };
        let http = client(&ClientOptions { timeout: Duration::from_millis(300), ..ClientOptions::default() });
        let Ok(http) = http else { panic!("client builds") };
        let factory = SnelStartFactory::new(format!("{}/v2", server.uri()), server.uri(), http, options);
        Self { server, sleeper, factory }
    }

    pub fn session(&self) -> SnelStartSession {
        match self.factory.open_session(&credentials(SUB_KEY, CONN_KEY)) {
            Ok(s) => s,
            Err(e) => panic!("session opens: {e}"),
        }
    }

    /// `POST /b2b/token` with the exact form body, answering `token`, expected `times` times.
    pub async fn token(&self, token: &str, times: u64) {
        token_mock(token).up_to_n_times(times).expect(times).mount(&self.server).await;
    }

    /// `GET /v2{path}` with both headers for `token`, answering `body`, expected `times`.
    pub async fn api(&self, route: &str, token: &str, status: u16, body: Value, times: u64) {
        api_mock(route, token)
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .expect(times)
            .mount(&self.server)
            .await;
    }
}

pub fn credentials(sub: &str, conn: &str) -> Credentials {
    Credentials::new()
        .with("subscription_key", SecretString::from(sub.to_string()))
        .with("connection_key", SecretString::from(conn.to_string()))
}

/// The exact token request: method, path, content type and form body.
pub fn token_request() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/b2b/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(format!("grant_type=clientkey&clientkey={CONN_KEY}")))
}

pub fn token_mock(token: &str) -> Mock {
    token_request().respond_with(
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": token, "token_type": "bearer", "expires_in": 3599})),
    )
}

pub fn api_mock(route: &str, token: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(format!("/v2{route}")))
        .and(header("Ocp-Apim-Subscription-Key", SUB_KEY))
        .and(header("Authorization", format!("Bearer {token}").as_str()))
}

pub fn relatie(n: u32) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "modifiedOn": "2024-01-02T03:04:05.678",
        "relatiecode": 1000 + n,
        "naam": format!("Klant {n}"),
        "relatieSoort": ["Klant"],
        "email": format!("klant{n}@example.nl"),
        "nonactief": false
    })
}

pub fn factuur(n: u32) -> Value {
    json!({
        "id": format!("11111111-0000-4000-8000-{n:012}"),
        "modifiedOn": "2024-02-03T04:05:06Z",
        "factuurnummer": format!("2024{n:04}"),
        "factuurdatum": "2024-02-01T00:00:00",
        "vervaldatum": "2024-03-02T00:00:00",
        "factuurbedrag": 121.0,
        "openstaandSaldo": 21.5,
        "relatie": {"id": "00000000-0000-4000-8000-000000000001"},
        "verkoopBoeking": {"id": format!("22222222-0000-4000-8000-{n:012}")}
    })
}
