//! The account's catalogues: `GET /sources`, `/custom-fields` (whole), `/interests`,
//! `/webhook-events`.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::reply::{paging, query};
use crate::flexmail::config::WEBHOOK_EVENTS;
use crate::flexmail::render;
use crate::flexmail::state::Shared;
use crate::state::read;

pub async fn sources(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let (limit, offset) = match paging(&query(raw.as_deref())) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let store = read(&shared.store);
    let items = store.sources.iter().skip(offset).take(limit).map(render::source).collect();
    Json(render::hal("/sources", store.sources.len(), Some((limit, offset)), items)).into_response()
}

pub async fn custom_fields(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let store = read(&shared.store);
    let items = store.fields.iter().map(render::custom_field).collect();
    Json(render::hal("/custom-fields", store.fields.len(), None, items))
}

pub async fn interests(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let (limit, offset) = match paging(&query(raw.as_deref())) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let store = read(&shared.store);
    let items = store.interests.iter().skip(offset).take(limit).map(render::interest).collect();
    Json(render::hal("/interests", store.interests.len(), Some((limit, offset)), items)).into_response()
}

pub async fn webhook_events() -> Json<Value> {
    Json(json!({"events": WEBHOOK_EVENTS}))
}
