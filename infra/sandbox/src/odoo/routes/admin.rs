//! `/_admin` (and `/__admin`): faults and stats over HTTP (for the binary, the demo and the
//! benchmark). Not part of Odoo; no auth, not counted — the stand-in is local only.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::sync::Arc;

use crate::odoo::error::OdooError;
use crate::odoo::faults::OdooFault;
use crate::odoo::handles::OdooStats;
use crate::odoo::state::Shared;
use crate::state::lock;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/faults", post(faults).get(pending).delete(clear))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
}

/// A fault (`{"kind":"rate_limit","retry_after_secs":2,"count":3}`, `server_error` + `status`,
/// `slow` + `delay_ms`, `after_store` (+ `delay_ms`), `refuse` + `status`, `name`, `message`;
/// optional `path_prefix`), or `{"kind":"revoke","api_key":"…"}` / `{"kind":"restore_all"}`.
async fn faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return OdooError::bad_request(format!("expected a fault: {e}")).into_response(),
    };
    match value.get("kind").and_then(Value::as_str) {
        Some("revoke") => match value.get("api_key").and_then(Value::as_str) {
            Some(key) => {
                lock(&shared.revoked).insert(key.to_string());
            }
            None => return OdooError::bad_request("revoke needs api_key").into_response(),
        },
        Some("restore_all") => lock(&shared.revoked).clear(),
        _ => match serde_json::from_value::<OdooFault>(value) {
            Ok(fault) => lock(&shared.faults).push(fault),
            Err(e) => return OdooError::bad_request(format!("expected a fault: {e}")).into_response(),
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
    Json(OdooStats { shared }.snapshot()).into_response()
}

async fn reset_stats(State(shared): State<Arc<Shared>>) -> Response {
    OdooStats { shared }.reset();
    StatusCode::NO_CONTENT.into_response()
}
