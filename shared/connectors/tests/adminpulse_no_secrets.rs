//! No API key or access token ever reaches a log line, an error message or a `Debug` print —
//! even when AdminPulse echoes it back in an error body.

mod adminpulse_common;

use adminpulse_common::*;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, SourceSession};
use secrecy::SecretString;
use serde_json::json;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn a_session_with_errors_logs_and_shows_no_secret() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let fx = Fixture::new(400).await;
    // The API-key session only knows its key; the session with both scrubs both.
    let echo =
        |status: u16| ResponseTemplate::new(status).set_body_json(json!({"message": format!("bad bearer {API_KEY}")}));
    let echo_both = ResponseTemplate::new(400)
        .set_body_json(json!({"message": format!("bad bearer {ACCESS_TOKEN}, also known: {API_KEY}")}));
    fx.page(0, 400, echo(400), 1).await;
    fx.page(1, 400, echo(409), 1).await;
    fx.page(2, 400, echo(403), 1).await;
    fx.page(3, 400, echo(401), 1).await;
    relations(0, 400, ACCESS_TOKEN).respond_with(echo_both).expect(1).mount(&fx.server).await;

    let session = fx.session();
    let mut errors: Vec<ConnectorError> = Vec::new();
    for token in [None, Some("1"), Some("2"), Some("3")] {
        match session.fetch_page(&request(token)).await {
            Err(e) => errors.push(e),
            Ok(p) => panic!("an error, got {p:?}"),
        }
    }
    let both = Credentials::new()
        .with("api_key", SecretString::from(API_KEY.to_string()))
        .with("access_token", SecretString::from(ACCESS_TOKEN.to_string()));
    let oauth = fx.session_with(&both);
    errors.extend(oauth.fetch_page(&request(None)).await.err());
    assert_eq!(errors.len(), 5);
    for e in &errors {
        tracing::error!(error = %e, debug = ?e, hint = %e.hint(), "what a caller might log");
    }
    tracing::error!(session = ?session, oauth = ?oauth, factory = ?fx.factory, creds = ?both, "and its parts");

    let logs = capture.text();
    assert!(logs.contains("GET /relations") && logs.contains("AdminPulseSession"), "the capture works: {logs}");
    assert!(errors[0].to_string().contains("bad bearer ***"), "{}", errors[0]);
    assert!(errors[4].to_string().contains("bad bearer ***, also known: ***"), "{}", errors[4]);
    let shown: Vec<String> = errors.iter().map(|e| format!("{e} {e:?} {}", e.hint())).collect();
    for secret in [API_KEY, ACCESS_TOKEN] {
        assert!(!logs.contains(secret), "a secret in the logs:\n{logs}");
        for s in &shown {
            assert!(!s.contains(secret), "a secret in an error: {s}");
        }
    }
}
