//! Brokercloud's sign-in against the stand-in in its Brokercloud flavour (`/oauth/v2/auth` and
//! `/oauth/v2/token`): a plain registration, nothing kept, tested and activated without a first
//! sync (Brokercloud only receives meetings).

mod common;

use common::meetings::*;
use common::*;
use koppel_core::domain::catalog_push::BROKERCLOUD;
use koppel_core::domain::connection::ConnectionStatus;
use koppel_core::domain::oauth::AuthStatus;
use koppel_sandbox::oauth::OAuthServerConfig;
use koppel_tests::harness::TENANT;
use koppel_tests::oauth::app_json_with;
use serde_json::json;

#[tokio::test]
async fn connects_on_the_v2_paths_and_requests_no_sync() -> TestResult {
    let k = kit_with(OAuthServerConfig::brokercloud(), |h| h).await;
    let base = k.running.base_url();
    let json = app_json_with(
        &format!("{base}/oauth/v2/auth"),
        &format!("{base}/oauth/v2/token"),
        true,
        json!({"client_auth": "post", "scopes": null}),
    );
    k.h.register_oauth_app_for(BROKERCLOUD, &json).await;
    let conn = k.h.meeting_oauth_connection(TENANT, BROKERCLOUD).await;
    let url = k.authorize_url(&conn).await?;
    assert!(url.starts_with(&format!("{base}/oauth/v2/auth?")), "{url}");
    assert_eq!(param(url.split_once('?').map(|(_, q)| q).unwrap_or_default(), "scope"), None, "no scopes");
    let answer = k.connect(&conn).await?;
    assert_connected_without_sync(&k, &answer, &conn);
    let paths: Vec<String> = k.server.token_calls().into_iter().map(|c| c.path).collect();
    assert_eq!(paths, ["/oauth/v2/token"]);
    let stored = k.h.reload(&conn).await;
    assert_eq!(stored.status, ConnectionStatus::Active);
    assert_eq!(stored.oauth.map(|o| o.status), Some(AuthStatus::Authorized));
    assert!(stored.settings.is_empty(), "nothing to keep: {:?}", stored.settings);
    Ok(())
}
