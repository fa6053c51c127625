//! `/_admin` (and `/__admin`): faults, stats and data changes over HTTP (for the binary, the demo
//! and the benchmark). Not part of Zoho; no auth, not counted — the stand-in is local only.
//!
//! - `POST /faults`: a shared fault (`{"kind":"rate_limit","retry_after_secs":2,"count":1}`,
//!   `server_error` + `status`, `slow` + `delay_ms`), a write fault (`{"kind":"stall_after_store",
//!   "delay_ms":3000,"count":1}`, `{"kind":"record_error","status":200,"code":"INVALID_DATA",
//!   "message":"…","count":1}`), each with an optional `path_prefix`; or `{"kind":"invalidate_tokens"}`
//!   / `{"kind":"restore_tokens"}`. `GET` lists pending ones, `DELETE` clears them.
//! - `GET /stats`, `POST /stats/reset`; `POST /events/remove` `{"id"}` (an event deleted in Zoho).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::faults::Fault;
use crate::state::{lock, read, write};
use crate::zoho::faults::WriteFault;
use crate::zoho::state::Shared;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/faults", post(faults).get(pending).delete(clear))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/events/remove", post(remove_event))
}

fn bad(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"message": message}))).into_response()
}

async fn faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad(format!("expected a fault: {e}")),
    };
    match value.get("kind").and_then(Value::as_str) {
        Some("invalidate_tokens") => shared.tokens_invalid.store(true, Ordering::SeqCst),
        Some("restore_tokens") => shared.tokens_invalid.store(false, Ordering::SeqCst),
        Some("stall_after_store" | "record_error") => match serde_json::from_value::<WriteFault>(value) {
            Ok(fault) => lock(&shared.write_faults).push(fault),
            Err(e) => return bad(format!("expected a write fault: {e}")),
        },
        _ => match serde_json::from_value::<Fault>(value) {
            Ok(fault) => lock(&shared.faults).push(fault),
            Err(e) => return bad(format!("expected a fault: {e}")),
        },
    }
    pending(State(shared)).await
}

async fn pending(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({
        "pending": lock(&shared.faults).pending(),
        "writes": lock(&shared.write_faults).pending(),
        "tokens_invalid": shared.tokens_invalid.load(Ordering::SeqCst),
    }))
    .into_response()
}

async fn clear(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.faults).clear();
    lock(&shared.write_faults).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let items = read(&shared.store).counts.clone();
    Json(lock(&shared.stats).snapshot(items)).into_response()
}

async fn reset_stats(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.stats).reset();
    write(&shared.store).counts = Default::default();
    StatusCode::NO_CONTENT.into_response()
}

async fn remove_event(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string));
    match id {
        Some(id) if write(&shared.store).remove_event(&id) => StatusCode::NO_CONTENT.into_response(),
        Some(id) => (StatusCode::NOT_FOUND, Json(json!({"message": format!("no event with id {id}")}))).into_response(),
        None => bad(r#"expected {"id"}"#.into()),
    }
}
