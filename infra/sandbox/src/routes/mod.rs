//! The HTTP surface: `POST /b2b/token`, `/v2/…` (both keys required; reads, and relatie
//! writes) and `/__admin/…`.
//! Every non-admin request is counted and may be hit by an injected fault first.

mod admin;
mod api;
mod auth;
mod relaties;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

use crate::faults::FaultKind;
use crate::state::{Shared, lock};
use crate::stats::RequestLine;

pub fn router(shared: Arc<Shared>) -> Router {
    let v2 = Router::new()
        .route("/echo/{text}", get(api::echo))
        .route("/companyInfo", get(api::company_info))
        .route("/relaties", get(api::relaties).post(relaties::create))
        .route("/relaties/{id}", get(relaties::get_one).put(relaties::replace))
        .route("/verkoopfacturen", get(api::verkoopfacturen))
        .route_layer(middleware::from_fn_with_state(shared.clone(), auth::require_keys));
    let provider = Router::new()
        .route("/b2b/token", post(auth::token))
        .nest("/v2", v2)
        .layer(middleware::from_fn_with_state(shared.clone(), observe));
    provider.merge(admin::router()).fallback(not_found).with_state(shared)
}

/// Counts the request, applies a due fault, and records the answer.
async fn observe(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    lock(&shared.stats).arrived(&path);
    let fault = lock(&shared.faults).take(&path);
    if fault.is_some() {
        lock(&shared.stats).fault_served();
    }
    let response = match fault {
        Some(FaultKind::RateLimit { retry_after_secs }) => rate_limited(retry_after_secs),
        Some(FaultKind::ServerError { status }) => server_error(status),
        Some(FaultKind::Slow { delay_ms }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            next.run(request).await
        }
        None => next.run(request).await,
    };
    let status = response.status().as_u16();
    tracing::debug!(%method, %path, status, "sandbox answered");
    lock(&shared.stats).answered(RequestLine { method, path, query, status });
    response
}

/// APIM's rate-limit answer.
fn rate_limited(retry_after_secs: u64) -> Response {
    let body = json!({"statusCode": 429, "message": format!("Rate limit is exceeded. Try again in {retry_after_secs} seconds.")});
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn server_error(status: u16) -> Response {
    let status =
        StatusCode::from_u16(status).ok().filter(|s| s.is_server_error()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = if status == StatusCode::INTERNAL_SERVER_ERROR {
        json!({"message": "An error has occurred."})
    } else {
        json!({"statusCode": status.as_u16(), "message": status.canonical_reason().unwrap_or("Server error")})
    };
    (status, axum::Json(body)).into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, axum::Json(json!({"statusCode": 404, "message": "Resource not found"}))).into_response()
}
