//! The token never reaches a log line, an error message or a `Debug` print — even when Flexmail
//! echoes it back in an error body.

mod flexmail_common;

use flexmail_common::*;
use koppel_core::ports::newsletter::{ContactWrite, NewsletterApi, NewsletterFactory};
use koppel_core::ports::source::ConnectorError;
use serde_json::json;
use std::time::Duration;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn a_session_full_of_errors_leaks_no_token() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.subscriber());

    let fx = Fixture::new().await;
    let echo = format!("token {TOKEN} is not valid for account {ACCOUNT}");
    fx.once(call("GET", "/sources"), json_answer(200, hal(1, vec![json!({"id": 1})]))).await;
    fx.once(
        call("GET", "/contacts"),
        json_answer(400, json!({"message": echo, "errors": [{"field": "x", "message": TOKEN}]})),
    )
    .await;
    fx.once(call("GET", "/custom-fields"), ResponseTemplate::new(403).set_body_string(echo.clone())).await;
    fx.once(call("GET", "/interests"), ResponseTemplate::new(429).insert_header("Retry-After", "5")).await;
    fx.once(call("POST", "/contacts"), json_answer(422, json!({"message": TOKEN}))).await;
    fx.once(call("GET", "/webhook-events"), json_answer(200, hal(1, vec![])).set_delay(Duration::from_secs(2))).await;
    fx.once(call("GET", "/contacts/imports/u"), ResponseTemplate::new(401).set_body_string(echo.clone())).await;

    let session = fx.session();
    let write = ContactWrite {
        email: "an@example.be".into(),
        first_name: None,
        name: None,
        language: "nl".into(),
        custom_fields: Default::default(),
    };
    let mut errors: Vec<ConnectorError> = Vec::new();
    assert!(session.probe().await.is_ok());
    errors.extend(session.contacts_page(0, 10).await.err());
    errors.extend(session.custom_fields().await.err());
    errors.extend(session.interests().await.err());
    errors.extend(session.create_contact(&write, "1").await.err());
    errors.extend(session.webhook_events().await.err());
    errors.extend(session.import_status("u").await.err());
    assert_eq!(errors.len(), 6, "{errors:?}");
    errors.extend(fx.factory.open("flexmail", "not-digits", credentials(TOKEN)).err());
    errors.extend(fx.factory.open("other", ACCOUNT, credentials(TOKEN)).err());
    for err in &errors {
        tracing::error!(error = %err, debug = ?err, hint = %err.hint(), "what a caller might log");
    }
    tracing::info!(session = ?session, factory = ?fx.factory, creds = ?credentials(TOKEN), "debug prints");

    let logs = capture.text();
    assert!(logs.contains("GET /contacts"), "the capture works: {logs}");
    assert!(logs.contains("token *** is not valid"), "the echo is scrubbed, not dropped: {logs}");
    assert!(!logs.contains(TOKEN), "the token leaked into the logs");
    for err in &errors {
        let printed = format!("{err} {err:?} {}", err.hint());
        assert!(!printed.contains(TOKEN), "the token leaked into {printed}");
    }
    assert!(!format!("{session:?} {:?}", fx.factory).contains(TOKEN));
}
