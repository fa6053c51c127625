//! `GET /relations?page={n}&pageSize={m}[&search=text]`: `page` 0-based (default 0), `pageSize`
//! 1..=400 (default 20; more is lowered to 400). Answer `{results, page, pageSize, pageCount,
//! totalCount}`; a page past the end has no results. A parameter that is not a whole number is a
//! 400. `search` [U] keeps the rows with a text field (name, trade name, client code, VAT
//! number, e-mail, …) containing the text, ignoring case; the counts are of those rows.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

use super::error;
use crate::adminpulse::config::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::adminpulse::state::Shared;
use crate::odata::pairs;
use crate::state::read;

pub async fn list(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let (page, size) = match paging(raw.as_deref().unwrap_or_default()) {
        Ok(p) => p,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let search = pairs(raw.as_deref().unwrap_or_default())
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("search"))
        .map(|(_, v)| v.trim().to_lowercase())
        .filter(|v| !v.is_empty());
    let store = read(&shared.store);
    let (total, results) = match search {
        None => (store.len(), store.page(page.saturating_mul(size), size)),
        Some(text) => {
            let found = store.search(&text);
            (found.len(), found.into_iter().skip(page.saturating_mul(size)).take(size).collect())
        }
    };
    drop(store);
    let page_count = total.div_ceil(size);
    Json(json!({
        "results": results,
        "page": page,
        "pageSize": size,
        "pageCount": page_count,
        "totalCount": total,
    }))
    .into_response()
}

/// `(page, pageSize)` from the query string (names case-insensitive).
pub fn paging(raw: &str) -> Result<(usize, usize), String> {
    let (mut page, mut size) = (0usize, DEFAULT_PAGE_SIZE);
    for (key, value) in pairs(raw) {
        let number =
            || value.trim().parse::<usize>().map_err(|_| format!("{key} must be a whole number, got '{value}'"));
        match key.to_ascii_lowercase().as_str() {
            "page" => page = number()?,
            "pagesize" => match number()? {
                0 => return Err("pageSize must be at least 1".into()),
                n => size = n.min(MAX_PAGE_SIZE),
            },
            _ => {}
        }
    }
    Ok((page, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_parameters() {
        assert_eq!(paging(""), Ok((0, DEFAULT_PAGE_SIZE)));
        assert_eq!(paging("page=2&pageSize=400"), Ok((2, 400)));
        assert_eq!(paging("pageSize=1"), Ok((0, 1)));
        assert_eq!(paging("PAGESIZE=1000&Page=1"), Ok((1, MAX_PAGE_SIZE)), "more than 400 is lowered");
        for bad in ["page=-1", "pageSize=0", "pageSize=x", "page=1.5"] {
            assert!(paging(bad).is_err(), "{bad}");
        }
    }
}
