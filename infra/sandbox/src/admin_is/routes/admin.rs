//! `/_admin/…`: stats (`GET stats`, `POST stats/reset`), faults (`POST faults` with an
//! `AdminIsFault` body, `DELETE faults`), and data changes that land in the change feed
//! (`POST customers/{id}/touch`, `POST customers/{id}/deactivate`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::sync::Arc;

use super::reply::error;
use crate::admin_is::faults::AdminIsFault;
use crate::admin_is::handles::AdminIsData;
use crate::admin_is::state::Shared;
use crate::state::lock;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset))
        .route("/faults", post(fault).delete(clear))
        .route("/customers/{id}/touch", post(touch))
        .route("/customers/{id}/deactivate", post(deactivate))
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.stats).snapshot()).into_response()
}

async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.stats).reset();
    StatusCode::NO_CONTENT.into_response()
}

async fn fault(State(shared): State<Arc<Shared>>, Json(fault): Json<AdminIsFault>) -> Response {
    lock(&shared.faults).push(fault);
    StatusCode::NO_CONTENT.into_response()
}

async fn clear(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.faults).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn touch(State(shared): State<Arc<Shared>>, Path(id): Path<u64>) -> Response {
    done(AdminIsData { shared }.touch(id))
}

async fn deactivate(State(shared): State<Arc<Shared>>, Path(id): Path<u64>) -> Response {
    done(AdminIsData { shared }.deactivate(id))
}

fn done(found: bool) -> Response {
    if found { StatusCode::NO_CONTENT.into_response() } else { error(StatusCode::NOT_FOUND, "Nothing found") }
}
