//! The HTTP surface behind the guard (faults, Bearer, rate limit, readiness): `GET /relations`,
//! and the meeting side: interactions and their notes, documents (`documents/add` within its own
//! 50 a minute), to-dos. `/_admin/…` (also under `/__admin/…`; no auth, not counted, not rate
//! limited).

mod admin;
mod documents;
mod guard;
mod interactions;
mod multipart;
mod records;
mod relations;
mod todos;

pub use documents::MAX_DOCUMENT_BYTES;
pub use records::MAX_SUBJECT;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router, middleware};
use serde_json::json;
use std::sync::Arc;

use super::state::Shared;

pub fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/relations", get(relations::list))
        .route("/interactions", post(interactions::create).get(interactions::list_of_relation))
        .route("/interactions/{id}", put(interactions::update))
        .route("/interactions/{id}/notes", post(interactions::add_note).get(interactions::notes))
        .route("/interactions/{id}/notes/{note_id}", put(interactions::update_note))
        .route("/documents/add", post(documents::add).layer(DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + (1 << 20))))
        .route("/documents", get(documents::list_of_relation))
        .route("/documents/{id}", delete(documents::delete))
        .route("/todos", post(todos::create).get(todos::list_of_relation))
        .route("/todos/{id}", put(todos::update))
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
