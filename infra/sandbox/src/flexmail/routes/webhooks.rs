//! `GET /webhooks` (whole), `POST /webhooks` (`event_name` from `/webhook-events`, an
//! http(s) `target_url`, optional `verification_token`), `GET`/`DELETE /webhooks/{id}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

use super::reply::{created, invalid, json_body, no_content, not_found};
use crate::flexmail::config::WEBHOOK_EVENTS;
use crate::flexmail::model::Webhook;
use crate::flexmail::render;
use crate::flexmail::state::Shared;
use crate::flexmail::validate::FieldError;
use crate::state::{read, write};

pub async fn list(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let store = read(&shared.store);
    let items = store.webhooks.iter().map(render::webhook).collect();
    Json(render::hal("/webhooks", store.webhooks.len(), None, items))
}

pub async fn one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = read(&shared.store);
    match store.webhook_index(&id) {
        Some(index) => Json(render::webhook(&store.webhooks[index])).into_response(),
        None => not_found("Webhook"),
    }
}

pub async fn remove(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let mut store = write(&shared.store);
    match store.webhook_index(&id) {
        Some(index) => {
            store.webhooks.remove(index);
            no_content()
        }
        None => not_found("Webhook"),
    }
}

pub async fn register(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let mut errors = Vec::new();
    let event_name = match body.get("event_name").and_then(Value::as_str) {
        Some(name) if WEBHOOK_EVENTS.contains(&name) => name.to_string(),
        Some(_) => {
            let allowed = WEBHOOK_EVENTS.join(", ");
            errors.push(FieldError::new("event_name", format!("The event must be one of: {allowed}.")));
            String::new()
        }
        None => {
            errors.push(FieldError::new("event_name", "This value should not be blank."));
            String::new()
        }
    };
    let target_url = match body.get("target_url").and_then(Value::as_str) {
        Some(url) if is_web_url(url) => url.trim().to_string(),
        _ => {
            errors.push(FieldError::new("target_url", "This value should be an http(s) URL."));
            String::new()
        }
    };
    let verification_token = match body.get("verification_token") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if !t.is_empty() && t.len() <= 255 => Some(t.clone()),
        Some(_) => {
            errors.push(FieldError::new("verification_token", "This value should be text of 1 to 255 characters."));
            None
        }
    };
    if !errors.is_empty() {
        return invalid(errors);
    }
    let mut store = write(&shared.store);
    let id = store.next_webhook_id;
    store.next_webhook_id += 1;
    let webhook = Webhook { id, event_name, target_url, verification_token, enabled: true };
    let body = render::webhook(&webhook);
    store.webhooks.push(webhook);
    created(format!("/webhooks/{id}"), body)
}

fn is_web_url(text: &str) -> bool {
    reqwest::Url::parse(text.trim())
        .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()))
}
