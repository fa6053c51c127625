//! Every way a callback can go wrong: a clear outcome on the return page, and nothing changed
//! (the connection, its secret, the schedule, the bus), and no code spent at the provider.

mod common;

use std::collections::BTreeMap;

use chrono::Duration;
use common::*;
use koppel_core::domain::catalog::ACCESS_TOKEN_FIELD;
use koppel_core::domain::connection::{Connection, ConnectionStatus};
use koppel_core::domain::oauth::AuthStatus;
use koppel_core::oauth::state::StateToken;
use koppel_tests::harness::TENANT;
use secrecy::ExposeSecret;

fn reason(outcome: &BTreeMap<String, String>) -> &str {
    assert_eq!(outcome.get("outcome").map(String::as_str), Some("error"), "{outcome:?}");
    outcome.get("reason").map(String::as_str).unwrap_or_default()
}

fn message(outcome: &BTreeMap<String, String>) -> &str {
    outcome.get("message").map(String::as_str).unwrap_or_default()
}

async fn assert_unchanged(k: &Kit, conn: &Connection) {
    let stored = k.h.reload(conn).await;
    assert_eq!(stored.version, conn.version, "the connection was saved");
    assert_eq!(stored.status, ConnectionStatus::Draft);
    assert_eq!(stored.oauth.map(|o| o.status), Some(AuthStatus::AwaitingAuthorization));
    assert!(k.h.secret_fields(conn).await.iter().all(|(n, _)| n != ACCESS_TOKEN_FIELD), "tokens stored");
    assert!(k.h.bus.published().is_empty(), "a sync was requested");
    assert_eq!(k.server.stats().tokens_issued, 0, "tokens were issued");
}

/// A connection and the callback query the provider sends after consent.
async fn consented(k: &Kit) -> TestResult<(Connection, String)> {
    let conn = k.h.oauth_connection(TENANT).await;
    let url = k.authorize_url(&conn).await?;
    let query = k.consent(&url).await?;
    Ok((conn, query))
}

#[tokio::test]
async fn denied_consent() -> TestResult {
    let k = kit().await;
    let conn = k.h.oauth_connection(TENANT).await;
    k.server.deny_next_authorize();
    let answer = k.connect(&conn).await?;
    let outcome = answer.outcome();
    assert_eq!(reason(&outcome), "access_denied");
    assert_eq!(outcome.get("connection"), Some(&conn.id), "the page can say which connection");
    assert_eq!(
        message(&outcome),
        "You did not allow Koppel to access AdminPulse. Nothing was changed; start again to connect."
    );
    assert_unchanged(&k, &conn).await;
    assert_eq!(k.server.stats().code_grants, 0);
    Ok(())
}

#[tokio::test]
async fn other_provider_errors_are_named() -> TestResult {
    let k = kit().await;
    let (conn, query) = consented(&k).await?;
    let state = param(&query, "state").ok_or("no state")?;
    let answer = k.callback(&format!("error=invalid_scope&error_description=nope&state={state}")).await?;
    let outcome = answer.outcome();
    assert_eq!(reason(&outcome), "provider_error");
    assert!(message(&outcome).starts_with("AdminPulse did not start the sign-in (invalid_scope)."), "{outcome:?}");
    assert_unchanged(&k, &conn).await;
    Ok(())
}

#[tokio::test]
async fn unknown_state() -> TestResult {
    let k = kit().await;
    let (conn, _) = consented(&k).await?;
    let forged = StateToken::new(TENANT, "01JUNKNOWNATTEMPT").encode();
    let answer = k.callback(&format!("code=abc&state={}", forged.expose_secret())).await?;
    let outcome = answer.outcome();
    assert_eq!(reason(&outcome), "unknown_state");
    assert_eq!(outcome.get("connection"), None);
    assert!(message(&outcome).contains("unknown or was already used"), "{outcome:?}");
    assert_unchanged(&k, &conn).await;
    Ok(())
}

#[tokio::test]
async fn missing_or_tampered_state_is_refused_and_does_not_spend_the_real_one() -> TestResult {
    let k = kit().await;
    let (conn, query) = consented(&k).await?;
    let state = param(&query, "state").ok_or("no state")?;
    let (head, secret) = state.rsplit_once('.').ok_or("state shape")?;
    let flipped = if secret.starts_with('A') { "B" } else { "A" };
    let tampered = format!("{head}.{flipped}{}", &secret[1..]);
    let other_tenant = state.replacen(state.split('.').next().unwrap_or_default(), &base64_url("tenant-b"), 1);
    for (what, bad, expected) in [
        ("secret", with_param(&query, "state", &tampered), "invalid_state"),
        ("cut", with_param(&query, "state", &state[..state.len() - 3]), "invalid_state"),
        ("missing", without_param(&query, "state"), "invalid_state"),
        ("twice", format!("{query}&state={state}"), "invalid_state"),
        ("tenant", with_param(&query, "state", &other_tenant), "unknown_state"),
    ] {
        let outcome = k.callback(&bad).await?.outcome();
        assert_eq!(reason(&outcome), expected, "{what}");
        assert_eq!(outcome.get("connection"), None, "{what}");
    }
    assert_eq!(
        message(&k.callback(&without_param(&query, "state")).await?.outcome()),
        "This sign-in link is not valid: it was cut short or changed. Nothing was changed; start the connection again from Koppel."
    );
    assert_unchanged(&k, &conn).await;
    // The real browser still gets through.
    let outcome = k.callback(&query).await?.outcome();
    assert_eq!(outcome.get("outcome").map(String::as_str), Some("connected"), "{outcome:?}");
    Ok(())
}

#[tokio::test]
async fn expired_state() -> TestResult {
    let k = kit().await;
    let (conn, query) = consented(&k).await?;
    k.h.clock.advance(Duration::minutes(10) + Duration::seconds(1));
    let outcome = k.callback(&query).await?.outcome();
    assert_eq!(reason(&outcome), "expired_state");
    assert_eq!(outcome.get("connection"), Some(&conn.id));
    assert_eq!(
        message(&outcome),
        "This sign-in took longer than 10 minutes and expired. Nothing was changed; start the connection again from Koppel."
    );
    assert_unchanged(&k, &conn).await;
    assert_eq!(k.server.stats().code_grants, 0, "the code was not spent");
    // An expired state is spent too.
    assert_eq!(reason(&k.callback(&query).await?.outcome()), "unknown_state");
    Ok(())
}

#[tokio::test]
async fn reused_state_even_at_the_same_time() -> TestResult {
    let k = kit().await;
    let (conn, query) = consented(&k).await?;
    let (a, b) = tokio::join!(k.callback(&query), k.callback(&query));
    let mut outcomes = [a?.outcome(), b?.outcome()];
    outcomes.sort_by_key(|o| o.get("outcome").cloned());
    assert_eq!(outcomes[0].get("outcome").map(String::as_str), Some("connected"), "{outcomes:?}");
    assert_eq!(reason(&outcomes[1]), "unknown_state");
    assert_eq!(k.server.stats().code_grants, 1, "one exchange");
    let after = k.h.reload(&conn).await;
    let replay = k.callback(&query).await?.outcome();
    assert_eq!(reason(&replay), "unknown_state");
    assert_eq!(k.h.reload(&conn).await.version, after.version, "a replay changes nothing");
    assert_eq!(k.server.stats().code_grants, 1);
    Ok(())
}

#[tokio::test]
async fn provider_error_on_the_token_call() -> TestResult {
    let k = kit().await;
    let (conn, query) = consented(&k).await?;
    k.server.token_server_error(1, 503);
    let outcome = k.callback(&query).await?.outcome();
    assert_eq!(reason(&outcome), "provider_unavailable");
    assert_eq!(
        message(&outcome),
        "AdminPulse could not be reached to finish the sign-in. Nothing was changed; try again in a few minutes."
    );
    assert_unchanged(&k, &conn).await;

    let (conn, query) = consented(&k).await?;
    let outcome = k.callback(&with_param(&query, "code", "c_not-a-code")).await?.outcome();
    assert_eq!(reason(&outcome), "token_refused");
    assert!(message(&outcome).starts_with("AdminPulse refused to give Koppel access (invalid_grant:"), "{outcome:?}");
    assert_unchanged(&k, &conn).await;
    Ok(())
}

#[tokio::test]
async fn missing_code() -> TestResult {
    let k = kit().await;
    let (conn, query) = consented(&k).await?;
    let outcome = k.callback(&without_param(&query, "code")).await?.outcome();
    assert_eq!(reason(&outcome), "missing_code");
    assert_eq!(
        message(&outcome),
        "AdminPulse sent no authorization code back. Nothing was changed; start the connection again."
    );
    assert_unchanged(&k, &conn).await;
    Ok(())
}

#[tokio::test]
async fn wrong_client_secret_is_a_refusal_not_a_crash() -> TestResult {
    let k = kit().await;
    let (conn, query) = consented(&k).await?;
    let json = koppel_tests::oauth::app_json(
        &k.running.authorize_url(),
        &k.running.token_url(),
        koppel_sandbox::oauth::DEMO_CLIENT_ID,
        "wrong-secret",
        true,
    );
    k.h.register_oauth_app(&json).await;
    let outcome = k.callback(&query).await?.outcome();
    assert_eq!(reason(&outcome), "token_refused");
    assert!(message(&outcome).contains("(invalid_client"), "{outcome:?}");
    assert_unchanged(&k, &conn).await;
    Ok(())
}

fn base64_url(text: &str) -> String {
    // The tenant part of a state is unpadded base64url; a short ASCII id is enough here.
    let token = StateToken::new(text, "x").encode();
    token.expose_secret().split('.').next().unwrap_or_default().to_string()
}
