//! `GET /user/firm`, `GET /companies` (bare array, `page`/`per_page`, empty array past the end),
//! `GET /companies/{id}`, `GET /companies/{id}/periods` (bare array, paged alike).

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::{id, not_found, page_of, paging};
use crate::silverfin::state::Shared;
use crate::state::read;

pub async fn firm(State(shared): State<Arc<Shared>>, Path(firm): Path<String>) -> Response {
    let store = read(&shared.store);
    match store.firm_name(&firm) {
        Some(name) => {
            Json(json!({"id": firm.parse::<u64>().map(Value::from).unwrap_or(Value::from(firm.clone())), "name": name}))
                .into_response()
        }
        None => not_found("Firm"),
    }
}

pub async fn list(State(shared): State<Arc<Shared>>, Path(firm): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let (page, size) = match paging(raw.as_deref()) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let store = read(&shared.store);
    let from = (page - 1).saturating_mul(size);
    let rows: Vec<Value> = store.companies_page(&firm, from, size).into_iter().map(|c| c.to_json()).collect();
    Json(Value::Array(rows)).into_response()
}

pub async fn one(State(shared): State<Arc<Shared>>, Path((firm, company)): Path<(String, String)>) -> Response {
    let company = match id(&company, "Company") {
        Ok(c) => c,
        Err(r) => return *r,
    };
    match read(&shared.store).company(&firm, company) {
        Some(c) => Json(c.to_json()).into_response(),
        None => not_found("Company"),
    }
}

pub async fn periods(
    State(shared): State<Arc<Shared>>,
    Path((firm, company)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let (page, size) = match paging(raw.as_deref()) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let company = match id(&company, "Company") {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let store = read(&shared.store);
    if store.company(&firm, company).is_none() {
        return not_found("Company");
    }
    let rows = store.periods(company).iter().map(|p| p.to_json()).collect();
    page_of(rows, page, size)
}
