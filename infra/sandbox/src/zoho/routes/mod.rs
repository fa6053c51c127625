//! The HTTP surface: CRM v8 (`/crm/v8/…`) and WorkDrive (`/workdrive/api/v1/…`) behind the guard
//! (count, faults, `Zoho-oauthtoken`), WorkDrive permalinks (`/workdrive/file/{id}`, no auth), and
//! `/_admin/…` (also `/__admin/…`; no auth, not counted). Zoho's answer shapes: request errors
//! `{"code","details","message","status":"error"}`, record answers `{"data":[{…}]}`, lists
//! `{"data":[…],"info":{…}}` or 204 when empty.

mod admin;
mod attachments;
mod events;
mod guard;
mod notes;
mod tasks;
mod users;
mod workdrive;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use axum::{Json, Router, middleware};
use serde_json::{Value, json};
use std::sync::Arc;

use super::config::{MAX_PAGED_RECORD, MAX_PER_PAGE, WORKDRIVE_MAX_BYTES};
use super::state::Shared;
use crate::odata::pairs;

pub fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/crm/v8/users", get(users::current))
        .route("/crm/v8/Events", get(events::list))
        .route("/crm/v8/Events/search", get(events::search))
        .route("/crm/v8/Events/{id}", get(events::one))
        .route("/crm/v8/Events/{id}/Notes", get(notes::of_event))
        .route("/crm/v8/Events/{id}/Attachments", get(attachments::list).post(attachments::upload))
        .route("/crm/v8/Events/{id}/Attachments/{attachment}", delete(attachments::remove))
        .route("/crm/v8/Notes", post(notes::create))
        .route("/crm/v8/Notes/{id}", put(notes::update))
        .route("/crm/v8/Tasks", post(tasks::create))
        .route("/crm/v8/Tasks/search", get(tasks::search))
        .route("/crm/v8/Tasks/{id}", put(tasks::update))
        .route("/workdrive/api/v1/upload", post(workdrive::upload))
        .route("/workdrive/api/v1/files/{id}/files", get(workdrive::list))
        .route("/workdrive/api/v1/files/{id}", patch(workdrive::change))
        .fallback(no_route)
        .layer(middleware::from_fn_with_state(shared.clone(), guard::guard))
        .layer(DefaultBodyLimit::max(WORKDRIVE_MAX_BYTES))
        .with_state(shared.clone());
    Router::new()
        .route("/workdrive/file/{id}", get(workdrive::download))
        .nest("/_admin", admin::router())
        .nest("/__admin", admin::router())
        .with_state(shared)
        .merge(api)
}

/// A request-level error: `{"code","details","message","status":"error"}`.
pub fn request_error(status: StatusCode, code: &str, message: &str, details: Value) -> Response {
    (status, Json(json!({"code": code, "details": details, "message": message, "status": "error"}))).into_response()
}

/// A record error inside `data[]`.
pub fn record_error(status: StatusCode, code: &str, message: &str, details: Value) -> Response {
    let record = json!({"code": code, "details": details, "message": message, "status": "error"});
    (status, Json(json!({"data": [record]}))).into_response()
}

/// A record written: `{"data":[{"code":"SUCCESS","details":{"id",…},"message","status":"success"}]}`.
pub fn record_ok(status: StatusCode, message: &str, id: &str) -> Response {
    let details = json!({
        "id": id,
        "Created_Time": "2026-03-02T10:00:00+01:00",
        "Modified_Time": "2026-03-02T10:00:00+01:00",
        "Created_By": {"id": "4150868000000000001", "name": "Sandra Sandbox"},
    });
    let record = json!({"code": "SUCCESS", "details": details, "message": message, "status": "success"});
    (status, Json(json!({"data": [record]}))).into_response()
}

/// A list page, or 204 without a body when it is empty (Zoho's "no records").
pub fn listing(rows: Vec<Value>, page: &Paging, more: bool) -> Response {
    if rows.is_empty() {
        return StatusCode::NO_CONTENT.into_response();
    }
    let info = json!({
        "per_page": page.per_page, "count": rows.len(), "page": page.page, "more_records": more,
        "sort_by": "Modified_Time", "sort_order": "desc", "next_page_token": null, "previous_page_token": null,
    });
    Json(json!({"data": rows, "info": info})).into_response()
}

/// The records of a write body `{"data":[{…}, …]}` (1 to 100).
pub fn records(body: &[u8]) -> Result<Vec<serde_json::Map<String, Value>>, Reply> {
    let value: Value = serde_json::from_slice(body).map_err(|_| invalid("the body is not valid JSON", json!({})))?;
    let data = value.get("data").and_then(Value::as_array).ok_or_else(|| {
        refused(StatusCode::BAD_REQUEST, "REQUIRED_PARAM_MISSING", "data is missing", json!({"param_name": "data"}))
    })?;
    if data.is_empty() || data.len() > 100 {
        return Err(invalid("data must hold 1 to 100 records", json!({"param_name": "data"})));
    }
    data.iter()
        .map(|r| r.as_object().cloned().ok_or_else(|| invalid("a record must be an object", json!({}))))
        .collect()
}

/// One record's outcome: its id, or `(code, message, details)`.
pub type Outcome = Result<String, (&'static str, String, Value)>;

/// The answer to a multi-record write: every record's entry; `ok` when all succeeded, 207 when
/// some did, 400 when none did.
pub fn write_answer(ok: StatusCode, message: &str, outcomes: Vec<Outcome>) -> Response {
    let succeeded = outcomes.iter().filter(|o| o.is_ok()).count();
    let status = match succeeded {
        n if n == outcomes.len() => ok,
        0 => StatusCode::BAD_REQUEST,
        _ => StatusCode::MULTI_STATUS,
    };
    let data: Vec<Value> = outcomes
        .into_iter()
        .map(|o| match o {
            Ok(id) => json!({"code": "SUCCESS", "details": {"id": id, "Modified_Time": "2026-03-02T10:00:00+01:00"},
                "message": message, "status": "success"}),
            Err((code, message, details)) => {
                json!({"code": code, "details": details, "message": message, "status": "error"})
            }
        })
        .collect();
    (status, Json(json!({ "data": data }))).into_response()
}

/// A text field of a record (`None` when absent, null or not text).
pub fn text<'a>(record: &'a serde_json::Map<String, Value>, field: &str) -> Option<&'a str> {
    record.get(field).and_then(Value::as_str)
}

/// A refusal from a helper, boxed (a `Response` is large); the handler answers `*reply`.
pub type Reply = Box<Response>;

fn invalid(message: &str, details: Value) -> Reply {
    Box::new(invalid_data(message, details))
}

fn refused(status: StatusCode, code: &str, message: &str, details: Value) -> Reply {
    Box::new(request_error(status, code, message, details))
}

pub fn invalid_data(message: &str, details: Value) -> Response {
    request_error(StatusCode::BAD_REQUEST, "INVALID_DATA", message, details)
}

/// The query string's parameters (decoded).
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        Query(pairs(raw.unwrap_or_default()))
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// `fields` is mandatory on record lists from v3 on [C].
    pub fn require_fields(&self) -> Result<(), Reply> {
        match self.get("fields").map(str::trim) {
            Some(f) if !f.is_empty() => Ok(()),
            _ => Err(refused(
                StatusCode::BAD_REQUEST,
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing",
                json!({"param_name": "fields"}),
            )),
        }
    }
    /// `page` (1-based, default 1) and `per_page` (1..=200, default 200), within record 2,000.
    pub fn paging(&self) -> Result<Paging, Reply> {
        let number = |name: &str, default: usize| match self.get(name) {
            None => Ok(default),
            Some(v) => v.trim().parse::<usize>().map_err(|_| invalid("invalid data", json!({"param_name": name}))),
        };
        let page = number("page", 1)?;
        let per_page = number("per_page", MAX_PER_PAGE)?;
        if page == 0 || per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(invalid("invalid data", json!({"param_name": if page == 0 { "page" } else { "per_page" }})));
        }
        if page.saturating_mul(per_page) > MAX_PAGED_RECORD {
            return Err(refused(
                StatusCode::BAD_REQUEST,
                "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                "you cannot fetch more than 2000 records using page and per_page; use page_token",
                json!({"limit": MAX_PAGED_RECORD}),
            ));
        }
        Ok(Paging { page, per_page })
    }
}

pub struct Paging {
    pub page: usize,
    pub per_page: usize,
}

impl Paging {
    /// This page of `all`, and whether more follow.
    pub fn cut<T: Clone>(&self, all: &[T]) -> (Vec<T>, bool) {
        let from = (self.page - 1) * self.per_page;
        let rows: Vec<T> = all.iter().skip(from).take(self.per_page).cloned().collect();
        (rows, from + self.per_page < all.len())
    }
}

/// One search criterion `(Field:op:value)` with backslash escapes [C grammar]; `equals` behaves
/// like "contains" as in v8 [C]; `starts_with` too. Anything else is refused.
pub fn criterion(raw: &str) -> Result<(String, String, String), Reply> {
    let bad = || refused(StatusCode::BAD_REQUEST, "INVALID_QUERY", "invalid query formed", json!({"criteria": raw}));
    let inner = raw.trim().strip_prefix('(').and_then(|s| s.strip_suffix(')')).ok_or_else(bad)?;
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            ':' if parts.len() < 2 => parts.push(std::mem::take(&mut current)),
            '(' | ')' => return Err(bad()),
            c => current.push(c),
        }
    }
    parts.push(current);
    match parts.as_slice() {
        [field, op, value] if matches!(op.as_str(), "equals" | "starts_with") && !value.is_empty() => {
            Ok((field.clone(), op.clone(), value.clone()))
        }
        _ => Err(bad()),
    }
}

/// Whether `text` matches a criterion's operator and value (case-insensitive).
pub fn satisfies(text: &str, op: &str, value: &str) -> bool {
    let (text, value) = (text.to_lowercase(), value.to_lowercase());
    if op == "starts_with" { text.starts_with(&value) } else { text.contains(&value) }
}

async fn no_route() -> Response {
    request_error(
        StatusCode::NOT_FOUND,
        "INVALID_URL_PATTERN",
        "Please check if the URL trying to access is a correct one",
        json!({}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_are_parsed_with_escapes() {
        assert_eq!(
            criterion(r"(Subject:equals:Bel \(a\,b\))").ok(),
            Some(("Subject".into(), "equals".into(), "Bel (a,b)".into()))
        );
        assert_eq!(
            criterion("(Event_Title:starts_with:x:y)").ok(),
            Some(("Event_Title".into(), "starts_with".into(), "x:y".into()))
        );
        for bad in ["Subject:equals:x", "(Subject:like:x)", "((a:equals:b)and(c:equals:d))", "(Subject:equals:)"] {
            assert!(criterion(bad).is_err(), "{bad}");
        }
        assert!(satisfies("Bel Peeters terug", "equals", "peeters"));
        assert!(!satisfies("Bel Peeters", "starts_with", "peeters"));
    }

    #[test]
    fn paging_is_checked() {
        let q = Query::parse(Some("page=10&per_page=200"));
        assert!(q.paging().is_ok());
        for bad in ["page=11&per_page=200", "per_page=201", "page=0", "page=x"] {
            assert!(Query::parse(Some(bad)).paging().is_err(), "{bad}");
        }
        let p = Paging { page: 2, per_page: 2 };
        assert_eq!(p.cut(&[1, 2, 3, 4, 5]), (vec![3, 4], true));
        assert_eq!(p.cut(&[1, 2, 3, 4]), (vec![3, 4], false));
    }
}
