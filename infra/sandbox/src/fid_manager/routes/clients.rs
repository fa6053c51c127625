//! `GET /api/v1/clients?search=&page=&pageSize=` (search in name, client number and VAT number)
//! and `GET /api/v1/clients/{id}/folders?page=&pageSize=` (404 for an unknown client).

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;
use std::sync::Arc;

use super::{error, page_of, paging, param};
use crate::fid_manager::state::Shared;
use crate::state::read;

pub async fn list(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let (page, size) = match paging(&raw) {
        Ok(p) => p,
        Err(response) => return *response,
    };
    let search = param(&raw, "search");
    let store = read(&shared.store);
    let all = store.clients(search.as_deref());
    let items: Vec<Value> = all
        .iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .filter_map(|c| serde_json::to_value(c).ok())
        .collect();
    page_of(items, page, size, all.len())
}

pub async fn folders(State(shared): State<Arc<Shared>>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let (page, size) = match paging(&raw.unwrap_or_default()) {
        Ok(p) => p,
        Err(response) => return *response,
    };
    let store = read(&shared.store);
    let Some(folders) = id.trim().parse::<u64>().ok().and_then(|id| store.folders(id)) else {
        return error(StatusCode::NOT_FOUND, format!("Client {id} was not found."));
    };
    let items: Vec<Value> = folders
        .iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .filter_map(|f| serde_json::to_value(f).ok())
        .collect();
    page_of(items, page, size, folders.len())
}
