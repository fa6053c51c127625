//! The HTTP surface: `POST /api/v1/auth/login`, the API behind the guard (faults, session token),
//! and `/_admin/…` (also `/__admin/…`; no auth, not counted).

mod admin;
mod clients;
mod documents;
mod guard;
mod login;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router, middleware};
use serde_json::{Value, json};
use std::sync::Arc;

use super::state::Shared;
use crate::odata::pairs;

/// The sign-in path (outside the token check).
pub const LOGIN_PATH: &str = "/api/v1/auth/login";

pub fn router(shared: Arc<Shared>) -> Router {
    // The body limit is above the upload limit so that a too-large file gets Fid-Manager's 413.
    let body_limit = shared.config.max_file_bytes.saturating_add(1024 * 1024);
    let api = Router::new()
        .route(LOGIN_PATH, post(login::login))
        .route("/api/v1/clients", get(clients::list))
        .route("/api/v1/clients/{id}/folders", get(clients::folders))
        .route("/api/v1/documents/to-approve", post(documents::upload))
        .route("/api/v1/documents", get(documents::list))
        .route("/api/v1/documents/{id}", delete(documents::remove))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(shared.clone(), guard::guard));
    api.nest("/_admin", admin::router()).nest("/__admin", admin::router()).fallback(no_route).with_state(shared)
}

/// `{"message": …}` with `status` [U: the connector's reading of Fid-Manager's errors].
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"message": message.into()}))).into_response()
}

/// ASP.NET's validation answer: `{"title", "status": 400, "errors": {field: [messages]}}`.
pub fn invalid(field: &str, message: &str) -> Response {
    let body = json!({
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": {field: [message]},
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

async fn no_route() -> Response {
    error(StatusCode::NOT_FOUND, "Not found.")
}

/// `(page, pageSize)` from the query: `page` 1-based (default 1), `pageSize` 1.. (default 25,
/// more than 100 lowered to 100). Names case-insensitive.
pub fn paging(raw: &str) -> Result<(usize, usize), Box<Response>> {
    let (mut page, mut size) = (1usize, super::config::DEFAULT_PAGE_SIZE);
    for (key, value) in pairs(raw) {
        let number =
            || value.trim().parse::<usize>().map_err(|_| Box::new(invalid(&key, "The value is not a valid number.")));
        match key.to_ascii_lowercase().as_str() {
            "page" => match number()? {
                0 => return Err(Box::new(invalid("page", "The page must be 1 or more."))),
                n => page = n,
            },
            "pagesize" => match number()? {
                0 => return Err(Box::new(invalid("pageSize", "The page size must be 1 or more."))),
                n => size = n.min(super::config::MAX_PAGE_SIZE),
            },
            _ => {}
        }
    }
    Ok((page, size))
}

/// A query parameter (name case-insensitive), trimmed, non-empty.
pub fn param(raw: &str, name: &str) -> Option<String> {
    pairs(raw)
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `{items, page, pageSize, totalCount}`.
pub fn page_of(items: Vec<Value>, page: usize, size: usize, total: usize) -> Response {
    Json(json!({"items": items, "page": page, "pageSize": size, "totalCount": total})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_parameters() {
        let ok = |raw: &str| paging(raw).ok();
        assert_eq!(ok(""), Some((1, 25)));
        assert_eq!(ok("page=3&pageSize=100"), Some((3, 100)));
        assert_eq!(ok("PAGESIZE=500"), Some((1, 100)));
        for bad in ["page=0", "pageSize=0", "page=x", "page=-1"] {
            assert!(paging(bad).is_err(), "{bad}");
        }
        assert_eq!(param("Search=%20Peeters%20&x=1", "search").as_deref(), Some("Peeters"));
        assert_eq!(param("search=", "search"), None);
    }
}
