//! `POST /contacts/imports`, `POST /contacts/imports/{id}/records`, `PATCH` (start; the
//! import runs at once) and `GET /contacts/imports/{id}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::reply::{conflict, created, error, invalid, json_body, no_content, not_found};
use crate::flexmail::config::MAX_IMPORT_RECORDS;
use crate::flexmail::imports::{self, ImportError};
use crate::flexmail::render;
use crate::flexmail::state::Shared;
use crate::flexmail::validate::FieldError;
use crate::state::{read, write};

fn refused(e: ImportError) -> Response {
    match e {
        ImportError::NotFound => not_found("Import"),
        ImportError::Conflict(message) => conflict(message),
        ImportError::TooMany(n) => {
            let message = format!("At most {MAX_IMPORT_RECORDS} records per call, got {n}.");
            error(StatusCode::BAD_REQUEST, message.clone(), vec![FieldError::new("body", message)])
        }
        ImportError::Invalid(errors) => invalid(errors),
    }
}

pub async fn create(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let mut store = write(&shared.store);
    match imports::create(&mut store, &body) {
        Ok(index) => {
            let import = &store.imports[index];
            created(format!("/contacts/imports/{}", import.id), render::import(import))
        }
        Err(e) => refused(e),
    }
}

pub async fn records(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    match imports::add_records(&mut write(&shared.store), &id, &body) {
        Ok(_) => no_content(),
        Err(e) => refused(e),
    }
}

pub async fn start(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    match imports::start(&mut write(&shared.store), &id, &body) {
        Ok(()) => no_content(),
        Err(e) => refused(e),
    }
}

pub async fn one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = read(&shared.store);
    match store.import_index(&id) {
        Some(index) => Json(render::import(&store.imports[index])).into_response(),
        None => not_found("Import"),
    }
}
