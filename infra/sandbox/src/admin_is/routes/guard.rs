//! What every API call passes, in order: counted; 414 when the address is longer than the
//! server takes; read-only (anything but GET is refused); an injected fault, if one is due; the
//! rate limit (the throttling 403); the `synetonToken` (401), except on the token call itself.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::time::Duration;

use super::reply::error;
use crate::admin_is::config::{NO_PERMISSION_MESSAGE, THROTTLED_MESSAGE, TOKEN_HEADER};
use crate::admin_is::faults::AdminIsFaultKind;
use crate::admin_is::state::Shared;
use crate::state::lock;
use crate::stats::RequestLine;

pub const TOKEN_ROUTE: &str = "/api/v1/token/{key}";

pub async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let pattern = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let is_token = pattern.as_deref() == Some(TOKEN_ROUTE);
    // The token call's path holds the API key: stats show the pattern instead.
    let path = if is_token { TOKEN_ROUTE.to_string() } else { request.uri().path().to_string() };
    let query = request.uri().query().map(str::to_string);
    let endpoint = format!("{method} {}", pattern.as_deref().unwrap_or(&path));
    lock(&shared.stats).arrived(&endpoint, method != Method::GET);
    if !json_utf8(request.headers()) {
        lock(&shared.stats).snapshot.without_json_utf8 += 1;
    }
    let response = answer(&shared, is_token, request, next).await;
    let status = response.status().as_u16();
    tracing::debug!(%method, %path, status, "admin is sandbox answered");
    lock(&shared.stats).answered(RequestLine { method: method.to_string(), path, query, status });
    response
}

async fn answer(shared: &Shared, is_token: bool, request: Request, next: Next) -> Response {
    let uri = request.uri();
    let length = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if length > shared.config.max_url_len {
        lock(&shared.stats).snapshot.uri_too_long += 1;
        return error(StatusCode::URI_TOO_LONG, "The request URI is too long.");
    }
    if request.method() != Method::GET {
        return error(StatusCode::METHOD_NOT_ALLOWED, "The stand-in is read-only: Koppel never writes to Admin IS.");
    }
    let path = uri.path().to_string();
    let fault = lock(&shared.faults).take(&path, is_token);
    if fault.is_some() {
        lock(&shared.stats).snapshot.faults_served += 1;
    }
    match fault {
        Some(AdminIsFaultKind::ServerError { status }) => {
            let status = StatusCode::from_u16(status).ok().filter(|s| s.is_server_error());
            return error(status.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), "An error has occurred.");
        }
        Some(AdminIsFaultKind::Slow { delay_ms }) => tokio::time::sleep(Duration::from_millis(delay_ms)).await,
        Some(AdminIsFaultKind::Unauthorized) => return unauthorized(),
        Some(AdminIsFaultKind::Throttled) => return error(StatusCode::FORBIDDEN, THROTTLED_MESSAGE),
        Some(AdminIsFaultKind::NoPermission) => {
            return error(StatusCode::FORBIDDEN, format!("{NO_PERMISSION_MESSAGE} on {path}."));
        }
        None => {}
    }
    let now = shared.config.clock.now();
    if !lock(&shared.limiter).admit(now) {
        lock(&shared.stats).snapshot.throttled += 1;
        return error(StatusCode::FORBIDDEN, THROTTLED_MESSAGE);
    }
    lock(&shared.stats).snapshot.served += 1;
    if !is_token {
        let token = request.headers().get(TOKEN_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if !lock(&shared.tokens).is_valid(token, now) {
            return unauthorized();
        }
    } else {
        lock(&shared.stats).snapshot.token_calls += 1;
    }
    next.run(request).await
}

/// `application/json` with `charset=UTF-8` (any case, any spacing).
fn json_utf8(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let value = value.to_ascii_lowercase().replace(' ', "");
    value.starts_with("application/json") && value.contains("charset=utf-8")
}

fn unauthorized() -> Response {
    error(StatusCode::UNAUTHORIZED, "Authorization has been denied for this request: the token is not valid.")
}
