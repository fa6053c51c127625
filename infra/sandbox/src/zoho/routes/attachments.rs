//! An event's attachments: `POST /crm/v8/Events/{id}/Attachments` (multipart part `file`, at most
//! 100 MB, no `.exe`), `GET …/Attachments` (204 when none), `DELETE …/Attachments/{attachment}`.
//! An event that does not exist answers 400 `INVALID_DATA`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use std::sync::Arc;

use super::{Query, Reply, invalid_data, listing, record_ok, request_error, write_answer};
use crate::state::{read, write};
use crate::zoho::config::ATTACHMENT_MAX_BYTES;
use crate::zoho::multipart::{self, Part};
use crate::zoho::state::Shared;

/// The parts of a multipart request, or the 400 Zoho would give.
pub fn form(headers: &HeaderMap, body: &[u8]) -> Result<Vec<Part>, Reply> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multipart::boundary(content_type).ok_or_else(|| {
        Box::new(invalid_data("the request must be multipart/form-data", json!({"expected": "multipart/form-data"})))
    })?;
    multipart::parse(body, &boundary)
        .map_err(|e| Box::new(invalid_data(&format!("the form could not be read: {e}"), json!({}))))
}

fn no_event(id: &str) -> Response {
    invalid_data("the related id given seems to be invalid", json!({"id": id}))
}

pub async fn upload(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !read(&shared.store).has_event(&id) {
        return no_event(&id);
    }
    let parts = match form(&headers, &body) {
        Ok(p) => p,
        Err(e) => return *e,
    };
    let Some(file) = parts.into_iter().find(|p| p.name == "file" && p.file_name.is_some()) else {
        return request_error(
            StatusCode::BAD_REQUEST,
            "REQUIRED_PARAM_MISSING",
            "file is missing",
            json!({"param_name": "file"}),
        );
    };
    let name = file.file_name.clone().unwrap_or_default();
    if name.to_ascii_lowercase().ends_with(".exe") {
        return invalid_data("exe files cannot be attached", json!({"param_name": "file"}));
    }
    if file.data.len() > ATTACHMENT_MAX_BYTES {
        return request_error(
            StatusCode::BAD_REQUEST,
            "FILE_SIZE_MORE_THAN_ALLOWED_SIZE",
            "the file is too large",
            json!({}),
        );
    }
    let mut store = write(&shared.store);
    if !store.has_event(&id) {
        return no_event(&id);
    }
    let attachment = store.add_attachment(&id, &name, file.content_type, file.data);
    record_ok(StatusCode::OK, "attachment uploaded successfully", &attachment)
}

pub async fn list(State(shared): State<Arc<Shared>>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let paging = match Query::parse(raw.as_deref()).paging() {
        Ok(p) => p,
        Err(e) => return *e,
    };
    let store = read(&shared.store);
    if !store.has_event(&id) {
        return no_event(&id);
    }
    let rows: Vec<Value> = store
        .attachments_of(&id)
        .into_iter()
        .map(|a| {
            json!({"id": a.id, "File_Name": a.file_name, "Size": a.bytes.len().to_string(),
            "Parent_Id": {"id": a.event_id}, "$se_module": "Events"})
        })
        .collect();
    let (rows, more) = paging.cut(&rows);
    listing(rows, &paging, more)
}

pub async fn remove(State(shared): State<Arc<Shared>>, Path((id, attachment)): Path<(String, String)>) -> Response {
    let mut store = write(&shared.store);
    if !store.has_event(&id) {
        return no_event(&id);
    }
    let outcome = if store.delete_attachment(&id, &attachment) {
        Ok(attachment)
    } else {
        Err(("INVALID_DATA", "the id given seems to be invalid".to_string(), json!({"id": attachment})))
    };
    write_answer(StatusCode::OK, "record deleted", vec![outcome])
}
