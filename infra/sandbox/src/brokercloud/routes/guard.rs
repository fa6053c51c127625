//! What every API call passes, in order: counted; an injected fault, if one is due; the Bearer
//! (401 in the OAuth server's shape otherwise). Only then the endpoint.

use axum::Json;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

use super::error;
use crate::brokercloud::state::Shared;
use crate::faults::FaultKind;
use crate::state::lock;
use crate::stats::RequestLine;

pub async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let pattern = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    lock(&shared.stats).arrived(&format!("{method} {}", pattern.as_deref().unwrap_or(&path)));
    let response = answer(&shared, &path, request, next).await;
    let status = response.status().as_u16();
    tracing::debug!(%method, %path, status, "brokercloud sandbox answered");
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
    if !bearer(request.headers()).is_some_and(|t| shared.accepts(&t)) {
        lock(&shared.stats).unauthorized();
        let body = json!({"error": "invalid_grant", "error_description": "The access token provided is invalid."});
        let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
        let challenge = HeaderValue::from_static("Bearer realm=\"Service\", error=\"invalid_grant\"");
        response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
        return response;
    }
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
    let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Too many requests, slow down.");
    if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn server_error(status: u16) -> Response {
    let status =
        StatusCode::from_u16(status).ok().filter(|s| s.is_server_error()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error(status, "Internal Server Error")
}
