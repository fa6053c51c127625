//! `POST /oauth/token` (form): `authorization_code` (with the PKCE check) and `refresh_token`.
//! Client authentication by HTTP Basic or by `client_id`/`client_secret` in the form. Errors
//! are RFC 6749 §5.2 JSON (`invalid_grant`, `invalid_client`, …), answers carry
//! `Cache-Control: no-store`. Served on `/oauth/token` and the configured extra token paths;
//! with `errors_as_200` errors come back as HTTP 200 (Zoho), and token answers carry the
//! configured extra fields (Zoho's `api_domain`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

use super::sha256::s256_challenge;
use super::state::{Shared, TokenCall, with_base_url};
use crate::odata::{decode, pairs};
use crate::state::lock;

pub async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri, body: Bytes) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_string);
    let response = answer(&shared, &headers, host.as_deref(), &uri, &body);
    if shared.config.errors_as_200 && response.status() != StatusCode::OK {
        let mut response = response;
        *response.status_mut() = StatusCode::OK;
        response.headers_mut().remove(header::WWW_AUTHENTICATE);
        return response;
    }
    response
}

fn answer(shared: &Shared, headers: &HeaderMap, host: Option<&str>, uri: &Uri, body: &[u8]) -> Response {
    let form = pairs(&String::from_utf8_lossy(body));
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let grant_type = field("grant_type");
    {
        let mut book = lock(&shared.book);
        match grant_type {
            Some("authorization_code") => book.stats.code_grants += 1,
            Some("refresh_token") => book.stats.refresh_grants += 1,
            _ => {}
        }
        book.record_call(TokenCall {
            host: host.unwrap_or_default().to_string(),
            path: uri.path().to_string(),
            grant_type: grant_type.unwrap_or_default().to_string(),
            redirect_uri: field("redirect_uri").map(str::to_string),
        });
    }
    let client = basic_client(headers).or_else(|| Some((field("client_id")?.into(), field("client_secret")?.into())));
    let authenticated =
        client.is_some_and(|(id, secret)| id == shared.config.client_id && secret == shared.config.client_secret);
    if !authenticated {
        let mut response = error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed");
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic"));
        return response;
    }
    match grant_type {
        Some("authorization_code") => {
            code_grant(shared, host, field("code"), field("redirect_uri"), field("code_verifier"))
        }
        Some("refresh_token") => refresh_grant(shared, host, field("refresh_token")),
        _ => error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "use authorization_code or refresh_token"),
    }
}

fn code_grant(
    shared: &Shared,
    host: Option<&str>,
    code: Option<&str>,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
) -> Response {
    let invalid_grant = shared.config.invalid_grant_error.as_str();
    let mut book = lock(&shared.book);
    let Some(code) = code else {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "code is missing");
    };
    // A code is spent by its first exchange, right or wrong (RFC 6749 §4.1.2: single use).
    let Some(pending) = book.codes.remove(code) else {
        book.stats.invalid_grants += 1;
        return error(StatusCode::BAD_REQUEST, invalid_grant, "authorization code unknown or already used");
    };
    let problem = if pending.expires <= Instant::now() {
        Some("authorization code expired")
    } else if redirect_uri != Some(pending.redirect_uri.as_str()) {
        Some("redirect_uri does not match the authorization request")
    } else {
        match (&pending.code_challenge, verifier) {
            (Some(_), None) => Some("code_verifier is missing"),
            (Some(challenge), Some(v)) if &s256_challenge(v) != challenge => Some("code_verifier does not match"),
            _ => None,
        }
    };
    if let Some(problem) = problem {
        book.stats.invalid_grants += 1;
        return error(StatusCode::BAD_REQUEST, invalid_grant, problem);
    }
    let (access, refresh) = book.issue(shared.config.access_token_ttl, true);
    let extra = book.token_fields.clone();
    tokens(shared, host, &extra, &access, refresh.as_deref())
}

fn refresh_grant(shared: &Shared, host: Option<&str>, refresh_token: Option<&str>) -> Response {
    let mut book = lock(&shared.book);
    let Some(presented) = refresh_token else {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "refresh_token is missing");
    };
    if !book.refresh.contains(presented) {
        book.stats.invalid_grants += 1;
        let code = shared.config.invalid_grant_error.as_str();
        return error(StatusCode::BAD_REQUEST, code, "refresh token unknown, revoked or already used");
    }
    let rotate = shared.config.refresh_rotation;
    if rotate {
        book.refresh.remove(presented);
    }
    let (access, refresh) = book.issue(shared.config.access_token_ttl, rotate);
    let extra = book.token_fields.clone();
    tokens(shared, host, &extra, &access, refresh.as_deref())
}

fn tokens(
    shared: &Shared,
    host: Option<&str>,
    extra: &[(String, String)],
    access: &str,
    refresh: Option<&str>,
) -> Response {
    let mut body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": shared.config.access_token_ttl.as_secs(),
        "scope": shared.config.scope,
    });
    if let Value::Object(map) = &mut body {
        if let Some(refresh) = refresh {
            map.insert("refresh_token".into(), Value::String(refresh.into()));
        }
        for (name, value) in extra {
            map.insert(name.clone(), Value::String(with_base_url(value, host)));
        }
    }
    no_store((StatusCode::OK, Json(body)).into_response())
}

pub fn error(status: StatusCode, code: &str, description: &str) -> Response {
    no_store((status, Json(json!({"error": code, "error_description": description}))).into_response())
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
fn basic_client(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((decode(id), decode(secret)))
}
