//! The HTTP surface: `GET /relations` behind the guard (faults, Bearer, rate limit, readiness)
//! and `/_admin/…` (also under `/__admin/…`; no auth, not counted, not rate limited).

mod admin;
mod guard;
mod relations;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router, middleware};
use serde_json::json;
use std::sync::Arc;

use super::state::Shared;

pub fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/relations", get(relations::list))
        .layer(middleware::from_fn_with_state(shared.clone(), guard::guard));
    api.nest("/_admin", admin::router()).nest("/__admin", admin::router()).fallback(no_route).with_state(shared)
}

/// `{"message": …}` with `status`: the error shape this stand-in uses ([U]: AdminPulse's error
/// bodies are not published).
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"message": message.into()}))).into_response()
}

async fn no_route() -> Response {
    error(StatusCode::NOT_FOUND, "Not found.")
}
