use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use tower::ServiceExt;

use super::*;

const SECRET: &str = "test-secret-0123456789";

fn secret() -> SecretString {
    SecretString::from(SECRET)
}

fn app(dev: bool, claim: &str) -> Router {
    let auth = AuthConfig { tenant_claim: claim.into(), dev_secret: dev.then(secret) };
    Router::new().route("/who", get(|Tenant(t): Tenant| async move { t })).with_state(auth)
}

async fn call<B>(app: Router, req: Request<B>) -> (StatusCode, HeaderMap, String)
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let res = app.oneshot(req).await.unwrap_or_else(|e| match e {});
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.map(|b| b.to_vec()).unwrap_or_default();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn bearer(token: &str) -> Request<Body> {
    Request::get("/who")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap_or_default()
}

fn signed(claims: serde_json::Value, key: &str, alg: Algorithm) -> String {
    jsonwebtoken::encode(&Header::new(alg), &claims, &EncodingKey::from_secret(key.as_bytes())).unwrap_or_default()
}

/// An API Gateway HTTP API (payload 2.0) event whose JWT authorizer passed with `claims`.
fn gateway_event(claims: serde_json::Value) -> lambda_http::Request {
    let event = serde_json::json!({
        "version": "2.0", "routeKey": "GET /who", "rawPath": "/who", "rawQueryString": "",
        "headers": {"host": "api.example.test"},
        "requestContext": {
            "routeKey": "GET /who", "accountId": "123456789012", "stage": "$default", "requestId": "r1",
            "apiId": "api", "domainName": "api.example.test", "time": "21/Nov/2026:12:00:00 +0000",
            "timeEpoch": 0, "http": {"method": "GET", "path": "/who", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"},
            "authorizer": {"jwt": {"claims": claims, "scopes": null}}
        },
        "isBase64Encoded": false
    });
    match lambda_http::request::from_str(&event.to_string()) {
        Ok(req) => req,
        Err(e) => panic!("the test event does not parse: {e}"),
    }
}

#[tokio::test]
async fn no_credentials_is_401_with_the_error_shape() {
    for dev in [false, true] {
        let (status, headers, body) =
            call(app(dev, "tenant_id"), Request::get("/who").body(Body::empty()).unwrap_or_default()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(headers.get(header::WWW_AUTHENTICATE).map(|v| v.as_bytes()), Some(&b"Bearer"[..]));
        let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        assert_eq!(json["error"], "unauthorized", "{body}");
        assert!(json["hint"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn a_dev_token_names_the_tenant() {
    let token = dev_token(&secret(), "acme-1", 300);
    let (status, _, body) = call(app(true, "tenant_id"), bearer(&token)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "acme-1"));
}

#[tokio::test]
async fn dev_tokens_are_refused_when_no_dev_secret_is_configured() {
    let token = dev_token(&secret(), "acme-1", 300);
    let (status, _, body) = call(app(false, "tenant_id"), bearer(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(!body.contains(&token));
}

#[tokio::test]
async fn bad_dev_tokens_are_401_with_a_reason_and_never_echoed() {
    let exp = chrono::Utc::now().timestamp() + 300;
    let cases = [
        (signed(serde_json::json!({"tenant_id": "t", "exp": exp}), "another-secret", Algorithm::HS256), "signature"),
        (signed(serde_json::json!({"tenant_id": "t", "exp": exp - 3600}), SECRET, Algorithm::HS256), "expired"),
        (signed(serde_json::json!({"tenant_id": "t"}), SECRET, Algorithm::HS256), "exp"),
        (signed(serde_json::json!({"tenant_id": "t", "exp": exp}), SECRET, Algorithm::HS512), "HS256"),
        ("not.a.jwt".to_string(), "well-formed"),
    ];
    for (token, reason) in cases {
        let (status, _, body) = call(app(true, "tenant_id"), bearer(&token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{reason}: {body}");
        assert!(body.contains(reason), "{reason}: {body}");
        assert!(!body.contains(&token), "the token is echoed: {body}");
    }
    let basic =
        Request::get("/who").header(header::AUTHORIZATION, "Basic dTpw").body(Body::empty()).unwrap_or_default();
    let (status, _, body) = call(app(true, "tenant_id"), basic).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("Bearer <token>"), "{body}");
}

#[tokio::test]
async fn unusable_tenants_are_403() {
    let exp = chrono::Utc::now().timestamp() + 300;
    for claims in [
        serde_json::json!({"exp": exp}),
        serde_json::json!({"tenant_id": "", "exp": exp}),
        serde_json::json!({"tenant_id": "a#b", "exp": exp}),
        serde_json::json!({"tenant_id": "x".repeat(129), "exp": exp}),
    ] {
        let (status, _, body) =
            call(app(true, "tenant_id"), bearer(&signed(claims.clone(), SECRET, Algorithm::HS256))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{claims}: {body}");
        assert!(body.contains("\"forbidden\""), "{body}");
    }
}

#[tokio::test]
async fn api_gateway_claims_are_trusted_without_a_dev_secret() {
    let req = gateway_event(serde_json::json!({"custom:tenant": "tenant-gw", "sub": "u1"}));
    let (status, _, body) = call(app(false, "custom:tenant"), req).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "tenant-gw"));
}

#[tokio::test]
async fn api_gateway_claims_without_the_tenant_claim_are_403() {
    let req = gateway_event(serde_json::json!({"sub": "u1"}));
    let (status, _, body) = call(app(true, "tenant_id"), req).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("tenant_id"), "{body}");
    let req = gateway_event(serde_json::json!({"tenant_id": "bad tenant"}));
    let (status, _, _) = call(app(false, "tenant_id"), req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[test]
fn tenant_ids() {
    for ok in ["t1", "acme.nl", "a@b", "A-Z_0.9", &"x".repeat(128)] {
        assert_eq!(check_tenant(ok), Ok(()), "{ok}");
    }
    for bad in ["", "a#b", "a b", "a/b", "org:42", "é", &"x".repeat(129)] {
        assert!(check_tenant(bad).is_err(), "{bad}");
    }
}

/// A router answering `tenant|user|group,group` for the [`Caller`] extractor.
fn caller_app(dev: bool) -> Router {
    let auth = AuthConfig { tenant_claim: "tenant_id".into(), dev_secret: dev.then(secret) };
    let who = |c: Caller| async move { format!("{}|{}|{}", c.tenant, c.user.unwrap_or_default(), c.groups.join(",")) };
    Router::new().route("/who", get(who)).with_state(auth)
}

#[tokio::test]
async fn a_dev_token_carries_the_user_and_groups() {
    let token = dev_token_for(&secret(), "acme-1", Some("u-17"), &["sales", "admins"], 300);
    let (status, _, body) = call(caller_app(true), bearer(&token)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "acme-1|u-17|sales,admins"));
    // Without sub and groups: a service call (no user), and the Tenant extractor is unchanged.
    let plain = dev_token(&secret(), "acme-1", 300);
    let (status, _, body) = call(caller_app(true), bearer(&plain)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "acme-1||"));
    let (status, _, body) = call(app(true, "tenant_id"), bearer(&token)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "acme-1"));
    // groups as one comma-separated string
    let exp = chrono::Utc::now().timestamp() + 300;
    let claims = serde_json::json!({"tenant_id": "t", "sub": "u", "groups": "a, b", "exp": exp});
    let (_, _, body) = call(caller_app(true), bearer(&signed(claims, SECRET, Algorithm::HS256))).await;
    assert_eq!(body, "t|u|a,b");
}

#[tokio::test]
async fn api_gateway_string_claims_give_the_user_and_groups() {
    for (groups, expected) in [
        (serde_json::json!("[sales admins]"), "sales,admins"),
        (serde_json::json!("[\"sales\",\"admins\"]"), "sales,admins"),
        (serde_json::json!("sales,admins"), "sales,admins"),
        (serde_json::json!(""), ""),
    ] {
        let req = gateway_event(serde_json::json!({"tenant_id": "gw", "sub": "u-9", "groups": groups}));
        let (status, _, body) = call(caller_app(false), req).await;
        assert_eq!((status, body), (StatusCode::OK, format!("gw|u-9|{expected}")), "{groups}");
    }
    let req = gateway_event(serde_json::json!({"tenant_id": "gw"}));
    let (_, _, body) = call(caller_app(false), req).await;
    assert_eq!(body, "gw||", "no sub: a service call");
    let req = gateway_event(serde_json::json!({"sub": "u-9"}));
    let (status, _, _) = call(caller_app(false), req).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the tenant is still required");
}

#[test]
fn group_claim_forms() {
    assert_eq!(parse_groups("[a b  c]"), ["a", "b", "c"]);
    assert_eq!(parse_groups("[a,b]"), ["a", "b"]);
    assert_eq!(parse_groups("[\"team one\", \"b\"]"), ["team one", "b"]);
    assert_eq!(parse_groups("team one, b ,,b"), ["team one", "b"]);
    assert_eq!(parse_groups("  "), Vec::<String>::new());
    assert_eq!(parse_groups("[]"), Vec::<String>::new());
}
