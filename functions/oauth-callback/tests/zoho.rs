//! Zoho's multi-data-centre sign-in against the stand-in in its Zoho flavour: the user starts at
//! the "US" accounts server and comes back with `accounts-server` naming the EU one, where the
//! code is exchanged; `api_domain` from the token answers is kept (and follows refreshes); an
//! `accounts-server` outside the registration's `allowed_hosts` is refused before any token call;
//! errors Zoho answers with HTTP 200 are refusals with their message; no first sync.

mod common;

use std::time::Duration as StdDuration;

use chrono::Duration;
use common::meetings::*;
use common::*;
use koppel_core::domain::catalog_push::{ACCOUNTS_SERVER, API_DOMAIN, ZOHO};
use koppel_core::domain::connection::ConnectionStatus;
use koppel_core::domain::oauth::AuthStatus;
use koppel_core::usecases::connections;
use koppel_sandbox::oauth::{OAuthServerConfig, RunningOAuthServer};
use koppel_tests::harness::TENANT;
use koppel_tests::oauth::app_json_with;
use serde_json::json;

/// The "US" listener of the kit's server (codes work at either, like Zoho's data centres) and
/// the registration: authorize at the US server, tokens at `{accounts_server}`, both allowed.
async fn zoho(k: &Kit, client_secret: Option<&str>) -> TestResult<RunningOAuthServer> {
    let us = k.server.clone().start_local().await?;
    let mut extra = json!({
        "scopes": ["ZohoCRM.modules.ALL", "ZohoCRM.users.READ"],
        "scope_separator": ",",
        "client_auth": "post",
        "authorize_params": {"access_type": "offline", "prompt": "consent"},
        "callback_params": {"accounts-server": ACCOUNTS_SERVER},
        "token_fields": {"api_domain": API_DOMAIN},
        "default_settings": {ACCOUNTS_SERVER: us.base_url()},
        "allowed_hosts": [us.addr().to_string(), k.running.addr().to_string()],
    });
    if let Some(secret) = client_secret {
        extra["client_secret"] = json!(secret);
    }
    let authorize = format!("{}/oauth/v2/auth", us.base_url());
    let json = app_json_with(&authorize, "{accounts_server}/oauth/v2/token", true, extra);
    k.h.register_oauth_app_for(ZOHO, &json).await;
    k.server.set_callback_param("accounts-server", Some(&k.running.base_url()));
    Ok(us)
}

#[tokio::test]
async fn an_eu_user_is_connected_at_the_eu_accounts_server_and_its_api_domain_is_kept() -> TestResult {
    let k = kit_with(OAuthServerConfig::zoho(), |h| h).await;
    let us = zoho(&k, None).await?;
    let eu = &k.running;
    let conn = k.h.meeting_oauth_connection(TENANT, ZOHO).await;
    let url = k.authorize_url(&conn).await?;
    assert!(url.starts_with(&format!("{}/oauth/v2/auth?", us.base_url())), "{url}");
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    assert_eq!(param(q, "access_type").as_deref(), Some("offline"));
    assert_eq!(param(q, "prompt").as_deref(), Some("consent"));
    assert_eq!(param(q, "scope").as_deref(), Some("ZohoCRM.modules.ALL,ZohoCRM.users.READ"));

    let query = k.consent(&url).await?;
    assert_eq!(param(&query, "accounts-server"), Some(eu.base_url()));
    assert_eq!(param(&query, "location").as_deref(), Some("eu"));
    let answer = k.callback(&query).await?;
    assert_connected_without_sync(&k, &answer, &conn);

    // The code went to the EU accounts server, not to the US one the user started at.
    let calls = k.server.token_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!((calls[0].host.as_str(), calls[0].path.as_str()), (eu.addr().to_string().as_str(), "/oauth/v2/token"));
    let stored = k.h.reload(&conn).await;
    assert_eq!(stored.status, ConnectionStatus::Active);
    assert_eq!(stored.oauth.as_ref().map(|o| o.status), Some(AuthStatus::Authorized));
    assert_eq!(stored.settings.get(ACCOUNTS_SERVER), Some(&eu.base_url()));
    assert_eq!(stored.settings.get(API_DOMAIN), Some(&eu.base_url()), "api_domain of the token answer");
    assert!(!stored.settings.contains_key("location"), "only what the registration names is kept");
    let seen = connector_settings(&k, &stored).await?;
    assert_eq!(seen.get(API_DOMAIN), Some(&eu.base_url()), "the connector gets the API domain");
    let read = k.read(&conn).await?;
    assert_eq!(read.json["settings"][API_DOMAIN], json!(eu.base_url()), "visible in the API");

    // Refresh goes to the stored accounts server, and keeps a changed api_domain.
    k.server.set_token_field("api_domain", Some("https://www.zohoapis.eu"));
    k.h.clock.advance(Duration::minutes(50));
    let creds = connections::credentials(&k.h.deps, &stored).await?;
    let api_domain = creds.get(API_DOMAIN).map(|v| secrecy::ExposeSecret::expose_secret(v).to_string());
    assert_eq!(api_domain.as_deref(), Some("https://www.zohoapis.eu"), "this caller gets the new one at once");
    let calls = k.server.token_calls();
    assert_eq!(calls.len(), 2);
    assert_eq!((calls[1].host.clone(), calls[1].grant_type.as_str()), (eu.addr().to_string(), "refresh_token"));
    assert_eq!(calls[1].redirect_uri, None, "refreshes repeat redirect_uri only when the registration asks");
    let after = k.h.reload(&conn).await;
    assert_eq!(after.settings.get(API_DOMAIN).map(String::as_str), Some("https://www.zohoapis.eu"));
    assert_eq!(after.settings.get(ACCOUNTS_SERVER), Some(&eu.base_url()), "kept");
    // An unchanged api_domain saves nothing.
    k.h.clock.advance(Duration::minutes(50));
    connections::credentials(&k.h.deps, &after).await?;
    assert_eq!(k.h.reload(&conn).await.version, after.version);
    assert_eq!(k.server.stats().refresh_grants, 2);
    assert_eq!(sync_requests(&k), 0);
    Ok(())
}

#[tokio::test]
async fn without_accounts_server_the_default_data_centre_is_used() -> TestResult {
    let k = kit_with(OAuthServerConfig::zoho(), |h| h).await;
    let us = zoho(&k, None).await?;
    k.server.set_callback_param("accounts-server", None);
    let conn = k.h.meeting_oauth_connection(TENANT, ZOHO).await;
    let answer = k.connect(&conn).await?;
    assert_connected_without_sync(&k, &answer, &conn);
    let calls = k.server.token_calls();
    assert_eq!(calls.iter().map(|c| c.host.clone()).collect::<Vec<_>>(), [us.addr().to_string()]);
    assert_eq!(k.h.reload(&conn).await.settings.get(ACCOUNTS_SERVER), Some(&us.base_url()));
    Ok(())
}

#[tokio::test]
async fn an_accounts_server_outside_the_allow_list_is_refused_and_changes_nothing() -> TestResult {
    let k = kit_with(OAuthServerConfig::zoho(), |h| h).await;
    let _us = zoho(&k, None).await?;
    let unlisted_loopback = k.server.clone().start_local().await?;
    let bad = [
        "https://accounts.evil.example".to_string(),
        unlisted_loopback.base_url(),
        format!("{}/steal", k.running.base_url()),
        format!("{}?x=1", k.running.base_url()),
        format!("http://user:pw@{}", k.running.addr()),
        "https://accounts.zoho.eu".to_string(),
    ];
    let conn = k.h.meeting_oauth_connection(TENANT, ZOHO).await;
    for value in &bad {
        k.server.set_callback_param("accounts-server", Some(value));
        let answer = k.connect(&conn).await?;
        let (reason, message) = refusal(&answer);
        assert_eq!(reason, "invalid_callback", "{value}: {message}");
        assert_eq!(
            message,
            "Zoho CRM sent the sign-in back with accounts-server naming a host this Koppel deployment does not \
             allow (https only). Nothing was changed; start the connection again, or ask your administrator if it \
             keeps happening."
        );
        assert!(!answer.location.as_deref().unwrap_or_default().contains("evil"), "the value is not echoed");
        assert_untouched(&k, &conn).await;
    }
    assert!(k.server.token_calls().is_empty(), "the client secret went nowhere");
    assert_eq!(k.server.stats().code_grants, 0);
    Ok(())
}

#[tokio::test]
async fn errors_zoho_answers_with_http_200_are_refusals_with_their_message() -> TestResult {
    // Codes expire at once: the exchange gets Zoho's `{"error":"invalid_code"}` with HTTP 200.
    let config = OAuthServerConfig { code_ttl: StdDuration::ZERO, ..OAuthServerConfig::zoho() };
    let k = kit_with(config, |h| h).await;
    let _us = zoho(&k, None).await?;
    let conn = k.h.meeting_oauth_connection(TENANT, ZOHO).await;
    let (reason, message) = refusal(&k.connect(&conn).await?);
    assert_eq!(reason, "token_refused");
    assert_eq!(
        message,
        "Zoho CRM refused to give Koppel access (invalid_code: authorization code expired). Nothing was changed; \
         start the connection again."
    );
    assert_untouched(&k, &conn).await;

    let k = kit_with(OAuthServerConfig::zoho(), |h| h).await;
    let _us = zoho(&k, Some("not-the-client-secret")).await?;
    let conn = k.h.meeting_oauth_connection(TENANT, ZOHO).await;
    let (reason, message) = refusal(&k.connect(&conn).await?);
    assert_eq!(reason, "token_refused");
    assert!(message.contains("(invalid_client: client authentication failed)"), "{message}");
    assert!(!message.contains("not-the-client-secret"));
    assert_untouched(&k, &conn).await;
    Ok(())
}
