//! A party's files [U]: `GET /api/v2/parties/{id}/files` (DataTables; search in file name and
//! description), `POST` (multipart `file`, `description`) → 201 with the file, `DELETE
//! /api/v2/parties/{id}/files/{file}` → 204 (404 unknown, 409 locked). 404 for an unknown party.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

use super::{error, invalid, page, table};
use crate::brokercloud::config::ALLOWED_EXTENSIONS;
use crate::brokercloud::state::Shared;
use crate::brokercloud::store::StoredFile;
use crate::fid_manager::multipart;
use crate::state::{lock, read, write};

fn party_id(shared: &Shared, id: &str) -> Result<u64, Box<Response>> {
    id.trim()
        .parse::<u64>()
        .ok()
        .filter(|id| read(&shared.store).party(*id).is_some())
        .ok_or_else(|| Box::new(error(StatusCode::NOT_FOUND, format!("Party {id} not found"))))
}

pub async fn list(State(shared): State<Arc<Shared>>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let (party, t) = match (party_id(&shared, &id), table(&raw.unwrap_or_default())) {
        (Ok(p), Ok(t)) => (p, t),
        (Err(r), _) | (_, Err(r)) => return *r,
    };
    let store = read(&shared.store);
    let all: Vec<&StoredFile> = store.files().filter(|f| f.party_id == party).collect();
    let matching: Vec<&&StoredFile> = all
        .iter()
        .filter(|f| {
            t.search
                .as_deref()
                .is_none_or(|s| f.filename.to_lowercase().contains(s) || f.description.to_lowercase().contains(s))
        })
        .collect();
    let data: Vec<Value> = matching.iter().skip(t.start).take(t.length).map(|f| f.to_json()).collect();
    page(&t, all.len(), matching.len(), data)
}

pub async fn upload(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let party = match party_id(&shared, &id) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Some(boundary) = multipart::boundary(content_type) else {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Upload the file as multipart/form-data");
    };
    let form = match multipart::parse(&body, &boundary) {
        Ok(f) => f,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let file = match check(&shared, party, &form) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let stored = {
        let mut store = write(&shared.store);
        let id = store.add_file(file);
        store.file(id).map(StoredFile::to_json)
    };
    lock(&shared.stats).created();
    stall(&shared).await;
    match stored {
        Some(json) => (StatusCode::CREATED, Json(json)).into_response(),
        None => error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error"),
    }
}

fn check(shared: &Shared, party: u64, form: &multipart::Form) -> Result<StoredFile, Box<Response>> {
    let Some(file) = form.part("file").filter(|p| p.file_name.is_some()) else {
        return Err(Box::new(invalid("file", "This value should not be blank.")));
    };
    let filename = file.file_name.clone().unwrap_or_default();
    if file.bytes.is_empty() {
        return Err(Box::new(invalid("file", "An empty file is not allowed.")));
    }
    if file.bytes.len() > shared.config.max_file_bytes {
        let mb = shared.config.max_file_bytes / (1024 * 1024);
        return Err(Box::new(error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The file is too large. Allowed maximum size is {mb} MB."),
        )));
    }
    let extension = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !ALLOWED_EXTENSIONS.contains(&extension.as_str()) {
        return Err(Box::new(invalid("file", &format!("The extension of the file is invalid (\"{extension}\")."))));
    }
    Ok(StoredFile {
        id: 0,
        party_id: party,
        filename,
        mime_type: file.content_type.clone().unwrap_or_else(|| "application/octet-stream".into()),
        description: form.part("description").map(multipart::Part::text).unwrap_or_default(),
        bytes: if shared.config.keep_file_contents { file.bytes.clone() } else { Vec::new() },
        size: file.bytes.len(),
        locked: false,
    })
}

pub async fn remove(State(shared): State<Arc<Shared>>, Path((id, file)): Path<(String, String)>) -> Response {
    let party = match party_id(&shared, &id) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let removed = {
        let mut store = write(&shared.store);
        let found = file
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|n| store.file(n).filter(|f| f.party_id == party).map(|f| (n, f.locked)));
        match found {
            None => Err(error(StatusCode::NOT_FOUND, format!("File {file} not found"))),
            Some((_, true)) => Err(error(StatusCode::CONFLICT, format!("File {file} is locked and cannot be deleted"))),
            Some((n, false)) => Ok(store.remove_file(n)),
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

/// The "timeout after store" fault: the write is done, the answer comes late.
async fn stall(shared: &Shared) {
    let delay = lock(&shared.stalls).take();
    if let Some(delay) = delay {
        lock(&shared.stats).stalled();
        tokio::time::sleep(delay).await;
    }
}
