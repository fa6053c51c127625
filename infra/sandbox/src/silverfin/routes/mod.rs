//! The HTTP surface under `/api/v4/f/{firm}` behind the guard (faults, Bearer, firm), Silverfin's
//! error shapes, and `/_admin/…` (also `/__admin/…`; no auth, not counted).

mod admin;
mod companies;
mod documents;
mod guard;
mod remarks;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use axum::{Json, Router, middleware};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

use super::config::{MAX_UPLOAD_BYTES, PER_PAGE};
use super::faults::SilverfinFaultKind;
use super::state::Shared;
use crate::odata::pairs;
use crate::state::lock;

pub const PREFIX: &str = "/api/v4/f/{firm}";

pub fn router(shared: Arc<Shared>) -> Router {
    let company = "/companies/{company}";
    let remarks = "/companies/{company}/periods/{period}/remarks";
    let api = Router::new()
        .route(&format!("{PREFIX}/user/firm"), get(companies::firm))
        .route(&format!("{PREFIX}/companies"), get(companies::list))
        .route(&format!("{PREFIX}{company}"), get(companies::one))
        .route(&format!("{PREFIX}{company}/periods"), get(companies::periods))
        .route(&format!("{PREFIX}{remarks}"), get(remarks::list).post(remarks::create))
        .route(&format!("{PREFIX}{remarks}/{{remark}}"), delete(remarks::destroy))
        .route(&format!("{PREFIX}{remarks}/{{remark}}/flag"), put(remarks::flag))
        .route(&format!("{PREFIX}{company}/permanent_documents"), axum::routing::post(documents::create))
        .route(
            &format!("{PREFIX}{company}/permanent_documents/{{document}}"),
            get(documents::one).delete(documents::destroy),
        )
        .route(&format!("{PREFIX}{company}/permanent_folders/{{folder}}"), get(documents::folder))
        .layer(middleware::from_fn_with_state(shared.clone(), guard::guard))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024));
    api.nest("/_admin", admin::router()).nest("/__admin", admin::router()).fallback(no_route).with_state(shared)
}

/// `{"error": message}` with `status` (Silverfin's shape for 400/404, [C] silverfin-cli).
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

/// Doorkeeper's `{"error", "error_description"}` (401 / 403) [C].
pub fn doorkeeper(status: StatusCode, code: &str, description: &str) -> Response {
    (status, Json(json!({"error": code, "error_description": description}))).into_response()
}

/// 422 with Rails' `{"errors": {field: [message]}}` [U].
pub fn invalid(field: &str, message: &str) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"errors": {field: [message]}}))).into_response()
}

pub fn not_found(what: &str) -> Response {
    error(StatusCode::NOT_FOUND, format!("{what} not found"))
}

/// `(page, per_page)` from the query: `page` 1-based (default 1, 0 read as 1), `per_page`
/// 1..=200 (default 200, more lowered to 200). A value that is not a whole number is a 400.
pub fn paging(raw: Option<&str>) -> Result<(usize, usize), Box<Response>> {
    let (mut page, mut size) = (1usize, PER_PAGE);
    for (key, value) in pairs(raw.unwrap_or_default()) {
        let number = || {
            value.trim().parse::<usize>().map_err(|_| {
                Box::new(error(StatusCode::BAD_REQUEST, format!("{key} must be a whole number, got '{value}'")))
            })
        };
        match key.as_str() {
            "page" => page = number()?.max(1),
            "per_page" => size = number()?.clamp(1, PER_PAGE),
            _ => {}
        }
    }
    Ok((page, size))
}

/// A JSON array page cut from `rows`.
pub fn page_of(rows: Vec<Value>, page: usize, size: usize) -> Response {
    let from = (page - 1).saturating_mul(size);
    Json(Value::Array(rows.into_iter().skip(from).take(size).collect())).into_response()
}

/// A path id that is a number, else 404 for `what`.
pub fn id(raw: &str, what: &str) -> Result<u64, Box<Response>> {
    raw.parse::<u64>().map_err(|_| Box::new(not_found(what)))
}

/// After a write stored its item: a due "stall after store" makes the answer late (the client has
/// given up by then; the item stays stored).
pub async fn after_store(shared: &Shared, method: &str, path: &str) {
    let due = lock(&shared.faults).take(method, path, true);
    if let Some(SilverfinFaultKind::StallAfterStore { delay_ms }) = due {
        lock(&shared.stats).snapshot.stalls += 1;
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
    }
}

async fn no_route() -> Response {
    error(StatusCode::NOT_FOUND, "Not found")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_parameters() {
        assert_eq!(paging(None).ok(), Some((1, 200)));
        assert_eq!(paging(Some("page=3&per_page=50")).ok(), Some((3, 50)));
        assert_eq!(paging(Some("page=0&per_page=1000")).ok(), Some((1, 200)));
        assert!(paging(Some("page=x")).is_err());
        assert!(paging(Some("per_page=-1")).is_err());
    }
}
