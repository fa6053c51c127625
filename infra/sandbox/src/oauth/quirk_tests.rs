//! The provider quirks over HTTP on 127.0.0.1: extra callback parameters and token fields,
//! alias paths, errors as HTTP 200, two listeners of one server.

use reqwest::StatusCode;
use serde_json::Value;

use super::*;

const VERIFIER: &str = "dBjftJeZ4CVP-mB0tHcMpSAKbwmA0u7FTMDgE9R3OvU";

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// Authorize at `base{path}` and return the redirect's query pairs.
async fn authorize_at(base: &str, path: &str) -> Vec<(String, String)> {
    let url = format!(
        "{base}{path}?response_type=code&client_id={DEMO_CLIENT_ID}&redirect_uri={}&state=s1&code_challenge={}&code_challenge_method=S256",
        percent_encode(DEMO_REDIRECT_URI),
        s256_challenge(VERIFIER)
    );
    let response = client().get(url).send().await.expect("authorize");
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    crate::odata::pairs(location.split_once('?').map(|(_, q)| q).unwrap_or(""))
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

async fn post_token(url: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut all = vec![("client_id", DEMO_CLIENT_ID), ("client_secret", DEMO_CLIENT_SECRET)];
    all.extend_from_slice(form);
    let response = client().post(url).form(&all).send().await.expect("token");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn exchange_at(url: &str, code: &str) -> (StatusCode, Value) {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", DEMO_REDIRECT_URI),
        ("code_verifier", VERIFIER),
    ];
    post_token(url, &form).await
}

#[tokio::test]
async fn zoho_callback_names_the_data_centre_and_token_answers_carry_api_domain() {
    let eu = OAuthServer::new(OAuthServerConfig::zoho()).start_local().await.expect("start eu");
    // The "US" listener of the same server: its codes work at the EU one.
    let us = eu.server().start_local().await.expect("start us");
    let pairs = authorize_at(&us.base_url(), "/oauth/v2/auth").await;
    assert_eq!(value(&pairs, "location"), Some("eu"));
    assert_eq!(value(&pairs, "accounts-server"), Some(us.base_url().as_str()), "{{base_url}} is the listener asked");
    eu.server().set_callback_param("accounts-server", Some(&eu.base_url()));
    let pairs = authorize_at(&us.base_url(), "/oauth/v2/auth").await;
    assert_eq!(value(&pairs, "accounts-server"), Some(eu.base_url().as_str()));
    let code = value(&pairs, "code").expect("code").to_string();

    let (status, body) = exchange_at(&format!("{}/oauth/v2/token", eu.base_url()), &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["api_domain"].as_str(), Some(eu.base_url().as_str()));
    let refresh = body["refresh_token"].as_str().expect("refresh").to_string();
    let calls = eu.server().token_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].host, eu.addr().to_string());
    assert_eq!((calls[0].path.as_str(), calls[0].grant_type.as_str()), ("/oauth/v2/token", "authorization_code"));

    // Refresh answers carry api_domain too, and no new refresh token (no rotation).
    let (status, body) =
        post_token(&eu.token_url(), &[("grant_type", "refresh_token"), ("refresh_token", &refresh)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["api_domain"].is_string() && body.get("refresh_token").is_none(), "{body}");

    // Errors come back as HTTP 200 with Zoho's code.
    let (status, body) = exchange_at(&eu.token_url(), &code).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::OK, Some("invalid_code")), "{body}");
    let (status, body) = post_token(&eu.token_url(), &[("grant_type", "password")]).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::OK, Some("unsupported_grant_type")));
    eu.server().set_token_field("api_domain", None);
    let pair = eu.server().issue_tokens();
    let form = [("grant_type", "refresh_token"), ("refresh_token", pair.refresh_token.as_str())];
    let (_, body) = post_token(&eu.token_url(), &form).await;
    assert!(body.get("api_domain").is_none(), "removed: {body}");
}

#[tokio::test]
async fn silverfin_token_path_carries_the_firm_and_faults_hit_alias_paths() {
    let running = OAuthServer::new(OAuthServerConfig::silverfin("4321")).start_local().await.expect("start");
    let pairs = authorize_at(&running.base_url(), AUTHORIZE_PATH).await;
    assert_eq!(value(&pairs, "authorized_firm_id"), Some("4321"));
    let code = value(&pairs, "code").expect("code").to_string();
    let server = running.server();
    server.token_server_error(1, 503);
    let url = format!("{}/f/4321/oauth/token", running.base_url());
    let (status, _) = exchange_at(&url, &code).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "a token fault hits the firm path too");
    let (status, body) = exchange_at(&url, &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let paths: Vec<String> = server.token_calls().into_iter().map(|c| c.path).collect();
    assert_eq!(paths, ["/f/4321/oauth/token"], "the faulted request never reached the endpoint");
    let (status, _) = exchange_at(&format!("{}/f/4321/other", running.base_url()), &code).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn brokercloud_paths_are_aliases_of_the_generic_ones() {
    let running = OAuthServer::new(OAuthServerConfig::brokercloud()).start_local().await.expect("start");
    let pairs = authorize_at(&running.base_url(), "/oauth/v2/auth").await;
    assert_eq!(pairs.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["code", "state"], "no extra params");
    let code = value(&pairs, "code").expect("code").to_string();
    let (status, body) = exchange_at(&format!("{}/oauth/v2/token", running.base_url()), &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("api_domain").is_none());
    let (status, body) = exchange_at(&running.token_url(), &code).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some(INVALID_GRANT)), "spent");
}

#[test]
fn path_patterns_match_one_segment_per_placeholder() {
    use super::state::path_matches;
    assert!(path_matches("/f/{firm}/oauth/token", "/f/12/oauth/token"));
    assert!(!path_matches("/f/{firm}/oauth/token", "/f//oauth/token"));
    assert!(!path_matches("/f/{firm}/oauth/token", "/f/1/2/oauth/token"));
    assert!(path_matches("/oauth/v2/token", "/oauth/v2/token"));
    assert!(!path_matches("/oauth/v2/token", "/oauth/v2/token/x"));
}
