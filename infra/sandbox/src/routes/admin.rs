//! `/__admin`: faults, stats and data changes over HTTP (for the demo, the benchmark and
//! tests in other processes). Not part of SnelStart; no auth — the sandbox is local only.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

use crate::data::Resource;
use crate::faults::Fault;
use crate::state::{AfterStore, Shared, lock, read, write};

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__admin/faults", post(faults).get(pending).delete(clear))
        .route("/__admin/stats", get(stats))
        .route("/__admin/stats/reset", post(reset_stats))
        .route("/__admin/touch", post(touch))
        .route("/__admin/add", post(add))
        .route("/__admin/set", post(set))
        .route("/__admin/records/{resource}/{id}", get(record))
}

fn bad(message: impl std::fmt::Display) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": message.to_string()}))).into_response()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A fault (`{"kind":"rate_limit","retry_after_secs":2,"count":3,"path_prefix":"/v2"}`,
/// `server_error` + `status`, `slow` + `delay_ms`), `{"kind":"expire_tokens"}`, or a fault on
/// relatie writes after storing: `{"kind":"after_store","status":502,"count":1}` /
/// `{"kind":"after_store","delay_ms":5000,"count":1}`.
async fn faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad(format!("body is not JSON: {e}")),
    };
    match value.get("kind").and_then(Value::as_str) {
        Some("expire_tokens") => lock(&shared.tokens).expire_all(),
        Some("clear") => {
            lock(&shared.faults).clear();
            lock(&shared.after_store).clear();
        }
        Some("after_store") => match after_store(&value) {
            Ok(faults) => lock(&shared.after_store).extend(faults),
            Err(message) => return bad(message),
        },
        _ => match serde_json::from_value::<Fault>(value) {
            Ok(fault) => lock(&shared.faults).push(fault),
            Err(e) => return bad(format!("not a fault: {e}")),
        },
    }
    pending(State(shared)).await
}

async fn pending(State(shared): State<Arc<Shared>>) -> Response {
    let after_store: Vec<AfterStore> = lock(&shared.after_store).iter().copied().collect();
    Json(json!({"pending": lock(&shared.faults).pending(), "after_store": after_store})).into_response()
}

fn after_store(value: &Value) -> Result<Vec<AfterStore>, String> {
    let count = value.get("count").and_then(Value::as_u64).unwrap_or(1).min(1_000) as usize;
    let fault = match (value.get("status").and_then(Value::as_u64), value.get("delay_ms").and_then(Value::as_u64)) {
        (Some(status), None) if (500..=599).contains(&status) => AfterStore::ServerError { status: status as u16 },
        (None, Some(delay_ms)) => AfterStore::Slow { delay_ms },
        _ => return Err("after_store needs either a 5xx \"status\" or \"delay_ms\"".into()),
    };
    Ok(vec![fault; count])
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

#[derive(Deserialize)]
struct Count {
    resource: String,
    count: usize,
}

fn count_body(body: &Bytes) -> Result<(Resource, usize), String> {
    let c: Count = serde_json::from_slice(body).map_err(|e| format!("expected {{\"resource\",\"count\"}}: {e}"))?;
    Ok((Resource::parse(&c.resource).map_err(|e| e.to_string())?, c.count))
}

async fn touch(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match count_body(&body) {
        Ok((resource, count)) => {
            Json(json!({"ids": write(&shared.data).touch(resource, count, now_ms())})).into_response()
        }
        Err(message) => bad(message),
    }
}

async fn add(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match count_body(&body) {
        Ok((resource, count)) => {
            Json(json!({"ids": write(&shared.data).add(resource, count, now_ms())})).into_response()
        }
        Err(message) => bad(message),
    }
}

#[derive(Deserialize)]
struct SetField {
    resource: String,
    id: String,
    field: String,
    value: Value,
    #[serde(default)]
    bump_modified: bool,
}

async fn set(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let s: SetField = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return bad(format!("expected {{\"resource\",\"id\",\"field\",\"value\",\"bump_modified\"}}: {e}")),
    };
    let resource = match Resource::parse(&s.resource) {
        Ok(r) => r,
        Err(e) => return bad(e),
    };
    match write(&shared.data).set_field(resource, &s.id, &s.field, s.value, s.bump_modified, now_ms()) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => bad(e),
    }
}

async fn record(State(shared): State<Arc<Shared>>, Path((resource, id)): Path<(String, String)>) -> Response {
    let resource = match Resource::parse(&resource) {
        Ok(r) => r,
        Err(e) => return bad(e),
    };
    match read(&shared.data).record(resource, &id) {
        Some(row) => Json(row).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({"error": "no such record"}))).into_response(),
    }
}
