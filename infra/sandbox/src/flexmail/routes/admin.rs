//! `/_admin` (and `/__admin`): fire webhooks, faults, stats, subscription state and the rate
//! limit over HTTP (for the binary, the demo and the benchmark). Not part of Flexmail; no
//! auth, not counted, not rate limited — the stand-in is local only.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::reply::{param, query};
use crate::faults::Fault;
use crate::flexmail::state::Shared;
use crate::flexmail::webhook::{self, FireError};
use crate::state::{lock, read, write};

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/fire", post(fire))
        .route("/faults", post(faults).get(pending).delete(clear))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/unsubscribe", post(unsubscribe))
        .route("/resubscribe", post(resubscribe))
        .route("/rate-limit", post(rate_limit).get(rate_limit_now))
        .route("/contact", get(contact))
        .route("/summary", get(summary))
}

fn bad(status: StatusCode, message: impl std::fmt::Display) -> Response {
    (status, Json(json!({"error": message.to_string()}))).into_response()
}

fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes, shape: &str) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("expected {shape}: {e}"))
}

#[derive(Deserialize)]
struct FireBody {
    event_name: String,
    email: String,
    #[serde(default)]
    data: Value,
}

/// `{"event_name","email","data"?}` → `{"status": <highest receiver status> | null,
/// "deliveries": [{webhook_id, target_url, event_id, status, error}]}`.
async fn fire(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let fire: FireBody = match parse(&body, r#"{"event_name","email","data"?}"#) {
        Ok(f) => f,
        Err(e) => return bad(StatusCode::BAD_REQUEST, e),
    };
    match webhook::fire(&shared, &fire.event_name, &fire.email, fire.data).await {
        Ok(deliveries) => {
            let status = webhook::summary(&deliveries).ok();
            Json(json!({"status": status, "deliveries": deliveries})).into_response()
        }
        Err(e @ FireError::UnknownContact(_)) => bad(StatusCode::NOT_FOUND, e),
        Err(e @ FireError::NoWebhook(_)) => bad(StatusCode::CONFLICT, e),
    }
}

/// A fault (`{"kind":"rate_limit","retry_after_secs":2,"count":3,"path_prefix":"/contacts"}`,
/// `server_error` + `status`, `slow` + `delay_ms`), or `{"kind":"revoke_token"}`,
/// `{"kind":"restore_token"}`, `{"kind":"clear"}`.
async fn faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let value: Value = match parse(&body, "a fault") {
        Ok(v) => v,
        Err(e) => return bad(StatusCode::BAD_REQUEST, e),
    };
    match value.get("kind").and_then(Value::as_str) {
        Some("revoke_token") => shared.token_revoked.store(true, Ordering::SeqCst),
        Some("restore_token") => shared.token_revoked.store(false, Ordering::SeqCst),
        Some("clear") => lock(&shared.faults).clear(),
        _ => match serde_json::from_value::<Fault>(value) {
            Ok(fault) => lock(&shared.faults).push(fault),
            Err(e) => return bad(StatusCode::BAD_REQUEST, format!("not a fault: {e}")),
        },
    }
    pending(State(shared)).await
}

async fn pending(State(shared): State<Arc<Shared>>) -> Response {
    let revoked = shared.token_revoked.load(Ordering::SeqCst);
    Json(json!({"pending": lock(&shared.faults).pending(), "token_revoked": revoked})).into_response()
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
struct EmailBody {
    email: String,
}

/// `{"email"}`: marks the contact unsubscribed in Flexmail, without any webhook.
async fn unsubscribe(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    set_subscribed(&shared, &body, false)
}

async fn resubscribe(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    set_subscribed(&shared, &body, true)
}

fn set_subscribed(shared: &Shared, body: &Bytes, subscribed: bool) -> Response {
    let EmailBody { email } = match parse(body, r#"{"email"}"#) {
        Ok(b) => b,
        Err(e) => return bad(StatusCode::BAD_REQUEST, e),
    };
    let mut store = write(&shared.store);
    let Some(index) = store.index_by_email(&email) else {
        return bad(StatusCode::NOT_FOUND, format!("no contact with e-mail {email}"));
    };
    store.set_subscribed(index, subscribed);
    match store.get(index) {
        Some(c) => Json(store.public(c)).into_response(),
        None => bad(StatusCode::NOT_FOUND, format!("no contact with e-mail {email}")),
    }
}

#[derive(Deserialize)]
struct RateLimitBody {
    per_minute: Option<u32>,
    #[serde(default)]
    reset: bool,
}

/// `{"per_minute": 60 | null, "reset": true?}`: a new limit (`null` = off); `reset` forgets
/// the calls made so far.
async fn rate_limit(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let RateLimitBody { per_minute, reset } = match parse(&body, r#"{"per_minute": n | null, "reset"?}"#) {
        Ok(b) => b,
        Err(e) => return bad(StatusCode::BAD_REQUEST, e),
    };
    {
        let mut limiter = lock(&shared.limiter);
        limiter.set_limit(per_minute);
        if reset {
            limiter.reset();
        }
    }
    rate_limit_now(State(shared)).await
}

async fn rate_limit_now(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({"per_minute": lock(&shared.limiter).limit()})).into_response()
}

/// `?email=…` → the contact with its interests and every custom field value.
async fn contact(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let query = query(raw.as_deref());
    let email = param(&query, "email").unwrap_or_default();
    let store = read(&shared.store);
    match store.index_by_email(email).and_then(|i| store.get(i)) {
        Some(c) => Json(store.public(c)).into_response(),
        None => bad(StatusCode::NOT_FOUND, format!("no contact with e-mail {email}")),
    }
}

async fn summary(State(shared): State<Arc<Shared>>) -> Response {
    let store = read(&shared.store);
    let webhooks: Vec<Value> = store
        .webhooks
        .iter()
        .map(|w| json!({"id": w.id, "event_name": w.event_name, "target_url": w.target_url, "enabled": w.enabled}))
        .collect();
    Json(json!({
        "contacts": store.contact_count(),
        "unsubscribed": store.contacts().iter().filter(|c| !c.subscribed).count(),
        "webhooks": webhooks,
        "imports": store.imports.len(),
        "rate_limit_per_minute": lock(&shared.limiter).limit(),
        "token_revoked": shared.token_revoked.load(Ordering::SeqCst),
    }))
    .into_response()
}
