//! The HTTP surface: `/api/v2/…` behind the guard (faults, bearer) and `/_admin/…` (also
//! `/__admin/…`; no auth, not counted). The OAuth stand-in's router is merged by the server.

mod admin;
mod files;
mod guard;
mod parties;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router, middleware};
use serde_json::{Value, json};
use std::sync::Arc;

use super::config::{DEFAULT_LENGTH, MAX_LENGTH};
use super::state::Shared;
use crate::odata::pairs;

pub fn router(shared: Arc<Shared>) -> Router {
    let body_limit = shared.config.max_file_bytes.saturating_add(1024 * 1024);
    let api = Router::new()
        .route("/api/v2/parties", get(parties::list))
        .route("/api/v2/parties/{id}", get(parties::one))
        .route("/api/v2/parties/{id}/files", get(files::list).post(files::upload))
        .route("/api/v2/parties/{id}/files/{file}", delete(files::remove))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(shared.clone(), guard::guard));
    api.nest("/_admin", admin::router()).nest("/__admin", admin::router()).fallback(no_route).with_state(shared)
}

/// FOSRestBundle's error: `{"code": status, "message": …}` [U].
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"code": status.as_u16(), "message": message.into()}))).into_response()
}

/// FOSRestBundle's form validation answer [U].
pub fn invalid(field: &str, message: &str) -> Response {
    let body = json!({
        "code": 400,
        "message": "Validation Failed",
        "errors": {"children": {field: {"errors": [message]}}},
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

async fn no_route() -> Response {
    error(StatusCode::NOT_FOUND, "No route found")
}

/// The DataTables parameters of a list call [C].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub draw: u64,
    pub start: usize,
    pub length: usize,
    pub search: Option<String>,
    /// `Some(descending)` when sorted by the `name` column.
    pub by_name: Option<bool>,
}

/// `draw`, `start` (0-based), `length` (default 10, more than 100 lowered to 100),
/// `search[value]`, `columns[n][data]` + `order[0][column]` + `order[0][dir]`.
pub fn table(raw: &str) -> Result<Table, Box<Response>> {
    let mut t = Table { draw: 0, start: 0, length: DEFAULT_LENGTH, search: None, by_name: None };
    let mut columns: Vec<(String, String)> = Vec::new();
    let (mut order_column, mut descending) = (None, false);
    for (key, value) in pairs(raw) {
        let number = || {
            value
                .trim()
                .parse::<usize>()
                .map_err(|_| Box::new(error(StatusCode::BAD_REQUEST, format!("{key} must be a whole number"))))
        };
        match key.as_str() {
            "draw" => t.draw = number()? as u64,
            "start" => t.start = number()?,
            "length" => match number()? {
                0 => return Err(Box::new(error(StatusCode::BAD_REQUEST, "length must be at least 1"))),
                n => t.length = n.min(MAX_LENGTH),
            },
            "search[value]" => t.search = Some(value.trim().to_lowercase()).filter(|s| !s.is_empty()),
            "order[0][column]" => order_column = Some(value.trim().to_string()),
            "order[0][dir]" => descending = value.trim().eq_ignore_ascii_case("desc"),
            k if k.starts_with("columns[") && k.ends_with("][data]") => {
                columns.push((k["columns[".len()..k.len() - "][data]".len()].to_string(), value.trim().to_string()));
            }
            _ => {}
        }
    }
    if let Some(c) = order_column
        && columns.iter().any(|(n, data)| *n == c && data == "name")
    {
        t.by_name = Some(descending);
    }
    Ok(t)
}

/// `{draw, recordsTotal, recordsFiltered, data}` [C].
pub fn page(t: &Table, total: usize, filtered: usize, data: Vec<Value>) -> Response {
    Json(json!({"draw": t.draw, "recordsTotal": total, "recordsFiltered": filtered, "data": data})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datatables_parameters() {
        let t = table(
            "draw=3&start=200&length=500&search%5Bvalue%5D=%20Peeters&columns%5B0%5D%5Bdata%5D=name&order%5B0%5D%5Bcolumn%5D=0&order%5B0%5D%5Bdir%5D=desc",
        );
        assert_eq!(
            t.ok(),
            Some(Table { draw: 3, start: 200, length: 100, search: Some("peeters".into()), by_name: Some(true) })
        );
        assert_eq!(table("").ok().map(|t| (t.start, t.length, t.by_name)), Some((0, 10, None)));
        assert_eq!(table("columns[1][data]=city&order[0][column]=1").ok().and_then(|t| t.by_name), None);
        for bad in ["start=-1", "length=0", "length=x", "draw=y"] {
            assert!(table(bad).is_err(), "{bad}");
        }
    }
}
