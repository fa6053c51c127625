//! What the meeting routes share: reading a JSON body and its fields, the list answer, the
//! "timeout after store" fault, counting items, and the error answers.

use axum::Json;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::time::Duration;

use super::error;
use super::relations::paging;
use crate::adminpulse::state::Shared;
use crate::faults::FaultKind;
use crate::odata::pairs;
use crate::state::{lock, read};

/// Longest subject AdminPulse takes [U].
pub const MAX_SUBJECT: usize = 255;

/// A refused request: the status and AdminPulse-style `{"message"}` to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error(self.status, self.message)
    }
}

/// A JSON object body, or the 400 to answer.
pub fn object(body: &Bytes) -> Result<Map<String, Value>, Refusal> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(bad("the body must be a JSON object")),
        Err(e) => Err(bad(format!("the body is not valid JSON: {e}"))),
    }
}

pub fn bad(message: impl Into<String>) -> Refusal {
    Refusal { status: StatusCode::BAD_REQUEST, message: message.into() }
}

pub fn not_found(message: impl Into<String>) -> Refusal {
    Refusal { status: StatusCode::NOT_FOUND, message: message.into() }
}

/// An id field sent as text or as a number, as text.
pub fn id_field(map: &Map<String, Value>, field: &str) -> Option<String> {
    match map.get(field)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A text field; absent or null is empty.
pub fn text_field(map: &Map<String, Value>, field: &str) -> Result<String, Refusal> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(bad(format!("{field} must be text"))),
    }
}

/// The required subject, at most [`MAX_SUBJECT`] characters.
pub fn subject(map: &Map<String, Value>) -> Result<String, Refusal> {
    let subject = text_field(map, "subject")?;
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(bad("subject is required"));
    }
    if subject.chars().count() > MAX_SUBJECT {
        return Err(bad(format!("subject may be at most {MAX_SUBJECT} characters")));
    }
    Ok(subject.to_string())
}

/// The relation a record belongs to: it must exist.
pub fn relation(shared: &Shared, id: Option<String>) -> Result<String, Refusal> {
    let id = id.ok_or_else(|| bad("relationId is required"))?;
    if read(&shared.store).get(&id).is_none() {
        return Err(not_found(format!("Relation {id} was not found.")));
    }
    Ok(id)
}

/// A numeric record id from a path or a field; anything else is no record.
pub fn number(id: &str) -> Option<u64> {
    id.trim().parse().ok()
}

/// The stand-in's time as ISO 8601.
pub fn now(shared: &Shared) -> String {
    shared.config.clock.now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// After an item was stored: a due "timeout after store" fault makes the answer late (the
/// client gives up, the item stays stored).
pub async fn after_store(shared: &Shared, path: &str) {
    let fault = lock(&shared.after_store).take(path);
    if let Some(FaultKind::Slow { delay_ms }) = fault {
        lock(&shared.stats).fault_served();
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
    }
}

pub fn created<T: Serialize>(record: &T) -> Response {
    (StatusCode::CREATED, Json(json!(record))).into_response()
}

pub fn ok<T: Serialize>(record: &T) -> Response {
    (StatusCode::OK, Json(json!(record))).into_response()
}

/// `{results, page, pageSize, pageCount, totalCount}` of `rows` for the query's paging.
pub fn list<T: Serialize>(rows: &[T], raw_query: &str) -> Response {
    let (page, size) = match paging(raw_query) {
        Ok(p) => p,
        Err(message) => return bad(message).into_response(),
    };
    let results: Vec<Value> = rows.iter().skip(page.saturating_mul(size)).take(size).map(|r| json!(r)).collect();
    Json(json!({
        "results": results,
        "page": page,
        "pageSize": size,
        "pageCount": rows.len().div_ceil(size),
        "totalCount": rows.len(),
    }))
    .into_response()
}

/// A query parameter's value (name case-insensitive).
pub fn param(raw_query: &str, name: &str) -> Option<String> {
    pairs(raw_query).into_iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
}
