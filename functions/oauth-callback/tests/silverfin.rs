//! Silverfin's sign-in against the stand-in in its Silverfin flavour: the firm the user picked
//! comes back as `authorized_firm_id`, is kept as the connection's `firm_id` and names the token
//! URL (`/f/{firm_id}/oauth/token`) for the code and every refresh; refresh tokens work once, and
//! concurrent callers spend one exactly once under the lease; a firm id that is not a plain id
//! is refused before any token call; no first sync.

mod common;

use std::sync::Arc;

use chrono::Duration;
use common::meetings::*;
use common::*;
use koppel_core::AppError;
use koppel_core::domain::catalog::{ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD};
use koppel_core::domain::catalog_push::{FIRM_ID, SILVERFIN};
use koppel_core::domain::connection::ConnectionStatus;
use koppel_core::usecases::connections;
use koppel_sandbox::bearer::BearerAuthority;
use koppel_sandbox::oauth::OAuthServerConfig;
use koppel_tests::harness::TENANT;
use koppel_tests::oauth::{PacedClock, app_json_with};
use secrecy::ExposeSecret;
use serde_json::json;

const FIRM: &str = "4321";

async fn silverfin_kit(adjust: impl FnOnce(koppel_tests::harness::Harness) -> koppel_tests::harness::Harness) -> Kit {
    let k = kit_with(OAuthServerConfig::silverfin(FIRM), adjust).await;
    let extra = json!({
        "scopes": "administration:read communication:write",
        "client_auth": "post",
        "refresh_redirect_uri": true,
        "callback_params": {"authorized_firm_id": FIRM_ID},
    });
    let token_url = format!("{}/f/{{firm_id}}/oauth/token", k.running.base_url());
    let json = app_json_with(&k.running.authorize_url(), &token_url, true, extra);
    k.h.register_oauth_app_for(SILVERFIN, &json).await;
    k
}

fn secret(fields: &[(String, String)], name: &str) -> String {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

#[tokio::test]
async fn the_authorized_firm_is_kept_and_names_the_token_url() -> TestResult {
    let k = silverfin_kit(|h| h).await;
    let conn = k.h.meeting_oauth_connection(TENANT, SILVERFIN).await;
    let answer = k.connect(&conn).await?;
    assert_connected_without_sync(&k, &answer, &conn);
    let calls = k.server.token_calls();
    let paths: Vec<(&str, &str)> = calls.iter().map(|c| (c.path.as_str(), c.grant_type.as_str())).collect();
    assert_eq!(paths, [("/f/4321/oauth/token", "authorization_code")]);
    let stored = k.h.reload(&conn).await;
    assert_eq!(stored.status, ConnectionStatus::Active);
    assert_eq!(stored.settings.get(FIRM_ID).map(String::as_str), Some(FIRM));
    assert_eq!(connector_settings(&k, &stored).await?.get(FIRM_ID).map(String::as_str), Some(FIRM));

    // Reconnecting to another firm replaces the firm (and the token URL with it).
    k.server.set_callback_param("authorized_firm_id", Some("98765"));
    let answer = k.connect(&stored).await?;
    assert_connected_without_sync(&k, &answer, &conn);
    assert_eq!(k.h.reload(&conn).await.settings.get(FIRM_ID).map(String::as_str), Some("98765"));
    assert_eq!(k.server.token_calls().last().map(|c| c.path.clone()).as_deref(), Some("/f/98765/oauth/token"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_use_refresh_token_is_spent_once_by_concurrent_callers() -> TestResult {
    let k = silverfin_kit(|mut h| {
        h.deps.clock = Arc::new(PacedClock(h.clock.clone()));
        h
    })
    .await;
    let conn = k.h.meeting_oauth_connection(TENANT, SILVERFIN).await;
    assert_connected_without_sync(&k, &k.connect(&conn).await?, &conn);
    let conn = k.h.reload(&conn).await;
    let spent = secret(&k.h.secret_fields(&conn).await, REFRESH_TOKEN_FIELD);
    k.h.clock.advance(Duration::minutes(50));
    let callers: Vec<_> = (0..4)
        .map(|_| {
            let (deps, conn) = (k.h.deps.clone(), conn.clone());
            tokio::spawn(async move {
                let creds = connections::credentials(&deps, &conn).await?;
                let token = creds.get(ACCESS_TOKEN_FIELD).map(|t| t.expose_secret().to_string());
                Ok::<_, AppError>((token.unwrap_or_default(), creds.get(FIRM_ID).is_some()))
            })
        })
        .collect();
    let mut handed_out = Vec::new();
    for caller in callers {
        handed_out.push(caller.await??);
    }
    assert_eq!(k.server.stats().refresh_grants, 1, "exactly one refresh reached Silverfin");
    let refreshes: Vec<(String, Option<String>)> = k
        .server
        .token_calls()
        .into_iter()
        .filter(|c| c.grant_type == "refresh_token")
        .map(|c| (c.path, c.redirect_uri))
        .collect();
    let redirect = Some(koppel_tests::oauth::REDIRECT_URL.to_string());
    assert_eq!(
        refreshes,
        [("/f/4321/oauth/token".to_string(), redirect)],
        "to the firm's token URL, with redirect_uri"
    );
    let stored = k.h.secret_fields(&conn).await;
    let (access, renewed) = (secret(&stored, ACCESS_TOKEN_FIELD), secret(&stored, REFRESH_TOKEN_FIELD));
    assert!(handed_out.iter().all(|(t, firm)| *t == access && *firm), "everyone got the new token and the firm");
    assert!(k.server.accepts(&access));
    assert!(!k.server.refresh_token_valid(&spent), "single use: the old refresh token is spent");
    assert!(k.server.refresh_token_valid(&renewed));
    Ok(())
}

#[tokio::test]
async fn a_firm_id_that_is_not_a_plain_id_is_refused_and_changes_nothing() -> TestResult {
    let k = silverfin_kit(|h| h).await;
    let conn = k.h.meeting_oauth_connection(TENANT, SILVERFIN).await;
    for (value, problem) in [
        (Some("43/../../evil"), "that is not a plain id (letters and digits only)"),
        (Some("4321?x=1"), "that is not a plain id (letters and digits only)"),
        (Some("4321%2F.."), "that is not a plain id (letters and digits only)"),
        (None, "missing"),
    ] {
        k.server.set_callback_param("authorized_firm_id", value);
        let (reason, message) = refusal(&k.connect(&conn).await?);
        assert_eq!(reason, "invalid_callback", "{value:?}");
        assert_eq!(
            message,
            format!(
                "Silverfin sent the sign-in back with authorized_firm_id {problem}. Nothing was changed; start the \
                 connection again, or ask your administrator if it keeps happening."
            )
        );
        assert_untouched(&k, &conn).await;
    }
    assert!(k.server.token_calls().is_empty(), "the client secret went nowhere");
    Ok(())
}
