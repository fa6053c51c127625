//! Refresh before expiry, under the per-connection lease: rotation, keeping the old refresh
//! token, two callers at once (exactly one refresh reaches the provider), a holder that does not
//! finish, `invalid_grant` → NeedsReconnect (visible in the API), and "connect first".

mod common;

use std::sync::Arc;

use chrono::Duration;
use common::*;
use koppel_core::AppError;
use koppel_core::domain::catalog::{ACCESS_TOKEN_FIELD, EXPIRES_AT_FIELD, REFRESH_TOKEN_FIELD};
use koppel_core::domain::connection::Connection;
use koppel_core::domain::oauth::AuthStatus;
use koppel_core::oauth::lease;
use koppel_core::ports::ConnectorError;
use koppel_core::usecases::{connections, test_connection};
use koppel_sandbox::bearer::BearerAuthority;
use koppel_sandbox::oauth::OAuthServerConfig;
use koppel_tests::harness::TENANT;
use koppel_tests::oauth::PacedClock;
use secrecy::ExposeSecret;

fn field(fields: &[(String, String)], name: &str) -> String {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

async fn tokens(k: &Kit, conn: &Connection) -> (String, String, String) {
    let f = k.h.secret_fields(conn).await;
    (field(&f, ACCESS_TOKEN_FIELD), field(&f, REFRESH_TOKEN_FIELD), field(&f, EXPIRES_AT_FIELD))
}

async fn access_handed_out(k: &Kit, conn: &Connection) -> Result<String, AppError> {
    let creds = connections::credentials(&k.h.deps, conn).await?;
    assert!(creds.get(REFRESH_TOKEN_FIELD).is_none(), "the refresh token stays in the secret");
    Ok(creds.get(ACCESS_TOKEN_FIELD).map(|t| t.expose_secret().to_string()).unwrap_or_default())
}

#[tokio::test]
async fn refreshes_before_expiry_and_the_spent_refresh_token_is_refused() -> TestResult {
    let k = kit().await;
    let conn = k.connected().await?;
    let (a1, r1, _) = tokens(&k, &conn).await;

    k.h.clock.advance(Duration::minutes(44));
    assert_eq!(access_handed_out(&k, &conn).await?, a1, "16 minutes left: no refresh yet");
    assert_eq!(k.server.stats().refresh_grants, 0);

    k.h.clock.advance(Duration::minutes(2));
    let result = test_connection::test(&k.h.deps, TENANT, &conn.id).await?;
    assert!(result.ok, "{result:?}");
    assert_eq!(k.server.stats().refresh_grants, 1, "14 minutes left: refreshed first");
    let (a2, r2, expires) = tokens(&k, &conn).await;
    assert!(a2 != a1 && r2 != r1);
    assert!(k.server.accepts(&a2));
    assert!(!k.server.refresh_token_valid(&r1), "rotation: the old refresh token is spent");
    assert!(k.server.refresh_token_valid(&r2));
    let expected = koppel_tests::harness::now() + Duration::minutes(46) + Duration::hours(1);
    assert_eq!(chrono::DateTime::parse_from_rfc3339(&expires)?, expected);
    // The old one, offered again, is refused by the provider.
    let client = koppel_connectors::oauth::OAuth2Client::new()?;
    let app = koppel_core::oauth::app::load(&k.h.deps, "adminpulse").await?.app(&Default::default())?;
    let again = koppel_core::ports::OAuthClient::refresh(&client, &app, &secrecy::SecretString::from(r1)).await;
    assert!(matches!(again, Err(koppel_core::ports::OAuthError::InvalidGrant { .. })), "{again:?}");
    Ok(())
}

#[tokio::test]
async fn keeps_the_old_refresh_token_when_the_provider_returns_none() -> TestResult {
    let k = kit_with(OAuthServerConfig { refresh_rotation: false, ..Default::default() }, |h| h).await;
    let conn = k.connected().await?;
    let (a1, r1, _) = tokens(&k, &conn).await;
    k.h.clock.advance(Duration::minutes(50));
    let a2 = access_handed_out(&k, &conn).await?;
    let (stored, r2, _) = tokens(&k, &conn).await;
    assert!(a2 != a1 && a2 == stored);
    assert_eq!(r2, r1, "kept");
    k.h.clock.advance(Duration::minutes(50));
    access_handed_out(&k, &conn).await?;
    assert_eq!(k.server.stats().refresh_grants, 2, "the kept token works again");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_make_exactly_one_refresh() -> TestResult {
    let k = kit_with(OAuthServerConfig::default(), |mut h| {
        h.deps.clock = Arc::new(PacedClock(h.clock.clone()));
        h
    })
    .await;
    let conn = k.connected().await?;
    k.h.clock.advance(Duration::minutes(50));
    // Four tasks on two worker threads, like Lambdas that start a sync and a test at once.
    let callers: Vec<_> = (0..4)
        .map(|_| {
            let (deps, conn) = (k.h.deps.clone(), conn.clone());
            tokio::spawn(async move {
                let creds = connections::credentials(&deps, &conn).await?;
                let token = creds.get(ACCESS_TOKEN_FIELD).map(|t| t.expose_secret().to_string());
                Ok::<_, AppError>(token.unwrap_or_default())
            })
        })
        .collect();
    let mut all = Vec::new();
    for caller in callers {
        all.push(caller.await??);
    }
    assert_eq!(k.server.stats().refresh_grants, 1, "exactly one refresh reached the provider");
    let (stored, _, _) = tokens(&k, &conn).await;
    assert!(all.iter().all(|t| *t == stored), "everyone got the new token");
    assert!(k.server.accepts(&stored));
    Ok(())
}

#[tokio::test]
async fn a_caller_waits_for_the_lease_holder_and_never_spends_the_token_itself() -> TestResult {
    let k = kit().await;
    let conn = k.connected().await?;
    let (a1, _, _) = tokens(&k, &conn).await;
    let store = k.h.deps.store.as_ref();
    k.h.clock.advance(Duration::minutes(50));
    let held = lease::try_take(store, TENANT, &conn.id, "another-lambda", k.h.deps.clock.now()).await?;
    assert!(held.is_some());
    // The holder never finishes; the token still works for 10 minutes: it is used as it is.
    assert_eq!(access_handed_out(&k, &conn).await?, a1);
    assert_eq!(k.server.stats().refresh_grants, 0);

    // Expired, and the lease taken again by a holder that does not finish: a transient error.
    k.h.clock.advance(Duration::minutes(15));
    let held = lease::try_take(store, TENANT, &conn.id, "another-lambda", k.h.deps.clock.now()).await?;
    assert!(held.is_some(), "the earlier lease expired");
    match access_handed_out(&k, &conn).await {
        Err(AppError::Connector(e @ ConnectorError::Transport { .. })) => assert!(e.is_transient()),
        other => panic!("expected a transient error, got {other:?}"),
    }
    assert_eq!(k.server.stats().refresh_grants, 0);
    Ok(())
}

#[tokio::test]
async fn a_passing_provider_failure_keeps_the_valid_token_and_retries_next_time() -> TestResult {
    let k = kit().await;
    let conn = k.connected().await?;
    let (a1, _, _) = tokens(&k, &conn).await;
    k.h.clock.advance(Duration::minutes(50));
    k.server.token_server_error(1, 503);
    assert_eq!(access_handed_out(&k, &conn).await?, a1);
    let a2 = access_handed_out(&k, &conn).await?;
    assert_ne!(a2, a1);
    let stats = k.server.stats();
    assert_eq!((stats.faults_served, stats.refresh_grants), (1, 1));
    assert_eq!(k.h.reload(&conn).await.oauth.map(|o| o.status), Some(AuthStatus::Authorized));
    Ok(())
}

#[tokio::test]
async fn invalid_grant_marks_the_connection_needs_reconnect_with_the_reason() -> TestResult {
    let k = kit().await;
    let conn = k.connected().await?;
    k.server.revoke_refresh_tokens();
    k.h.clock.advance(Duration::minutes(50));
    let expected = "AdminPulse no longer accepts Koppel's access: AdminPulse refused the stored authorization \
                    (invalid_grant: refresh token unknown, revoked or already used); reconnect the connection to continue";
    match test_connection::test(&k.h.deps, TENANT, &conn.id).await {
        Err(AppError::Conflict { message, hint }) => {
            assert_eq!(message, expected);
            assert!(hint.contains("/oauth/start"), "{hint}");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let read = k.read(&conn).await?;
    assert_eq!(read.json["oauth"]["status"], "needs_reconnect", "{}", read.text);
    assert!(read.json["oauth"]["reason"].as_str().unwrap_or_default().contains("invalid_grant"));
    // Later calls say the same without asking the provider again.
    let stored = k.h.reload(&conn).await;
    assert!(
        matches!(access_handed_out(&k, &stored).await, Err(AppError::Conflict { message, .. }) if message == expected)
    );
    assert_eq!(k.server.stats().refresh_grants, 1);

    // Reconnecting makes it authorized again.
    let outcome = k.connect(&stored).await?.outcome();
    assert_eq!(outcome.get("outcome").map(String::as_str), Some("connected"), "{outcome:?}");
    let oauth = k.h.reload(&conn).await.oauth.ok_or("no oauth")?;
    assert_eq!((oauth.status, oauth.reason), (AuthStatus::Authorized, None));
    Ok(())
}

#[tokio::test]
async fn a_connection_awaiting_authorization_says_connect_first() -> TestResult {
    let k = kit().await;
    let conn = k.h.oauth_connection(TENANT).await;
    match test_connection::test(&k.h.deps, TENANT, &conn.id).await {
        Err(AppError::Conflict { message, .. }) => assert!(
            message.starts_with("Connect with AdminPulse first: the connection is saved, but nobody has allowed"),
            "{message}"
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(k.sources.opened.load(std::sync::atomic::Ordering::SeqCst), 0, "no provider call");
    Ok(())
}
