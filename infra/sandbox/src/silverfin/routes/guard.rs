//! What every API call passes, in order: counted; an injected fault, if one is due; the Bearer
//! (401 with Doorkeeper's body otherwise); the firm in the path (404 when it is not served). Only
//! then the endpoint.

use axum::Json;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;

use super::{doorkeeper, error};
use crate::silverfin::faults::SilverfinFaultKind;
use crate::silverfin::state::{Refusal, Shared};
use crate::state::{lock, read};
use crate::stats::RequestLine;

pub async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let pattern = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let endpoint = format!("{method} {}", pattern.as_deref().unwrap_or(&path));
    lock(&shared.stats).arrived(&endpoint);
    let response = answer(&shared, &method, &path, request, next).await;
    let status = response.status().as_u16();
    tracing::debug!(%method, %path, status, "silverfin sandbox answered");
    lock(&shared.stats).answered(RequestLine { method, path, query, status });
    response
}

async fn answer(shared: &Shared, method: &str, path: &str, request: Request, next: Next) -> Response {
    let fault = lock(&shared.faults).take(method, path, false);
    if fault.is_some() {
        lock(&shared.stats).snapshot.faults_served += 1;
    }
    match fault {
        Some(SilverfinFaultKind::RateLimit { retry_after_secs }) => return too_many(retry_after_secs),
        Some(SilverfinFaultKind::ServerError { status }) => return server_error(status),
        Some(SilverfinFaultKind::Answer { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            return (status, Json(body)).into_response();
        }
        Some(SilverfinFaultKind::Slow { delay_ms }) => tokio::time::sleep(Duration::from_millis(delay_ms)).await,
        Some(SilverfinFaultKind::StallAfterStore { .. }) | None => {}
    }
    if let Err(refusal) = shared.check(bearer(request.headers()).as_deref()) {
        let description = match refusal {
            Refusal::Missing => "No access token was sent.",
            Refusal::Unknown => "The access token is invalid",
            Refusal::Expired => "The access token expired",
            Refusal::Revoked => "The access token was revoked",
        };
        let mut response = doorkeeper(StatusCode::UNAUTHORIZED, "invalid_token", description);
        let challenge =
            format!("Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"{description}\"");
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
        }
        return response;
    }
    let firm = path.split('/').nth(4).unwrap_or_default();
    if read(&shared.store).firm_name(firm).is_none() {
        return error(StatusCode::NOT_FOUND, "Firm not found");
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
    let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Too many requests, please try again later");
    if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn server_error(status: u16) -> Response {
    let status =
        StatusCode::from_u16(status).ok().filter(|s| s.is_server_error()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error(status, "Internal server error")
}
