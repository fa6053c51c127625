//! `/_admin` (and `/__admin`): faults, stats, readiness, the rate limit and a relation rename over
//! HTTP (for the binary, the demo and the benchmark). Not part of AdminPulse; no auth, not
//! counted, not rate limited — the stand-in is local only.

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

use super::error;
use crate::adminpulse::state::Shared;
use crate::faults::Fault;
use crate::state::{lock, write};

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/faults", post(faults).get(pending).delete(clear))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/not-ready", post(not_ready))
        .route("/rate-limit", post(rate_limit))
        .route("/documents-rate-limit", post(documents_rate_limit))
        .route("/rename", post(rename))
}

fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes, shape: &str) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("expected {shape}: {e}"))
}

fn bad(message: String) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// A fault (`{"kind":"rate_limit","retry_after_secs":2,"count":3}`, `server_error` + `status`,
/// `slow` + `delay_ms`, optional `path_prefix`), `{"kind":"timeout_after_store","delay_ms":5000,
/// "count":1,"path_prefix":"/interactions"}` (the item is stored, the answer comes late), or
/// `{"kind":"revoke_all"}`, `{"kind":"restore_all"}`.
async fn faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match parse(&body, "a fault") {
        Ok(v) => v,
        Err(e) => return bad(e),
    };
    match value.get("kind").and_then(Value::as_str) {
        Some("revoke_all") => shared.all_revoked.store(true, Ordering::SeqCst),
        Some("restore_all") => {
            shared.all_revoked.store(false, Ordering::SeqCst);
            lock(&shared.revoked).clear();
        }
        Some("timeout_after_store") => {
            let mut slow = value.clone();
            slow["kind"] = Value::from("slow");
            match serde_json::from_value::<Fault>(slow) {
                Ok(fault) => lock(&shared.after_store).push(fault),
                Err(e) => return error(StatusCode::BAD_REQUEST, format!("expected a timeout_after_store fault: {e}")),
            }
        }
        _ => match serde_json::from_value::<Fault>(value) {
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

#[derive(Deserialize)]
struct NotReady {
    calls: Option<u32>,
    seconds: Option<u64>,
    #[serde(default)]
    clear: bool,
}

/// `{"calls": n}` (the next n calls), `{"seconds": n}` (from now on, on the stand-in's clock),
/// `{"clear": true}` (ready now, first uses forgotten).
async fn not_ready(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let ask: NotReady = match parse(&body, r#"{"calls"} or {"seconds"} or {"clear":true}"#) {
        Ok(a) => a,
        Err(e) => return bad(e),
    };
    let mut readiness = lock(&shared.readiness);
    if ask.clear {
        readiness.clear();
    }
    if let Some(n) = ask.calls {
        readiness.for_calls(n);
    }
    if let Some(s) = ask.seconds {
        readiness.until(shared.config.clock.now() + chrono::Duration::seconds(s.min(86_400) as i64));
    }
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
struct RateLimit {
    per_minute: Option<u32>,
}

/// `{"per_minute": 480}` or `{"per_minute": null}` (off).
async fn rate_limit(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match parse::<RateLimit>(&body, r#"{"per_minute": n | null}"#) {
        Ok(r) => {
            lock(&shared.limiter).set_limit(r.per_minute);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => bad(e),
    }
}

/// `{"per_minute": 50}` or `{"per_minute": null}` (off): `documents/add`'s own limit.
async fn documents_rate_limit(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match parse::<RateLimit>(&body, r#"{"per_minute": n | null}"#) {
        Ok(r) => {
            lock(&shared.documents_limiter).set_limit(r.per_minute);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => bad(e),
    }
}

#[derive(Deserialize)]
struct Rename {
    id: String,
    name: String,
}

/// `{"id","name"}`: someone renames a relation in AdminPulse.
async fn rename(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let ask: Rename = match parse(&body, r#"{"id","name"}"#) {
        Ok(r) => r,
        Err(e) => return bad(e),
    };
    if write(&shared.store).update(&ask.id, |r| r.name = ask.name.clone()) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, format!("no relation with id {}", ask.id))
    }
}
