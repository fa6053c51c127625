//! The stand-in over HTTP on 127.0.0.1: the flow, PKCE, denial, rotation, revocation, faults.

use reqwest::StatusCode;
use serde_json::Value;

use super::*;
use crate::bearer::BearerAuthority;

const VERIFIER: &str = "dBjftJeZ4CVP-mB0tHcMpSAKbwmA0u7FTMDgE9R3OvU";

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

async fn start(config: OAuthServerConfig) -> RunningOAuthServer {
    OAuthServer::new(config).start_local().await.expect("start")
}

/// Authorize and return the `Location` the browser is sent to.
async fn authorize(running: &RunningOAuthServer, redirect: &str, challenge: Option<&str>) -> (StatusCode, String) {
    let mut url = format!(
        "{}?response_type=code&client_id={DEMO_CLIENT_ID}&redirect_uri={}&state=s%2Ft%3D1",
        running.authorize_url(),
        percent_encode(redirect)
    );
    if let Some(c) = challenge {
        url.push_str(&format!("&code_challenge={c}&code_challenge_method=S256"));
    }
    let response = client().get(url).send().await.expect("authorize");
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (response.status(), location)
}

fn query_value(location: &str, name: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    crate::odata::pairs(query).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

async fn token(running: &RunningOAuthServer, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = client()
        .post(running.token_url())
        .basic_auth(DEMO_CLIENT_ID, Some(DEMO_CLIENT_SECRET))
        .form(form)
        .send()
        .await
        .expect("token");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn exchange(running: &RunningOAuthServer, code: &str, verifier: &str) -> (StatusCode, Value) {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", DEMO_REDIRECT_URI),
        ("code_verifier", verifier),
    ];
    token(running, &form).await
}

fn text<'a>(body: &'a Value, field: &str) -> &'a str {
    body[field].as_str().unwrap_or("")
}

#[tokio::test]
async fn code_flow_with_pkce_issues_tokens_the_server_accepts_once() {
    let running = start(OAuthServerConfig::default()).await;
    let (status, location) = authorize(&running, DEMO_REDIRECT_URI, Some(&s256_challenge(VERIFIER))).await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(location.starts_with(DEMO_REDIRECT_URI), "{location}");
    assert_eq!(query_value(&location, "state").as_deref(), Some("s/t=1"), "state comes back unchanged");
    let code = query_value(&location, "code").expect("code");

    let (status, body) = exchange(&running, &code, "wrong-verifier-wrong-verifier-wrong-verifier").await;
    assert_eq!((status, text(&body, "error")), (StatusCode::BAD_REQUEST, "invalid_grant"));
    // The failed exchange spent the code: a new authorization is needed.
    let (_, location) = authorize(&running, DEMO_REDIRECT_URI, Some(&s256_challenge(VERIFIER))).await;
    let code = query_value(&location, "code").expect("code");
    let (status, body) = exchange(&running, &code, VERIFIER).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["expires_in"], 3600);
    let server = running.server();
    assert!(server.accepts(text(&body, "access_token")));
    assert!(server.refresh_token_valid(text(&body, "refresh_token")));
    assert!(server.issued_secrets().contains(&code));

    let (status, body) = exchange(&running, &code, VERIFIER).await;
    assert_eq!((status, text(&body, "error")), (StatusCode::BAD_REQUEST, "invalid_grant"), "a code works once");
    assert_eq!(server.stats().code_grants, 3);
}

#[tokio::test]
async fn authorize_checks_client_redirect_and_pkce_and_can_deny() {
    let running = start(OAuthServerConfig::default()).await;
    let (status, location) = authorize(&running, "http://127.0.0.1:9000/oauth/callback/", None).await;
    assert_eq!((status, location.as_str()), (StatusCode::BAD_REQUEST, ""), "no redirect to an unregistered URI");
    let (status, location) = authorize(&running, DEMO_REDIRECT_URI, None).await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(query_value(&location, "error").as_deref(), Some("invalid_request"), "PKCE required");

    running.server().deny_next_authorize();
    let (_, location) = authorize(&running, DEMO_REDIRECT_URI, Some(&s256_challenge(VERIFIER))).await;
    assert_eq!(query_value(&location, "error").as_deref(), Some("access_denied"));
    assert_eq!(query_value(&location, "state").as_deref(), Some("s/t=1"));
    assert_eq!(query_value(&location, "code"), None);
    let (_, location) = authorize(&running, DEMO_REDIRECT_URI, Some(&s256_challenge(VERIFIER))).await;
    assert!(query_value(&location, "code").is_some(), "only the next one is denied");

    running.server().allow_redirect_uri("http://127.0.0.1:1/cb");
    let (status, _) = authorize(&running, "http://127.0.0.1:1/cb", Some("x")).await;
    assert_eq!(status, StatusCode::FOUND);
    let stats = running.server().stats();
    assert_eq!((stats.authorize_requests, stats.authorize_denied), (5, 1));
}

#[tokio::test]
async fn rotation_spends_the_refresh_token_and_revocation_refuses_it() {
    let running = start(OAuthServerConfig::default()).await;
    let server = running.server();
    let pair = server.issue_tokens();
    let (status, body) =
        token(&running, &[("grant_type", "refresh_token"), ("refresh_token", &pair.refresh_token)]).await;
    assert_eq!(status, StatusCode::OK);
    let next = text(&body, "refresh_token").to_string();
    assert!(!next.is_empty() && next != pair.refresh_token);
    let (status, body) =
        token(&running, &[("grant_type", "refresh_token"), ("refresh_token", &pair.refresh_token)]).await;
    assert_eq!((status, text(&body, "error")), (StatusCode::BAD_REQUEST, "invalid_grant"), "single use");
    server.revoke_all();
    assert!(!server.accepts(&pair.access_token));
    let (_, body) = token(&running, &[("grant_type", "refresh_token"), ("refresh_token", &next)]).await;
    assert_eq!(text(&body, "error"), "invalid_grant");
    let stats = server.stats();
    assert_eq!((stats.refresh_grants, stats.invalid_grants), (3, 2));
}

#[tokio::test]
async fn without_rotation_the_answer_has_no_refresh_token_and_the_old_one_still_works() {
    let running = start(OAuthServerConfig { refresh_rotation: false, ..Default::default() }).await;
    let pair = running.server().issue_tokens();
    for _ in 0..2 {
        let (status, body) =
            token(&running, &[("grant_type", "refresh_token"), ("refresh_token", &pair.refresh_token)]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.get("refresh_token").is_none(), "{body}");
    }
}

#[tokio::test]
async fn client_authentication_and_faults() {
    let running = start(OAuthServerConfig::default()).await;
    let pair = running.server().issue_tokens();
    let form = [("grant_type", "refresh_token"), ("refresh_token", pair.refresh_token.as_str())];
    let response = client().post(running.token_url()).basic_auth(DEMO_CLIENT_ID, Some("nope")).form(&form).send().await;
    let response = response.expect("send");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let form_auth = [form[0], form[1], ("client_id", DEMO_CLIENT_ID), ("client_secret", DEMO_CLIENT_SECRET)];
    let response = client().post(running.token_url()).form(&form_auth).send().await.expect("send");
    assert_eq!(response.status(), StatusCode::OK, "client_secret_post works too");

    running.server().token_server_error(1, 503);
    let (_, body) = token(&running, &[("grant_type", "password")]).await;
    assert_eq!(text(&body, "error"), "server_error");
    let (status, body) = token(&running, &[("grant_type", "password")]).await;
    assert_eq!((status, text(&body, "error")), (StatusCode::BAD_REQUEST, "unsupported_grant_type"));
    assert_eq!(running.server().stats().faults_served, 1);
}
