//! `GET /api/v2/parties` (DataTables: search in name, reference and city; sort by name) and
//! `GET /api/v2/parties/{id}` [C].

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

use super::{error, page, table};
use crate::brokercloud::state::Shared;
use crate::brokercloud::store::Party;
use crate::state::read;

pub async fn list(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let t = match table(&raw.unwrap_or_default()) {
        Ok(t) => t,
        Err(response) => return *response,
    };
    let store = read(&shared.store);
    let mut matching: Vec<&Party> = store
        .parties()
        .iter()
        .filter(|p| {
            t.search.as_deref().is_none_or(|s| {
                p.name.to_lowercase().contains(s)
                    || p.reference().to_lowercase().contains(s)
                    || p.city.to_lowercase().contains(s)
            })
        })
        .collect();
    if let Some(descending) = t.by_name {
        matching.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        if descending {
            matching.reverse();
        }
    }
    let data: Vec<Value> =
        matching.iter().skip(t.start).take(t.length).filter_map(|p| serde_json::to_value(p).ok()).collect();
    page(&t, store.party_count(), matching.len(), data)
}

pub async fn one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = read(&shared.store);
    match id.trim().parse::<u64>().ok().and_then(|id| store.party(id)) {
        Some(p) => Json(p).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("Party {id} not found")),
    }
}
