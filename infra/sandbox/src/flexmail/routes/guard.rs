//! What every API call passes, in order: counted; an injected fault, if one is due; HTTP
//! Basic (account id + token, 401 otherwise); the rate limit (429 + `Retry-After`). Only
//! then the endpoint, which is what the rate limit counts.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::reply::error;
use crate::faults::FaultKind;
use crate::flexmail::state::Shared;
use crate::state::lock;
use crate::stats::RequestLine;

pub async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let pattern = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let endpoint = format!("{method} {}", pattern.as_deref().unwrap_or(&path));
    lock(&shared.stats).arrived(&endpoint);
    let response = answer(&shared, &path, request, next).await;
    let status = response.status().as_u16();
    tracing::debug!(%method, %path, status, "flexmail sandbox answered");
    lock(&shared.stats).answered(RequestLine { method, path, query, status });
    response
}

async fn answer(shared: &Shared, path: &str, request: Request, next: Next) -> Response {
    let fault = lock(&shared.faults).take(path);
    if fault.is_some() {
        lock(&shared.stats).fault_served();
    }
    match fault {
        Some(FaultKind::RateLimit { retry_after_secs }) => return too_many(retry_after_secs),
        Some(FaultKind::ServerError { status }) => return server_error(status),
        Some(FaultKind::Slow { delay_ms }) => tokio::time::sleep(Duration::from_millis(delay_ms)).await,
        None => {}
    }
    let Some(account) = account(shared, request.headers()) else {
        let mut response = error(
            StatusCode::UNAUTHORIZED,
            "Invalid credentials: use the account id and a personal access token (HTTP Basic).",
            Vec::new(),
        );
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"Flexmail\""));
        return response;
    };
    let admitted = lock(&shared.limiter).admit(&account, Instant::now());
    if let Err(retry_after_secs) = admitted {
        lock(&shared.stats).throttled();
        return too_many(retry_after_secs);
    }
    lock(&shared.stats).served();
    next.run(request).await
}

/// The account id when the Basic credentials are the configured ones and not revoked.
fn account(shared: &Shared, headers: &HeaderMap) -> Option<String> {
    if shared.token_revoked.load(Ordering::SeqCst) {
        return None;
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let encoded = encoded.trim();
    let decoded = STANDARD.decode(encoded).or_else(|_| STANDARD_NO_PAD.decode(encoded)).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, password) = decoded.split_once(':')?;
    let config = &shared.config;
    (user == config.account_id && password == config.token).then(|| user.to_string())
}

fn too_many(retry_after_secs: u64) -> Response {
    let message = format!("Too many requests. Try again in {retry_after_secs} seconds.");
    let mut response = error(StatusCode::TOO_MANY_REQUESTS, message, Vec::new());
    if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn server_error(status: u16) -> Response {
    let status =
        StatusCode::from_u16(status).ok().filter(|s| s.is_server_error()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error(status, status.canonical_reason().unwrap_or("Server error"), Vec::new())
}
