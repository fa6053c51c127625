//! The AdminPulse connector's error handling against wiremock: 401 with the scope hint, "not
//! ready yet" handed to the engine at once, 429 with `Retry-After`, 5xx and timeouts retried,
//! other 4xx refused, and the call budget waiting through the sleeper.

mod adminpulse_common;

use adminpulse_common::*;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, SourceSession};
use secrecy::SecretString;
use serde_json::json;
use std::time::Duration;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn a_refused_key_says_which_scope_it_needs() {
    let fx = Fixture::new(400).await;
    fx.page(0, 400, ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthorized"})), 1).await;
    let e = fx.session().fetch_page(&request(None)).await.err();
    let Some(ConnectorError::Unauthorized { what, hint, .. }) = e else { panic!("unauthorized, got {e:?}") };
    assert_eq!(what, "the API key");
    assert!(hint.contains("Read relations") && hint.contains("API keys"), "{hint}");
}

#[tokio::test]
async fn a_refused_sign_in_asks_to_sign_in_again() {
    let fx = Fixture::new(400).await;
    relations(0, 400, ACCESS_TOKEN).respond_with(ResponseTemplate::new(401)).expect(1).mount(&fx.server).await;
    let creds = Credentials::new().with("access_token", SecretString::from(ACCESS_TOKEN.to_string()));
    let e = fx.session_with(&creds).fetch_page(&request(None)).await.err();
    let Some(ConnectorError::Unauthorized { hint, .. }) = e else { panic!("unauthorized, got {e:?}") };
    assert!(hint.contains("Sign in with AdminPulse again"), "{hint}");
}

#[tokio::test]
async fn not_ready_goes_to_the_engine_at_once_and_the_probe_passes() {
    let fx = Fixture::new(400).await;
    let not_ready = || {
        ResponseTemplate::new(409)
            .insert_header("Retry-After", "120")
            .set_body_json(json!({"message": "Office is being prepared"}))
    };
    fx.page(0, 400, not_ready(), 1).await;
    let session = fx.session();
    let e = session.fetch_page(&request(None)).await.err();
    assert_eq!(
        e,
        Some(ConnectorError::NotReady {
            provider: "AdminPulse".into(),
            message: "Office is being prepared".into(),
            retry_after_secs: None
        })
    );
    assert_eq!(session.api_calls(), 1, "not retried inside the connector");
    assert!(fx.sleeper.waits().is_empty());
    wiremock::Mock::given(wiremock::matchers::path("/relations"))
        .and(wiremock::matchers::query_param_is_missing("page"))
        .respond_with(not_ready())
        .expect(1)
        .mount(&fx.server)
        .await;
    assert_eq!(session.probe().await.map(|p| p.account), Ok(None), "the key was accepted; the sync waits");
}

#[tokio::test]
async fn a_429_waits_as_long_as_retry_after_says() {
    let fx = Fixture::new(400).await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "7");
    super_mount(&fx, limited, 1).await;
    fx.page(0, 400, listing(1, 2, 0, 400, 1, 1), 1).await;
    let session = fx.session();
    assert!(session.fetch_page(&request(None)).await.is_ok());
    assert_eq!(fx.sleeper.waits(), vec![Duration::from_secs(7)]);
    assert_eq!(session.api_calls(), 2);
}

#[tokio::test]
async fn a_429_that_does_not_stop_is_rate_limited() {
    let fx = Fixture::new(400).await;
    fx.page(0, 400, ResponseTemplate::new(429).insert_header("Retry-After", "2"), 3).await;
    let e = fx.session().fetch_page(&request(None)).await.err();
    assert_eq!(e, Some(ConnectorError::RateLimited { provider: "AdminPulse".into(), retry_after_secs: Some(2) }));
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff() {
    let fx = Fixture::new(400).await;
    super_mount(&fx, ResponseTemplate::new(503), 2).await;
    fx.page(0, 400, listing(1, 2, 0, 400, 1, 1), 1).await;
    let session = fx.session();
    assert!(session.fetch_page(&request(None)).await.is_ok());
    assert_eq!(fx.sleeper.waits(), vec![Duration::from_millis(50), Duration::from_millis(100)]);
    assert_eq!(session.api_calls(), 3);
}

#[tokio::test]
async fn server_errors_that_last_fail_the_call() {
    let fx = Fixture::new(400).await;
    fx.page(0, 400, ResponseTemplate::new(500), 3).await;
    let e = fx.session().fetch_page(&request(None)).await.err();
    assert_eq!(e, Some(ConnectorError::Server { provider: "AdminPulse".into(), status: 500 }));
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_that_is_retried() {
    let fx = Fixture::new(400).await;
    let slow = listing(1, 2, 0, 400, 1, 1).set_delay(Duration::from_millis(900));
    super_mount(&fx, slow, 1).await;
    fx.page(0, 400, listing(1, 2, 0, 400, 1, 1), 1).await;
    let session = fx.session();
    assert!(session.fetch_page(&request(None)).await.is_ok());
    assert_eq!(session.api_calls(), 2);
    let fx = Fixture::new(400).await;
    fx.page(0, 400, listing(1, 2, 0, 400, 1, 1).set_delay(Duration::from_millis(900)), 3).await;
    let e = fx.session().fetch_page(&request(None)).await.err();
    assert!(matches!(&e, Some(ConnectorError::Transport { message, .. }) if message.contains("timeout")), "{e:?}");
}

#[tokio::test]
async fn other_refusals_quote_the_provider() {
    let fx = Fixture::new(400).await;
    fx.page(0, 400, ResponseTemplate::new(400).set_body_json(json!({"message": "pageSize too large"})), 1).await;
    fx.page(1, 400, ResponseTemplate::new(403).set_body_json(json!({"message": "no access"})), 1).await;
    let session = fx.session();
    let e = session.fetch_page(&request(None)).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { status: 400, message, .. }) if message == "pageSize too large")
    );
    let e = session.fetch_page(&request(Some("1"))).await.err();
    assert!(matches!(&e, Some(ConnectorError::Forbidden { message, .. }) if message == "no access"));
}

#[tokio::test]
async fn the_call_budget_waits_before_it_would_overrun() {
    // 3 calls a minute, a clock that stands still: the 4th and 7th calls wait (61 s: a minute
    // plus Koppel's one-second margin); retries count as calls.
    let fx = Fixture::with_budget(1, Some(3)).await;
    for page in 0..7u64 {
        let n = page as u32 + 1;
        fx.page(page, 1, listing(n, n + 1, page, 1, 7, 7), 1).await;
    }
    let session = fx.session();
    let mut token = None;
    for _ in 0..7 {
        let page = session.fetch_page(&request(token.as_deref())).await;
        token = match page.map(|p| p.next) {
            Ok(koppel_core::ports::source::PageNext::Token(t)) => Some(t),
            Ok(_) => None,
            Err(e) => panic!("page: {e}"),
        };
    }
    assert_eq!(token, None, "seven pages read");
    assert_eq!(fx.sleeper.waits(), vec![Duration::from_secs(61), Duration::from_secs(61)]);
    assert_eq!(session.api_calls(), 7);
}

/// A response for the first `times` calls of page 0 (size 400), ahead of the normal mock.
async fn super_mount(fx: &Fixture, answer: ResponseTemplate, times: u64) {
    relations(0, 400, API_KEY)
        .respond_with(answer)
        .up_to_n_times(times)
        .expect(times)
        .with_priority(1)
        .mount(&fx.server)
        .await;
}
