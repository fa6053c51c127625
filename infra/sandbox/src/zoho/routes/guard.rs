//! What every API call passes, in order: counted; an injected fault, if one is due (429 +
//! `Retry-After`, 5xx, slow); `Authorization: Zoho-oauthtoken …` (401 `AUTHENTICATION_FAILURE`
//! without one, `INVALID_TOKEN` for an unknown, expired or revoked token); for writes, a record
//! error on demand (nothing stored). Then the endpoint; a write with a "stall after store" fault
//! is stored and answered only after the delay.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

use super::{record_error, request_error};
use crate::faults::FaultKind;
use crate::state::lock;
use crate::stats::RequestLine;
use crate::zoho::faults::WriteFaultKind;
use crate::zoho::state::Shared;

pub async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let pattern = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let endpoint = format!("{method} {}", pattern.as_deref().unwrap_or(&path));
    lock(&shared.stats).arrived(&endpoint);
    let response = answer(&shared, &method, &path, request, next).await;
    let status = response.status().as_u16();
    tracing::debug!(%method, %path, status, "zoho sandbox answered");
    lock(&shared.stats).answered(RequestLine { method: method.to_string(), path, query, status });
    response
}

async fn answer(shared: &Shared, method: &Method, path: &str, request: Request, next: Next) -> Response {
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
    match token(request.headers()) {
        None => {
            return request_error(
                StatusCode::UNAUTHORIZED,
                "AUTHENTICATION_FAILURE",
                "Authentication failed",
                json!({}),
            );
        }
        Some(t) if !shared.accepts(&t) => {
            return request_error(StatusCode::UNAUTHORIZED, "INVALID_TOKEN", "invalid oauth token", json!({}));
        }
        Some(_) => {}
    }
    let write = matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    let write_fault = if write { lock(&shared.write_faults).take(path) } else { None };
    if write_fault.is_some() {
        lock(&shared.stats).fault_served();
    }
    match write_fault {
        Some(WriteFaultKind::RecordError { status, code, message, api_name }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            record_error(status, &code, &message, json!({"api_name": api_name}))
        }
        Some(WriteFaultKind::StallAfterStore { delay_ms }) => {
            let response = next.run(request).await;
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            response
        }
        None => next.run(request).await,
    }
}

/// The token of `Authorization: Zoho-oauthtoken <token>` (scheme case-insensitive).
fn token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("zoho-oauthtoken") && !token.is_empty()).then(|| token.to_string())
}

fn too_many(retry_after_secs: u64) -> Response {
    let mut response = request_error(
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
        "You have reached the concurrency limit or the API credits of your organisation.",
        json!({}),
    );
    if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn server_error(status: u16) -> Response {
    let status =
        StatusCode::from_u16(status).ok().filter(|s| s.is_server_error()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    request_error(status, "INTERNAL_ERROR", "Internal Server Error", json!({}))
}
