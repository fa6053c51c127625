//! `GET /v2/relaties/{id}`, `POST /v2/relaties`, `PUT /v2/relaties/{id}` (rules in
//! `data_writes.rs`). A write may be hit by an after-store fault (`state::AfterStore`): the
//! change is stored, then the answer is a 5xx or comes late.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

use crate::data::{Resource, WriteRefused, relatie_not_found};
use crate::state::{AfterStore, Shared, lock, read, write};

pub async fn get_one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match read(&shared.data).record(Resource::Relaties, &id) {
        Some(row) => Json(row).into_response(),
        None => (StatusCode::NOT_FOUND, Json(relatie_not_found(&id))).into_response(),
    }
}

pub async fn create(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body = match parse(&body) {
        Ok(body) => body,
        Err(refused) => return refused_response(refused),
    };
    let stored = write(&shared.data).create_relatie(&body, now_ms());
    match stored {
        Ok(row) => {
            let location = row["uri"].as_str().map(|uri| format!("/v2{uri}"));
            let mut response = (StatusCode::CREATED, Json(row)).into_response();
            if let Some(value) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            after_store(&shared, response).await
        }
        Err(refused) => refused_response(refused),
    }
}

pub async fn replace(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let body = match parse(&body) {
        Ok(body) => body,
        Err(refused) => return refused_response(refused),
    };
    let stored = write(&shared.data).replace_relatie(&id, &body, now_ms());
    match stored {
        Ok(row) => after_store(&shared, Json(row).into_response()).await,
        Err(refused) => refused_response(refused),
    }
}

fn parse(body: &[u8]) -> Result<Value, WriteRefused> {
    serde_json::from_slice(body).map_err(|e| WriteRefused {
        status: 400,
        body: json!({"message": format!("De body is geen geldige JSON: {e}")}),
    })
}

fn refused_response(refused: WriteRefused) -> Response {
    let status = StatusCode::from_u16(refused.status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(refused.body)).into_response()
}

/// Applies a pending after-store fault to the answer of a stored write.
async fn after_store(shared: &Shared, stored: Response) -> Response {
    let fault = lock(&shared.after_store).pop_front();
    if fault.is_some() {
        lock(&shared.stats).fault_served();
    }
    match fault {
        None => stored,
        Some(AfterStore::ServerError { status }) => super::server_error(status),
        Some(AfterStore::Slow { delay_ms }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            stored
        }
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
