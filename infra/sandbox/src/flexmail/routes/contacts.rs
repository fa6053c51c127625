//! `GET /contacts` (paged, or `email=` exact and case-insensitive), `GET`/`PATCH
//! /contacts/{id}`, `POST /contacts`, `POST /contacts/{id}/unsubscribe`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::reply::{created, error, invalid, json_body, no_content, not_found, numeric_id, paging, param, query};
use crate::flexmail::render;
use crate::flexmail::state::Shared;
use crate::flexmail::store::{Store, StoreError};
use crate::flexmail::validate::{self, FieldError};
use crate::state::{read, write};

pub async fn list(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let query = query(raw.as_deref());
    let (limit, offset) = match paging(&query) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let store = read(&shared.store);
    let body = match param(&query, "email") {
        Some(email) => {
            let found: Vec<_> = store.index_by_email(email).into_iter().collect();
            let items = found.iter().skip(offset).take(limit).filter_map(|i| row(&store, *i)).collect();
            render::hal("/contacts", found.len(), Some((limit, offset)), items)
        }
        None => {
            let contacts = store.contacts();
            let page = contacts.get(offset.min(contacts.len())..offset.saturating_add(limit).min(contacts.len()));
            let items = page.unwrap_or_default().iter().map(|c| render::contact(&store, c)).collect();
            render::hal("/contacts", contacts.len(), Some((limit, offset)), items)
        }
    };
    drop(store);
    Json(body).into_response()
}

fn row(store: &Store, index: usize) -> Option<serde_json::Value> {
    store.get(index).map(|c| render::contact(store, c))
}

fn index(store: &Store, id: &str) -> Option<usize> {
    numeric_id(id).and_then(|id| store.index_of(id))
}

pub async fn one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = read(&shared.store);
    match index(&store, &id).and_then(|i| row(&store, i)) {
        Some(body) => Json(body).into_response(),
        None => not_found("Contact"),
    }
}

pub async fn create(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let mut store = write(&shared.store);
    let new = match validate::new_contact(&store, &body) {
        Ok(new) => new,
        Err(errors) => return invalid(errors),
    };
    match store.insert(new) {
        Ok(index) => match store.get(index) {
            Some(c) => created(format!("/contacts/{}", c.id), render::contact(&store, c)),
            None => not_found("Contact"),
        },
        Err(StoreError::DuplicateEmail(email)) => duplicate(&email),
        Err(StoreError::NotFound) => not_found("Contact"),
    }
}

fn duplicate(email: &str) -> Response {
    let message = format!("A contact with email address {email} already exists.");
    error(StatusCode::CONFLICT, message, vec![FieldError::new("email", "This email address is already in use.")])
}

pub async fn update(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let mut store = write(&shared.store);
    let Some(index) = index(&store, &id) else { return not_found("Contact") };
    let patch = match validate::patch(&store, &body) {
        Ok(patch) => patch,
        Err(errors) => return invalid(errors),
    };
    match store.patch(index, patch) {
        Ok(()) => no_content(),
        Err(StoreError::DuplicateEmail(email)) => duplicate(&email),
        Err(StoreError::NotFound) => not_found("Contact"),
    }
}

/// The global opt-out (no body, no content).
pub async fn unsubscribe(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let mut store = write(&shared.store);
    match index(&store, &id).and_then(|i| store.set_subscribed(i, false)) {
        Some(()) => no_content(),
        None => not_found("Contact"),
    }
}
