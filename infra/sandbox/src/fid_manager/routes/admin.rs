//! `/_admin` (and `/__admin`): faults, stats, the stored documents and approving one, over HTTP
//! (for the binary, the demo and the benchmark). Not part of Fid-Manager; no auth, not counted.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

use super::error;
use crate::faults::Fault;
use crate::fid_manager::state::Shared;
use crate::fid_manager::store::{DocumentStatus, StoredDocument};
use crate::state::{lock, read, write};

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/faults", post(faults).get(pending).delete(clear))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/documents", get(documents))
        .route("/approve", post(approve))
}

#[derive(Deserialize)]
struct Stall {
    count: u32,
    delay_ms: u64,
}

/// A fault (`{"kind":"rate_limit","retry_after_secs":2,"count":3}`, `server_error` + `status`,
/// `slow` + `delay_ms`, optional `path_prefix`), `{"kind":"timeout_after_store","count":1,
/// "delay_ms":60000}`, or `{"kind":"expire_sessions"}`.
async fn faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("expected a fault: {e}")),
    };
    match value.get("kind").and_then(Value::as_str) {
        Some("expire_sessions") => shared.expire_sessions(),
        Some("timeout_after_store") => match serde_json::from_value::<Stall>(value) {
            Ok(s) => lock(&shared.stalls).push(s.count, Duration::from_millis(s.delay_ms)),
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("expected count and delay_ms: {e}")),
        },
        _ => match serde_json::from_value::<Fault>(value) {
            Ok(fault) => lock(&shared.faults).push(fault),
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("expected a fault: {e}")),
        },
    }
    pending(State(shared)).await
}

async fn pending(State(shared): State<Arc<Shared>>) -> Response {
    let stalls = lock(&shared.stalls).pending();
    Json(json!({"pending": lock(&shared.faults).pending(), "timeouts_after_store": stalls})).into_response()
}

async fn clear(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.faults).clear();
    lock(&shared.stalls).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.stats).snapshot()).into_response()
}

async fn reset_stats(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.stats).reset();
    StatusCode::NO_CONTENT.into_response()
}

/// Every stored document (without its bytes).
async fn documents(State(shared): State<Arc<Shared>>) -> Response {
    let list: Vec<Value> = read(&shared.store).documents().map(StoredDocument::to_json).collect();
    Json(json!({"documents": list})).into_response()
}

#[derive(Deserialize)]
struct Approve {
    id: u64,
}

/// `{"id": n}`: an accountant approves the document (it can no longer be deleted).
async fn approve(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let Ok(ask) = serde_json::from_slice::<Approve>(&body) else {
        return error(StatusCode::BAD_REQUEST, r#"expected {"id": n}"#);
    };
    match write(&shared.store).document_mut(ask.id) {
        Some(d) => {
            d.status = DocumentStatus::Approved;
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(StatusCode::NOT_FOUND, format!("no document {}", ask.id)),
    }
}
