//! Retries (429 + Retry-After, 5xx, timeouts) and error answers, against wiremock.

mod common;

use chrono::NaiveDate;
use common::*;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::{ConnectorError, PageRequest, SourceSession};
use serde_json::json;
use std::time::Duration;
use wiremock::ResponseTemplate;

fn customers() -> PageRequest {
    PageRequest {
        stream: StreamKind::Customers,
        start_date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        modified_after: None,
        skip: 0,
        top: 500,
        token: None,
    }
}

async fn fails_then_succeeds(fx: &Fixture, failure: ResponseTemplate, failures: u64) {
    fx.token(TOKEN_1, 1).await;
    api_mock("/relaties", TOKEN_1)
        .respond_with(failure)
        .up_to_n_times(failures)
        .expect(failures)
        .with_priority(1)
        .mount(&fx.server)
        .await;
    fx.api("/relaties", TOKEN_1, 200, json!([relatie(1)]), 1).await;
}

#[tokio::test]
async fn retry_after_is_honoured_on_429() {
    let fx = Fixture::new().await;
    fails_then_succeeds(&fx, ResponseTemplate::new(429).insert_header("Retry-After", "7"), 2).await;
    let session = fx.session();
    assert_eq!(session.fetch_page(&customers()).await.map(|p| p.raw_len), Ok(1));
    assert_eq!(fx.sleeper.waits(), vec![Duration::from_secs(7), Duration::from_secs(7)]);
    assert_eq!(session.api_calls(), 4, "token + 429 + 429 + 200");
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_gives_up_with_rate_limited() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    let slow_down = ResponseTemplate::new(429).insert_header("Retry-After", "3600");
    api_mock("/relaties", TOKEN_1).respond_with(slow_down).expect(1).mount(&fx.server).await;
    let err = fx.session().fetch_page(&customers()).await.err();
    assert_eq!(err, Some(ConnectorError::RateLimited { provider: "SnelStart".into(), retry_after_secs: Some(3600) }));
    assert!(fx.sleeper.waits().is_empty());
}

#[tokio::test]
async fn a_500_then_success_backs_off_and_succeeds() {
    let fx = Fixture::new().await;
    fails_then_succeeds(&fx, ResponseTemplate::new(500).set_body_string("oeps"), 1).await;
    let session = fx.session();
    assert_eq!(session.fetch_page(&customers()).await.map(|p| p.raw_len), Ok(1));
    assert_eq!(fx.sleeper.waits(), vec![Duration::from_millis(50)]);
    assert_eq!(session.api_calls(), 3);
}

#[tokio::test]
async fn persistent_5xx_ends_as_server_error_after_the_attempts() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    api_mock("/relaties", TOKEN_1).respond_with(ResponseTemplate::new(503)).expect(4).mount(&fx.server).await;
    let session = fx.session();
    let err = session.fetch_page(&customers()).await.err();
    assert_eq!(err, Some(ConnectorError::Server { provider: "SnelStart".into(), status: 503 }));
    assert_eq!(fx.sleeper.waits().len(), 3);
    assert_eq!(session.api_calls(), 5);
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let fx = Fixture::new().await;
    let slow = ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_millis(1_500));
    fails_then_succeeds(&fx, slow, 1).await;
    let session = fx.session();
    assert_eq!(session.fetch_page(&customers()).await.map(|p| p.raw_len), Ok(1));
    assert_eq!(fx.sleeper.waits().len(), 1);
    assert_eq!(session.api_calls(), 3);
}

#[tokio::test]
async fn bad_request_bodies_are_readable_and_not_retried() {
    let cases = [
        (json!([{"errorCode": "OData-001", "message": "Onbekend veld 'foo'"}]), "OData-001: Onbekend veld 'foo'"),
        (
            json!({"modelState": {"$top": ["De waarde moet tussen 0 en 500 liggen."]}}),
            "$top: De waarde moet tussen 0 en 500 liggen.",
        ),
        (
            json!({"Message": "The query specified in the URI is not valid."}),
            "The query specified in the URI is not valid.",
        ),
    ];
    for (body, expected) in cases {
        let fx = Fixture::new().await;
        fx.token(TOKEN_1, 1).await;
        fx.api("/relaties", TOKEN_1, 400, body, 1).await;
        let session = fx.session();
        let err = session.fetch_page(&customers()).await.err();
        let Some(ConnectorError::Rejected { status: 400, message, .. }) = &err else { panic!("got {err:?}") };
        assert_eq!(message, expected);
        assert_eq!(session.api_calls(), 2, "a 400 is not retried");
    }
}

#[tokio::test]
async fn forbidden_and_not_found_map_to_their_errors() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    fx.api("/relaties", TOKEN_1, 403, json!({"message": "Geen toegang tot deze administratie"}), 1).await;
    fx.api("/verkoopfacturen", TOKEN_1, 404, json!({"Message": "Niet gevonden"}), 1).await;
    let session = fx.session();
    let err = session.fetch_page(&customers()).await.err();
    assert!(
        matches!(&err, Some(ConnectorError::Forbidden { message, .. }) if message.contains("Geen toegang")),
        "{err:?}"
    );
    let err = session.fetch_page(&PageRequest { stream: StreamKind::Invoices, ..customers() }).await.err();
    assert!(matches!(&err, Some(ConnectorError::Rejected { status: 404, .. })), "{err:?}");
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    let fx = Fixture::new().await;
    let http = koppel_connectors::http::client(&koppel_connectors::ClientOptions::default());
    let Ok(http) = http else { panic!("client builds") };
    let options = koppel_connectors::SnelStartOptions {
        sleeper: std::sync::Arc::new(fx.sleeper.clone()),
        retry: koppel_connectors::RetryPolicy { max_attempts: 2, ..koppel_connectors::RetryPolicy::default() },
        ..Default::default()
    };
    // Port 9 on loopback: nothing listens there.
    let factory =
        koppel_connectors::SnelStartFactory::new("http://127.0.0.1:9/v2", "http://127.0.0.1:9", http, options);
    let Ok(session) = factory.open_session(&credentials(SUB_KEY, CONN_KEY)) else { panic!("opens") };
    let err = session.probe().await.err();
    assert!(matches!(err, Some(ConnectorError::Transport { .. })), "{err:?}");
    assert_eq!(session.api_calls(), 2);
}
