//! Documents to approve: `POST /api/v1/documents/to-approve` (multipart: `clientId`, optional
//! `folderId`, `description`, `file`) → 201 with the document; `GET /api/v1/documents?clientId=
//! &search=&page=&pageSize=` (search in file name and description); `DELETE
//! /api/v1/documents/{id}` → 204, 404 unknown, 409 when already approved.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

use super::{error, invalid, page_of, paging, param};
use crate::fid_manager::config::{ALLOWED_EXTENSIONS, MAX_DESCRIPTION_CHARS};
use crate::fid_manager::multipart;
use crate::fid_manager::state::Shared;
use crate::fid_manager::store::{DocumentStatus, StoredDocument};
use crate::state::{lock, read, write};

pub async fn upload(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Some(boundary) = multipart::boundary(content_type) else {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Send the document as multipart/form-data.");
    };
    let form = match multipart::parse(&body, &boundary) {
        Ok(f) => f,
        Err(e) => return invalid("body", &e),
    };
    let document = match check(&shared, &form) {
        Ok(d) => d,
        Err(response) => return *response,
    };
    let stored = {
        let mut store = write(&shared.store);
        let id = store.add_document(document);
        store.document(id).map(StoredDocument::to_json)
    };
    lock(&shared.stats).created();
    stall(&shared).await;
    match stored {
        Some(json) => (StatusCode::CREATED, Json(json)).into_response(),
        None => error(StatusCode::INTERNAL_SERVER_ERROR, "The document could not be stored."),
    }
}

/// The "timeout after store" fault: the item is stored, the answer comes late.
pub async fn stall(shared: &Shared) {
    let delay = lock(&shared.stalls).take();
    if let Some(delay) = delay {
        lock(&shared.stats).stalled();
        tokio::time::sleep(delay).await;
    }
}

fn check(shared: &Shared, form: &multipart::Form) -> Result<StoredDocument, Box<Response>> {
    let Some(client_text) = form.text("clientId") else {
        return Err(Box::new(invalid("clientId", "The clientId field is required.")));
    };
    let Some(file) = form.part("file").filter(|p| p.file_name.is_some()) else {
        return Err(Box::new(invalid("file", "The file field is required.")));
    };
    let file_name = file.file_name.clone().unwrap_or_default();
    if file.bytes.is_empty() {
        return Err(Box::new(invalid("file", "The file is empty.")));
    }
    if file.bytes.len() > shared.config.max_file_bytes {
        let mb = shared.config.max_file_bytes / (1024 * 1024);
        return Err(Box::new(error(StatusCode::PAYLOAD_TOO_LARGE, format!("The file is larger than {mb} MB."))));
    }
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !ALLOWED_EXTENSIONS.contains(&extension.as_str()) {
        return Err(Box::new(invalid("file", &format!("Files of type '.{extension}' cannot be imported."))));
    }
    let description = form.part("description").map(multipart::Part::text).unwrap_or_default();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Box::new(invalid("description", "The description may not be longer than 1000 characters.")));
    }
    let store = read(&shared.store);
    let Some(client) = client_text.parse::<u64>().ok().filter(|id| store.client(*id).is_some()) else {
        return Err(Box::new(error(StatusCode::NOT_FOUND, format!("Client {client_text} was not found."))));
    };
    let folder = match form.text("folderId") {
        None => None,
        Some(f) => {
            let known = f
                .parse::<u64>()
                .ok()
                .filter(|id| store.folders(client).is_some_and(|list| list.iter().any(|folder| folder.id == *id)));
            match known {
                Some(id) => Some(id),
                None => {
                    return Err(Box::new(error(
                        StatusCode::NOT_FOUND,
                        format!("Folder {f} was not found for client {client}."),
                    )));
                }
            }
        }
    };
    Ok(StoredDocument {
        id: 0,
        client_id: client,
        folder_id: folder,
        file_name,
        content_type: file.content_type.clone().unwrap_or_else(|| "application/octet-stream".into()),
        description,
        bytes: if shared.config.keep_file_contents { file.bytes.clone() } else { Vec::new() },
        size: file.bytes.len(),
        status: DocumentStatus::ToApprove,
    })
}

pub async fn list(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let (page, size) = match paging(&raw) {
        Ok(p) => p,
        Err(response) => return *response,
    };
    let client = param(&raw, "clientId");
    let search = param(&raw, "search").map(|s| s.to_lowercase());
    let store = read(&shared.store);
    if let Some(c) = &client
        && c.parse::<u64>().ok().and_then(|id| store.client(id)).is_none()
    {
        return error(StatusCode::NOT_FOUND, format!("Client {c} was not found."));
    }
    let matching: Vec<&StoredDocument> = store
        .documents()
        .filter(|d| client.as_deref().is_none_or(|c| d.client_id.to_string() == c))
        .filter(|d| {
            search
                .as_deref()
                .is_none_or(|s| d.file_name.to_lowercase().contains(s) || d.description.to_lowercase().contains(s))
        })
        .collect();
    let items: Vec<Value> =
        matching.iter().skip((page - 1).saturating_mul(size)).take(size).map(|d| d.to_json()).collect();
    page_of(items, page, size, matching.len())
}

pub async fn remove(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let removed = {
        let mut store = write(&shared.store);
        match id.trim().parse::<u64>().ok().and_then(|n| store.document(n).map(|d| (n, d.status))) {
            None => Err(error(StatusCode::NOT_FOUND, format!("Document {id} was not found."))),
            Some((_, DocumentStatus::Approved)) => Err(error(
                StatusCode::CONFLICT,
                format!("Document {id} was already approved and can no longer be deleted."),
            )),
            Some((n, DocumentStatus::ToApprove)) => Ok(store.remove_document(n)),
        }
    };
    match removed {
        Ok(_) => {
            lock(&shared.stats).deleted();
            stall(&shared).await;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(response) => response,
    }
}
