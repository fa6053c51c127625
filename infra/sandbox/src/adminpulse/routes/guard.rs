//! What every API call passes, in order: counted; an injected fault, if one is due; the Bearer
//! (401 otherwise); the rate limit per bearer (429 + `Retry-After`), and for `POST
//! /documents/add` its own 50 a minute too; readiness ("not ready yet": 409 + `Retry-After`).
//! Only then the endpoint.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::time::Duration;

use super::error;
use crate::adminpulse::config::{NOT_READY_MESSAGE, NOT_READY_STATUS};
use crate::adminpulse::state::Shared;
use crate::faults::FaultKind;
use crate::state::lock;
use crate::stats::RequestLine;

/// The upload with its own limit [C AP-1].
const DOCUMENTS_ADD: &str = "/documents/add";

pub async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let pattern = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let endpoint = format!("{method} {}", pattern.as_deref().unwrap_or(&path));
    lock(&shared.stats).arrived(&endpoint);
    let response = answer(&shared, &path, request, next).await;
    let status = response.status().as_u16();
    tracing::debug!(%method, %path, status, "adminpulse sandbox answered");
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
    let Some(bearer) = bearer(request.headers()).filter(|b| shared.accepts(b)) else {
        let mut response = error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized: the token is missing, invalid or expired, or lacks the scope for this call.",
        );
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    };
    let now = shared.config.clock.now();
    let admitted = lock(&shared.limiter).admit(&bearer, now);
    if let Err(retry_after_secs) = admitted {
        lock(&shared.stats).throttled();
        return too_many(retry_after_secs);
    }
    if request.method() == Method::POST && path == DOCUMENTS_ADD {
        let admitted = lock(&shared.documents_limiter).admit(&bearer, now);
        if let Err(retry_after_secs) = admitted {
            let mut stats = lock(&shared.stats);
            stats.throttled();
            stats.documents_throttled();
            drop(stats);
            let message = format!(
                "Too many requests: at most 50 documents/add calls per minute. Try again in {retry_after_secs} seconds."
            );
            return with_retry_after(error(StatusCode::TOO_MANY_REQUESTS, message), retry_after_secs);
        }
    }
    let not_ready = lock(&shared.readiness).check(&bearer, now);
    if let Some(retry_after_secs) = not_ready {
        lock(&shared.stats).not_ready();
        let status = StatusCode::from_u16(NOT_READY_STATUS).unwrap_or(StatusCode::CONFLICT);
        return with_retry_after(error(status, NOT_READY_MESSAGE), retry_after_secs);
    }
    lock(&shared.stats).served();
    next.run(request).await
}

/// The Bearer value of `Authorization` (scheme case-insensitive), if any.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

fn too_many(retry_after_secs: u64) -> Response {
    let message = format!("Too many requests: at most 480 calls per minute. Try again in {retry_after_secs} seconds.");
    with_retry_after(error(StatusCode::TOO_MANY_REQUESTS, message), retry_after_secs)
}

fn with_retry_after(mut response: Response, secs: u64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn server_error(status: u16) -> Response {
    let status =
        StatusCode::from_u16(status).ok().filter(|s| s.is_server_error()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error(status, "An unexpected error occurred.")
}
