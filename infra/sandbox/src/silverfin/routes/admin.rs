//! `/_admin` (and `/__admin`): faults, token expiry, stats and what was pushed to a company, over
//! HTTP (for the binary, the demo and the benchmark). Not part of Silverfin; no auth, not counted.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::error;
use crate::silverfin::faults::SilverfinFault;
use crate::silverfin::state::Shared;
use crate::state::{lock, read};

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/faults", post(faults).get(pending).delete(clear))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/companies/{company}/items", get(items))
}

/// A fault (`{"kind":"rate_limit","retry_after_secs":2,"count":1}`, `server_error` + `status`,
/// `slow` + `delay_ms`, `stall_after_store` + `delay_ms`, `answer` + `status` + `body`; optional
/// `method`, `path_contains`), or `{"kind":"expire_all"}` / `{"kind":"restore_all"}` (tokens).
async fn faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("expected a fault: {e}")),
    };
    match value.get("kind").and_then(Value::as_str) {
        Some("expire_all") => shared.all_expired.store(true, Ordering::SeqCst),
        Some("restore_all") => {
            shared.all_expired.store(false, Ordering::SeqCst);
            lock(&shared.expired).clear();
            lock(&shared.revoked).clear();
        }
        _ => match serde_json::from_value::<SilverfinFault>(value) {
            Ok(fault) => lock(&shared.faults).push(fault),
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("expected a fault: {e}")),
        },
    }
    pending(State(shared)).await
}

async fn pending(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({"pending": lock(&shared.faults).pending()})).into_response()
}

async fn clear(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.faults).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.stats).snapshot()).into_response()
}

async fn reset_stats(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.stats).reset();
    StatusCode::NO_CONTENT.into_response()
}

/// The remarks and documents (without content) pushed to a company.
async fn items(State(shared): State<Arc<Shared>>, Path(company): Path<String>) -> Response {
    let Ok(company) = company.parse::<u64>() else { return error(StatusCode::NOT_FOUND, "Company not found") };
    let store = read(&shared.store);
    let remarks: Vec<Value> = store.remarks_of(company).iter().map(|r| r.to_json()).collect();
    let documents: Vec<Value> = store.documents_in(company).into_iter().map(|d| d.to_json()).collect();
    Json(json!({"remarks": remarks, "documents": documents})).into_response()
}
