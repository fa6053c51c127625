//! Remarks of a period [paths and bodies U, as the connector assumes]: `GET` (bare array, paged),
//! `POST` `{"text", "todo"}` → 201 with the remark, `PUT …/{id}/flag` `{"done"}` (to-dos only),
//! `DELETE …/{id}` → 204. There is no update of a remark's text (none is documented).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

use super::{after_store, id, invalid, not_found, page_of, paging};
use crate::silverfin::state::Shared;
use crate::state::{lock, read, write};

type PeriodPath = (String, String, String);
type RemarkPath = (String, String, String, String);

/// The company and period ids when both exist under `firm`, else the 404 to answer.
fn resolve(shared: &Shared, firm: &str, company: &str, period: &str) -> Result<(u64, u64), Box<Response>> {
    let company = id(company, "Company")?;
    let period = id(period, "Period")?;
    let store = read(&shared.store);
    if store.company(firm, company).is_none() {
        return Err(Box::new(not_found("Company")));
    }
    if store.period(company, period).is_none() {
        return Err(Box::new(not_found("Period")));
    }
    Ok((company, period))
}

pub async fn list(
    State(shared): State<Arc<Shared>>,
    Path((firm, company, period)): Path<PeriodPath>,
    RawQuery(raw): RawQuery,
) -> Response {
    let (page, size) = match paging(raw.as_deref()) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let (_, period) = match resolve(&shared, &firm, &company, &period) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let rows = read(&shared.store).remarks_in(period).into_iter().map(|r| r.to_json()).collect();
    page_of(rows, page, size)
}

pub async fn create(
    State(shared): State<Arc<Shared>>,
    Path((firm, company, period)): Path<PeriodPath>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> Response {
    let (company, period) = match resolve(&shared, &firm, &company, &period) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(&body) else {
        return super::error(StatusCode::BAD_REQUEST, "The body must be a JSON object");
    };
    let text = fields.get("text").and_then(Value::as_str).unwrap_or_default();
    if text.trim().is_empty() {
        return invalid("text", "can't be blank");
    }
    let todo = match fields.get("todo") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return invalid("todo", "must be true or false"),
    };
    let now = chrono::Utc::now().to_rfc3339();
    let remark = write(&shared.store).add_remark(company, period, text.to_string(), todo, now);
    {
        let mut stats = lock(&shared.stats);
        if todo {
            stats.snapshot.todos_created += 1;
        } else {
            stats.snapshot.remarks_created += 1;
        }
    }
    after_store(&shared, Method::POST.as_str(), uri.path()).await;
    (StatusCode::CREATED, Json(remark.to_json())).into_response()
}

pub async fn flag(
    State(shared): State<Arc<Shared>>,
    Path((firm, company, period, remark)): Path<RemarkPath>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> Response {
    let (_, period) = match resolve(&shared, &firm, &company, &period) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let Ok(remark) = remark.parse::<u64>() else { return not_found("Remark") };
    let done = match serde_json::from_slice::<Value>(&body).ok().as_ref().and_then(|v| v.get("done")) {
        Some(Value::Bool(b)) => *b,
        _ => return invalid("done", "must be true or false"),
    };
    let answer = {
        let mut store = write(&shared.store);
        let Some(r) = store.remark_mut(period, remark) else { return not_found("Remark") };
        if !r.todo {
            return invalid("base", "Only to-dos can be marked as done");
        }
        r.done_at = if done { r.done_at.clone().or_else(|| Some(chrono::Utc::now().to_rfc3339())) } else { None };
        r.to_json()
    };
    lock(&shared.stats).snapshot.remarks_flagged += 1;
    after_store(&shared, Method::PUT.as_str(), uri.path()).await;
    Json(answer).into_response()
}

pub async fn destroy(
    State(shared): State<Arc<Shared>>,
    Path((firm, company, period, remark)): Path<RemarkPath>,
) -> Response {
    let (_, period) = match resolve(&shared, &firm, &company, &period) {
        Ok(ids) => ids,
        Err(r) => return *r,
    };
    let Ok(remark) = remark.parse::<u64>() else { return not_found("Remark") };
    if !write(&shared.store).delete_remark(period, remark) {
        return not_found("Remark");
    }
    lock(&shared.stats).snapshot.remarks_deleted += 1;
    StatusCode::NO_CONTENT.into_response()
}
