//! The token endpoint and the two checks every `/v2` call passes: the subscription key
//! (APIM, checked first) and the bearer token.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

use crate::odata::pairs;
use crate::state::{Shared, lock};

/// `POST /b2b/token`, form `grant_type=clientkey&clientkey=…`. A wrong or missing key is a
/// 400 `{"error":"invalid_grant"}` — the real body shape is unconfirmed (U).
pub async fn token(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let form = pairs(&String::from_utf8_lossy(&body));
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if field("grant_type") != Some("clientkey") {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "unsupported_grant_type"}))).into_response();
    }
    if field("clientkey") != Some(shared.config.client_key.as_str()) {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant"}))).into_response();
    }
    let ttl = shared.config.token_ttl;
    let token = lock(&shared.tokens).issue(ttl);
    lock(&shared.stats).token_issued();
    Json(json!({"access_token": token, "token_type": "bearer", "expires_in": ttl.as_secs()})).into_response()
}

pub async fn require_keys(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if header_text(headers, "ocp-apim-subscription-key") != Some(shared.config.subscription_key.as_str()) {
        let message = "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";
        return (StatusCode::UNAUTHORIZED, Json(json!({"statusCode": 401, "message": message}))).into_response();
    }
    let token = header_text(headers, header::AUTHORIZATION.as_str())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim());
    if !token.is_some_and(|t| lock(&shared.tokens).is_valid(t)) {
        let mut response =
            (StatusCode::UNAUTHORIZED, Json(json!({"message": "Authorization has been denied for this request."})))
                .into_response();
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    next.run(request).await
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
