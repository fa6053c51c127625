//! `/_admin` (and `/__admin`): faults, stats and the stored files over HTTP (for the binary, the
//! demo and the benchmark). Not part of Brokercloud; no auth, not counted.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::error;
use crate::brokercloud::state::Shared;
use crate::brokercloud::store::StoredFile;
use crate::faults::Fault;
use crate::state::{lock, read};

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/faults", post(faults).get(pending).delete(clear))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/files", get(files))
}

#[derive(Deserialize)]
struct Stall {
    count: u32,
    delay_ms: u64,
}

/// A fault (`{"kind":"rate_limit","retry_after_secs":2,"count":3}`, `server_error` + `status`,
/// `slow` + `delay_ms`, optional `path_prefix`), `{"kind":"timeout_after_store","count":1,
/// "delay_ms":60000}`, `{"kind":"revoke_all"}` or `{"kind":"restore_all"}`.
async fn faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("expected a fault: {e}")),
    };
    match value.get("kind").and_then(Value::as_str) {
        Some("revoke_all") => shared.all_revoked.store(true, Ordering::SeqCst),
        Some("restore_all") => {
            shared.all_revoked.store(false, Ordering::SeqCst);
            lock(&shared.revoked).clear();
        }
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

/// Every stored file (without its bytes).
async fn files(State(shared): State<Arc<Shared>>) -> Response {
    let list: Vec<Value> = read(&shared.store).files().map(StoredFile::to_json).collect();
    Json(json!({"files": list})).into_response()
}
