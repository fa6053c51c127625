//! Status and transport mapping, and that nothing is ever retried: one method, one request.

mod flexmail_common;

use flexmail_common::*;
use koppel_connectors::flexmail::{FlexmailFactory, FlexmailOptions};
use koppel_core::ports::newsletter::{NewsletterApi, NewsletterFactory};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use serde_json::json;
use std::time::Duration;
use wiremock::ResponseTemplate;

/// Mounts `answer` for `GET /contacts` (accepting any number of requests so a retry would be
/// seen, not hidden), runs one `contacts_page`, and checks exactly one request arrived.
async fn one_call_with(answer: ResponseTemplate) -> Result<(), ConnectorError> {
    let fx = Fixture::new().await;
    call("GET", "/contacts").respond_with(answer).mount(&fx.server).await;
    let session = fx.session();
    let result = session.contacts_page(0, 500).await.map(|_| ());
    assert_eq!(fx.requests().await.len(), 1, "no retry");
    assert_eq!(session.api_calls(), 1);
    result
}

fn flexmail() -> String {
    "Flexmail".to_string()
}

#[tokio::test]
async fn unauthorized_carries_the_settings_hint() {
    let err = one_call_with(json_answer(401, json!({"message": "Invalid credentials"}))).await.err();
    let Some(ConnectorError::Unauthorized { provider, hint, .. }) = err else {
        panic!("401 → Unauthorized: {err:?}")
    };
    assert_eq!(provider, "Flexmail");
    assert_eq!(
        hint,
        "Check the account id and the personal access token in Flexmail under Settings > API > Personal access tokens."
    );
}

#[tokio::test]
async fn forbidden_quotes_the_message() {
    let err = one_call_with(json_answer(403, json!({"message": "Access denied"}))).await.err();
    assert_eq!(err, Some(ConnectorError::Forbidden { provider: flexmail(), message: "Access denied".into() }));
}

#[tokio::test]
async fn rate_limited_reads_retry_after_and_does_not_retry() {
    let answer = json_answer(429, json!({"message": "Too many requests"})).insert_header("Retry-After", "17");
    let err = one_call_with(answer).await.err();
    assert_eq!(err, Some(ConnectorError::RateLimited { provider: flexmail(), retry_after_secs: Some(17) }));
}

#[tokio::test]
async fn rate_limited_without_retry_after() {
    let err = one_call_with(ResponseTemplate::new(429)).await.err();
    assert_eq!(err, Some(ConnectorError::RateLimited { provider: flexmail(), retry_after_secs: None }));
}

#[tokio::test]
async fn server_errors_are_not_retried() {
    for status in [500, 502, 503] {
        let err = one_call_with(ResponseTemplate::new(status).set_body_string("oops")).await.err();
        assert_eq!(err, Some(ConnectorError::Server { provider: flexmail(), status }));
    }
}

#[tokio::test]
async fn other_4xx_are_rejected_with_the_providers_message() {
    let body = json!({"message": "Invalid query", "errors": [{"field": "limit", "message": "must be at most 500"}]});
    let err = one_call_with(json_answer(400, body)).await.err();
    let message = "Invalid query (limit: must be at most 500)".to_string();
    assert_eq!(err, Some(ConnectorError::Rejected { provider: flexmail(), status: 400, message }));
    let err = one_call_with(json_answer(422, json!({"message": "x".repeat(1000)}))).await.err();
    let Some(ConnectorError::Rejected { message, .. }) = err else { panic!("422 → Rejected") };
    assert_eq!(message.chars().count(), 301, "300 characters and an ellipsis");
    let err = one_call_with(ResponseTemplate::new(418)).await.err();
    let message = "(no details in the answer)".to_string();
    assert_eq!(err, Some(ConnectorError::Rejected { provider: flexmail(), status: 418, message }));
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let answer = ResponseTemplate::new(302).insert_header("Location", "http://127.0.0.1:1/elsewhere");
    let err = one_call_with(answer).await.err();
    assert!(matches!(err, Some(ConnectorError::Rejected { status: 302, .. })), "{err:?}");
}

#[tokio::test]
async fn unreadable_json_is_a_parse_error() {
    let err = one_call_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>")).await.err();
    assert!(matches!(&err, Some(ConnectorError::Parse { message, .. }) if message.contains("invalid JSON")), "{err:?}");
    let err = one_call_with(json_answer(200, json!([1, 2]))).await.err();
    assert!(
        matches!(&err, Some(ConnectorError::Parse { message, .. }) if message.contains("not a JSON object")),
        "{err:?}"
    );
    let err = one_call_with(json_answer(200, json!({"_embedded": {"item": "x"}}))).await.err();
    assert!(matches!(err, Some(ConnectorError::Parse { .. })), "{err:?}");
    let err = one_call_with(ResponseTemplate::new(200)).await.err();
    assert!(matches!(err, Some(ConnectorError::Parse { .. })), "{err:?}");
}

#[tokio::test]
async fn a_slow_answer_is_a_transport_error_after_one_request() {
    let answer = json_answer(200, hal(0, vec![])).set_delay(Duration::from_secs(2));
    let err = one_call_with(answer).await.err();
    assert!(matches!(&err, Some(ConnectorError::Transport { message, .. }) if message.contains("timeout")), "{err:?}");
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0");
    let Ok(port) = listener.and_then(|l| l.local_addr()).map(|a| a.port()) else { panic!("a free port") };
    let options = FlexmailOptions { timeout: Duration::from_millis(500), ..FlexmailOptions::default() };
    let Ok(factory) = FlexmailFactory::with_options(&format!("http://127.0.0.1:{port}"), options) else {
        panic!("factory builds")
    };
    let Ok(session) = factory.open_session(ACCOUNT, &credentials(TOKEN)) else { panic!("session opens") };
    let err = session.probe().await.err();
    assert!(matches!(err, Some(ConnectorError::Transport { .. })), "{err:?}");
    assert_eq!(session.api_calls(), 1);
}

#[tokio::test]
async fn every_failed_method_counts_one_call() {
    let fx = Fixture::new().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .mount(&fx.server)
        .await;
    let session = fx.session();
    let write = koppel_core::ports::newsletter::ContactWrite {
        email: "a@b.be".into(),
        first_name: None,
        name: None,
        language: "nl".into(),
        custom_fields: Default::default(),
    };
    let results = [
        session.probe().await.err(),
        session.default_source().await.err(),
        session.custom_fields().await.err(),
        session.interests().await.err(),
        session.contacts_page(0, 500).await.err(),
        session.find_by_email("a@b.be").await.err(),
        session.create_contact(&write, "1").await.err(),
        session.update_contact("1", &write).await.err(),
        session.subscribe_interest("1", "i").await.err(),
        session.unsubscribe_interest("1", "i").await.err(),
        session.create_import("u").await.err(),
        session.add_import_records("u", &[]).await.err(),
        session.start_import("u").await.err(),
        session.import_status("u").await.err(),
        session.webhook_events().await.err(),
        session.register_webhook("e", "https://t", "token-x").await.err(),
        session.delete_webhook("w").await.err(),
    ];
    for err in &results {
        assert_eq!(err, &Some(ConnectorError::Server { provider: flexmail(), status: 503 }));
    }
    assert_eq!(session.api_calls(), results.len() as u64);
    assert_eq!(fx.requests().await.len(), results.len());
}

#[tokio::test]
async fn the_factory_checks_provider_account_and_token() {
    let fx = Fixture::new().await;
    let open = |provider: &str, account: &str, creds: Credentials| fx.factory.open(provider, account, creds).err();
    assert!(open("flexmail", ACCOUNT, credentials(TOKEN)).is_none());
    assert!(matches!(open("snelstart", ACCOUNT, credentials(TOKEN)), Some(ConnectorError::Rejected { status: 0, .. })));
    let missing = Some(ConnectorError::MissingCredential("personal_access_token".into()));
    assert_eq!(open("flexmail", ACCOUNT, Credentials::new()), missing);
    assert_eq!(open("flexmail", ACCOUNT, credentials("   ")), missing);
    let bad_account = open("flexmail", "acc-12", credentials(TOKEN));
    assert!(matches!(&bad_account, Some(ConnectorError::Unauthorized { what, .. }) if what == "the account id"));
    assert!(!format!("{bad_account:?}").contains("acc-12"), "the account field is not echoed");
    assert!(matches!(open("flexmail", "", credentials(TOKEN)), Some(ConnectorError::MissingCredential(_))));
    assert!(fx.requests().await.is_empty(), "opening a session sends nothing");
}
