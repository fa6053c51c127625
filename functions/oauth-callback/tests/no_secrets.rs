//! Codes, tokens, PKCE verifiers and the secret part of `state` never reach a log line, an
//! answer or the stored connection.
//!
//! Alone in its test binary: tracing caches per-callsite interest process-wide, so a test on
//! another thread without a subscriber could make this one capture nothing.

mod common;

use chrono::Duration;
use common::*;
use koppel_core::keys;
use koppel_core::oauth::state::{ATTEMPT_PREFIX, attempt_pk};
use koppel_core::usecases::{connections, test_connection};
use koppel_sandbox::oauth::DEMO_CLIENT_SECRET;
use koppel_tests::harness::TENANT;

#[tokio::test]
async fn no_code_token_or_state_secret_in_logs_answers_or_the_stored_connection() -> TestResult {
    let k = kit().await;
    let logs = capture_logs();
    let mut answers = Vec::new();
    let mut state_secrets = Vec::new();
    let mut verifiers = Vec::new();

    // A sign-in that works, one the user denies, one with a changed state.
    let conn = k.h.oauth_connection(TENANT).await;
    let started = k.start(TENANT, &conn.id).await?;
    let url = started.json["authorize_url"].as_str().ok_or("no url")?.to_string();
    let attempts = koppel_core::repo::query_all(k.h.deps.store.as_ref(), &attempt_pk(TENANT), ATTEMPT_PREFIX).await?;
    for a in &attempts {
        let body: serde_json::Value = serde_json::from_str(&a.body)?;
        verifiers.push(body["pkce_verifier"].as_str().ok_or("no verifier")?.to_string());
    }
    let query = k.consent(&url).await?;
    let state = param(&query, "state").ok_or("no state")?;
    state_secrets.push(state.rsplit('.').next().unwrap_or_default().to_string());
    answers.push(k.callback(&with_param(&query, "state", &format!("{state}x"))).await?);
    answers.push(k.callback(&query).await?);
    answers.push(k.callback(&query).await?);

    let denied = k.h.oauth_connection(TENANT).await;
    k.server.deny_next_authorize();
    let url = k.authorize_url(&denied).await?;
    let query = k.consent(&url).await?;
    state_secrets.push(param(&query, "state").unwrap_or_default().rsplit('.').next().unwrap_or_default().to_string());
    answers.push(k.callback(&query).await?);

    // A refresh, then a refused one.
    k.h.clock.advance(Duration::minutes(50));
    let conn = k.h.reload(&conn).await;
    connections::credentials(&k.h.deps, &conn).await?;
    k.server.revoke_refresh_tokens();
    k.h.clock.advance(Duration::minutes(60));
    let refused = test_connection::test(&k.h.deps, TENANT, &conn.id).await;
    assert!(refused.is_err());
    answers.push(k.read(&conn).await?);

    let log = logs.text();
    assert!(log.contains("oauth callback handled") && log.contains("oauth access token refreshed"), "{log}");
    let stored = k.h.deps.store.get(&keys::tenant(TENANT), &keys::connection_sk(&conn.id)).await?.ok_or("gone")?;
    let issued = k.server.issued_secrets();
    assert!(issued.len() >= 4, "codes and tokens were issued: {}", issued.len());
    assert_eq!(verifiers.len(), 1);
    let secrets: Vec<&String> = issued.iter().chain(&state_secrets).chain(&verifiers).collect();
    let mut places = vec![("logs".to_string(), log), ("stored connection".to_string(), stored.body)];
    for (i, a) in answers.iter().enumerate() {
        places.push((format!("answer {i}"), format!("{:?} {}", a.location, a.text)));
    }
    for (place, text) in &places {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a code, token or state secret is in the {place}:\n{text}");
        }
        assert!(!text.contains(DEMO_CLIENT_SECRET), "the client secret is in the {place}");
    }
    Ok(())
}
