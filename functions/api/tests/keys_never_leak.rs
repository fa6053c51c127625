//! Setup keys go to the secrets port and nowhere else: not into an answer, the stored
//! connection or a log line.
//!
//! Alone in its test binary: tracing caches per-callsite interest process-wide, so a test on
//! another thread without a subscriber could make this one capture nothing.

mod common;

use axum::http::{Method, StatusCode, header};
use common::*;
use koppel_core::keys;
use koppel_core::ports::SecretStore;
use koppel_core::ports::secrets::SecretName;
use secrecy::ExposeSecret;
use serde_json::json;

#[tokio::test]
async fn setup_answers_201_and_keys_appear_in_no_answer_and_no_log() -> TestResult {
    let h = harness()?;
    let logs = capture_logs();
    let created = h.post("t1", "/connections", valid_form()).await?;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json["id"].as_str().ok_or("no id")?.to_string();
    assert_eq!(
        created.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()),
        Some(&*format!("/connections/{id}"))
    );
    assert_eq!(created.json["status"], "draft");
    assert_eq!(created.json["credential_fields"], json!(["connection_key", "subscription_key"]));
    let read = h.get("t1", &format!("/connections/{id}")).await?;
    let listed = h.get("t1", "/connections").await?;
    assert_eq!(listed.json["items"][0]["id"], id.as_str());
    let patched =
        h.call(Some("t1"), Method::PATCH, &format!("/connections/{id}"), Some(json!({"name": "Renamed"}))).await?;
    assert_eq!((patched.status, &patched.json["name"]), (StatusCode::OK, &json!("Renamed")));

    // The keys are in the secrets port ...
    let secret = h.secrets.get(&SecretName::for_connection("test", "t1", &id)).await?;
    assert!(secret.expose_secret().contains(SUBSCRIPTION_KEY) && secret.expose_secret().contains(CONNECTION_KEY));
    // ... and nowhere else: not in an answer, not in the stored connection, not in a log line.
    let stored = h.state.deps.store.get(&keys::tenant("t1"), &keys::connection_sk(&id)).await?.ok_or("not stored")?;
    let log = logs.text();
    assert!(log.contains("http request"), "the access log is not captured:\n{log}");
    assert!(!log.contains("eyJ") && !log.contains("Bearer"), "a token is logged:\n{log}");
    for (what, text) in [
        ("create answer", created.text),
        ("create headers", format!("{:?}", created.headers)),
        ("read answer", read.text),
        ("list answer", listed.text),
        ("patch answer", patched.text),
        ("stored connection", stored.body),
        ("logs", log),
    ] {
        for key in [SUBSCRIPTION_KEY, CONNECTION_KEY] {
            assert!(!text.contains(key), "the key is in the {what}: {text}");
        }
    }
    Ok(())
}
