//! The sign-in end to end against the OAuth stand-in: start, consent, callback → authorized,
//! tested, active and a first sync requested; and who may start it.

mod common;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use common::*;
use koppel_core::domain::catalog::{ACCESS_TOKEN_FIELD, EXPIRES_AT_FIELD, REFRESH_TOKEN_FIELD};
use koppel_core::domain::connection::ConnectionStatus;
use koppel_core::domain::oauth::AuthStatus;
use koppel_core::ports::bus::SYNC_REQUESTED;
use koppel_core::ports::{Schedule, Scheduler};
use koppel_sandbox::bearer::BearerAuthority;
use koppel_tests::harness::TENANT;
use koppel_tests::oauth::{ACCOUNT, REDIRECT_URL};

#[tokio::test]
async fn start_answers_the_authorize_url_with_state_and_pkce() -> TestResult {
    let k = kit().await;
    let conn = k.h.oauth_connection(TENANT).await;
    let started = k.start(TENANT, &conn.id).await?;
    assert_eq!(started.status, StatusCode::OK, "{}", started.text);
    let url = url::Url::parse(started.json["authorize_url"].as_str().ok_or("no url")?)?;
    assert_eq!(url.as_str().split('?').next(), Some(k.running.authorize_url().as_str()));
    let q = url.query().unwrap_or_default();
    assert_eq!(param(q, "response_type").as_deref(), Some("code"));
    assert_eq!(param(q, "client_id").as_deref(), Some(koppel_sandbox::oauth::DEMO_CLIENT_ID));
    assert_eq!(param(q, "redirect_uri").as_deref(), Some(REDIRECT_URL));
    assert_eq!(param(q, "scope").as_deref(), Some("relations.read"));
    assert_eq!(param(q, "code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(param(q, "code_challenge").map(|c| c.len()), Some(43));
    let state = param(q, "state").ok_or("no state")?;
    let secret = state.rsplit('.').next().unwrap_or_default();
    assert!(secret.len() >= 43, "at least 256 random bits: {}", secret.len());
    let expires = started.json["expires_at"].as_str().ok_or("no expires_at")?;
    let expires = chrono::DateTime::parse_from_rfc3339(expires)?;
    assert_eq!(expires, koppel_tests::harness::now() + Duration::minutes(10));

    // A second start gives another state; nothing on the connection changed.
    let again = k.start(TENANT, &conn.id).await?;
    assert_ne!(again.json["authorize_url"], started.json["authorize_url"]);
    let stored = k.h.reload(&conn).await;
    assert_eq!(
        (stored.version, stored.oauth.map(|o| o.status)),
        (conn.version, Some(AuthStatus::AwaitingAuthorization))
    );
    Ok(())
}

#[tokio::test]
async fn callback_authorizes_tests_activates_and_requests_a_first_sync() -> TestResult {
    let k = kit().await;
    let conn = k.h.oauth_connection(TENANT).await;
    let answer = k.connect(&conn).await?;
    assert_eq!(answer.status, StatusCode::FOUND);
    let outcome = answer.outcome();
    assert!(answer.location.as_deref().unwrap_or_default().starts_with(RETURN_URL));
    assert_eq!(outcome.get("outcome").map(String::as_str), Some("connected"), "{outcome:?}");
    assert_eq!(outcome.get("connection"), Some(&conn.id));
    let run = outcome.get("run").ok_or("no run")?;

    let stored = k.h.reload(&conn).await;
    let oauth = stored.oauth.clone().ok_or("no oauth state")?;
    assert_eq!(oauth.status, AuthStatus::Authorized);
    assert_eq!(oauth.authorized_at, Some(koppel_tests::harness::now()));
    assert_eq!(oauth.expires_at, Some(koppel_tests::harness::now() + Duration::hours(1)));
    assert_eq!(stored.status, ConnectionStatus::Active, "sync active");
    let test = stored.last_test.clone().ok_or("no test")?;
    assert!(test.ok && test.account.as_deref() == Some(ACCOUNT), "{test:?}");
    let mut fields = stored.credential_fields.clone();
    fields.sort();
    assert_eq!(fields, [ACCESS_TOKEN_FIELD, EXPIRES_AT_FIELD, REFRESH_TOKEN_FIELD]);

    // The tokens are in the secrets port and the provider accepts them.
    let secret = k.h.secret_fields(&stored).await;
    let access = secret.iter().find(|(n, _)| n == ACCESS_TOKEN_FIELD).map(|(_, v)| v.clone()).ok_or("no token")?;
    assert!(k.server.accepts(&access));
    let refresh = secret.iter().find(|(n, _)| n == REFRESH_TOKEN_FIELD).map(|(_, v)| v.clone()).ok_or("no refresh")?;
    assert!(k.server.refresh_token_valid(&refresh));
    // The connector got the access token but never the refresh token.
    let seen = k.sources.fields_seen();
    assert!(!seen.is_empty() && seen.iter().all(|f| !f.iter().any(|n| n == REFRESH_TOKEN_FIELD)), "{seen:?}");

    let schedule = Schedule::for_connection(TENANT, &conn.id, stored.interval_minutes);
    assert!(k.h.scheduler.get(&schedule.name).await?.is_some(), "the schedule exists");
    let requested: Vec<_> = k.h.bus.published().into_iter().filter(|e| e.detail_type == SYNC_REQUESTED).collect();
    assert_eq!(requested.len(), 1);
    assert_eq!(requested[0].detail["run_id"].as_str(), Some(run.as_str()));
    assert_eq!(requested[0].detail["connection_id"].as_str(), Some(conn.id.as_str()));
    let stats = k.server.stats();
    assert_eq!((stats.code_grants, stats.tokens_issued, stats.refresh_grants), (1, 1, 0));

    // GET /connections/{id} shows it.
    let read = k.read(&conn).await?;
    assert_eq!(read.json["oauth"]["status"], "authorized");
    assert_eq!(read.json["status"], "active");
    Ok(())
}

#[tokio::test]
async fn a_connection_that_fails_its_test_is_authorized_but_not_activated() -> TestResult {
    let k = kit().await;
    let conn = k.h.oauth_connection(TENANT).await;
    k.api_refuses.store(true, std::sync::atomic::Ordering::SeqCst);
    let answer = k.connect(&conn).await?;
    let outcome = answer.outcome();
    assert_eq!(outcome.get("reason").map(String::as_str), Some("test_failed"), "{outcome:?}");
    assert!(
        outcome
            .get("message")
            .is_some_and(|m| m.starts_with("Connected with AdminPulse, but the connection test failed"))
    );
    let stored = k.h.reload(&conn).await;
    assert_eq!(stored.status, ConnectionStatus::Draft);
    assert_eq!(stored.oauth.map(|o| o.status), Some(AuthStatus::Authorized));
    assert!(k.h.bus.published().is_empty(), "no sync requested");
    Ok(())
}

#[tokio::test]
async fn who_may_start_a_sign_in() -> TestResult {
    let k = kit().await;
    let conn = k.h.oauth_connection(TENANT).await;
    let other = k.start("tenant-b", &conn.id).await?;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "another tenant's connection: {}", other.text);
    let anonymous = k.call(None, Method::POST, &format!("/connections/{}/oauth/start", conn.id)).await?;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let keyed = koppel_core::usecases::create_connection::CreateConnection {
        provider: "adminpulse".into(),
        name: "Met sleutel".into(),
        matching_key: "vat_number".into(),
        auth_mode: Some("api_key".into()),
        api_key: Some(secrecy::SecretString::from("ap-key-1234567890")),
        ..Default::default()
    };
    let keyed = koppel_core::usecases::create_connection::create(&k.h.deps, TENANT, keyed).await?;
    let refused = k.start(TENANT, &keyed.id).await?;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.json["message"], "this AdminPulse connection does not sign in with OAuth");

    // Without a registered app the deployment says what to set up.
    k.h.deps.secrets.delete(&koppel_core::oauth::app::secret_name("test", "adminpulse")).await?;
    let unset = k.start(TENANT, &conn.id).await?;
    assert_eq!(unset.status, StatusCode::CONFLICT);
    let message = unset.json["message"].as_str().unwrap_or_default();
    assert!(message.contains("sign-in with AdminPulse is not set up"), "{message}");
    assert!(unset.json["hint"].as_str().unwrap_or_default().contains("koppel/test/oauth-apps/adminpulse"));
    Ok(())
}
