//! WorkDrive: `POST /workdrive/api/v1/upload` (multipart `content`, `parent_id`, `filename`
//! URL-encoded, `override-name-exist`), `GET /workdrive/api/v1/files/{folder}/files`
//! (`page[limit]` ≤ 50, `page[offset]`), `PATCH /workdrive/api/v1/files/{id}` (`status: "51"`
//! trashes), and the permalink `GET /workdrive/file/{id}` (no auth: the current
//! version's bytes). Errors are JSON:API `{"errors":[{"id","title"}]}`; an upload into a folder
//! the user does not own is a 401 [C].

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::Query;
use super::attachments::form;
use crate::odata::decode;
use crate::state::{read, write};
use crate::zoho::model::DriveFile;
use crate::zoho::state::Shared;

fn errors(status: StatusCode, id: &str, title: &str) -> Response {
    (status, Json(json!({"errors": [{"id": id, "title": title}]}))).into_response()
}

fn entry(file: &DriveFile) -> Value {
    json!({"id": file.id, "type": "files", "attributes": {
        "name": file.name, "permalink": file.permalink, "parent_id": file.folder,
        "status": if file.trashed { "51" } else { "1" }, "version": file.versions.len().to_string(),
    }})
}

pub async fn upload(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let parts = match form(&headers, &body) {
        Ok(p) => p,
        Err(_) => return errors(StatusCode::BAD_REQUEST, "F000", "The request must be multipart/form-data"),
    };
    let field = |name: &str| parts.iter().find(|p| p.name == name);
    let Some(content) = field("content").filter(|p| p.file_name.is_some()) else {
        return errors(StatusCode::BAD_REQUEST, "F000", "Missing content");
    };
    let folder = field("parent_id").map(|p| p.text()).unwrap_or_default();
    if !shared.config.workdrive_folders.contains(&folder) {
        return errors(StatusCode::UNAUTHORIZED, "F7003", "You do not have permission to upload into this folder");
    }
    let name = field("filename").map(|p| decode(&p.text())).or_else(|| content.file_name.clone()).unwrap_or_default();
    if name.trim().is_empty() {
        return errors(StatusCode::BAD_REQUEST, "F000", "Missing filename");
    }
    let override_existing = field("override-name-exist").is_some_and(|p| p.text().trim() == "true");
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1").to_string();
    let file = write(&shared.store).upload(&folder, &name, content.data.clone(), override_existing, |id| {
        format!("http://{host}/workdrive/file/{id}")
    });
    let attributes = json!({
        "Permalink": file.permalink, "File INFO": format!("{} bytes", file.current().len()),
        "parent_id": file.folder, "FileName": file.name, "resource_id": file.id,
    });
    Json(json!({"data": [{"attributes": attributes, "type": "files"}]})).into_response()
}

pub async fn list(State(shared): State<Arc<Shared>>, Path(folder): Path<String>, RawQuery(raw): RawQuery) -> Response {
    if !shared.config.workdrive_folders.contains(&folder) {
        return errors(StatusCode::NOT_FOUND, "R008", "The resource does not exist");
    }
    let query = Query::parse(raw.as_deref());
    let number = |name: &str, default: usize| query.get(name).map_or(Ok(default), |v| v.trim().parse::<usize>());
    let (Ok(limit), Ok(offset)) = (number("page[limit]", 50), number("page[offset]", 0)) else {
        return errors(StatusCode::BAD_REQUEST, "F000", "page[limit] and page[offset] must be whole numbers");
    };
    if limit == 0 || limit > 50 {
        return errors(StatusCode::BAD_REQUEST, "F000", "page[limit] must be 1 to 50");
    }
    let store = read(&shared.store);
    let data: Vec<Value> = store.folder_files(&folder).into_iter().skip(offset).take(limit).map(entry).collect();
    Json(json!({"data": data, "links": {}})).into_response()
}

pub async fn change(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let value: Value = serde_json::from_slice(&body).unwrap_or_default();
    let attributes = value.get("data").and_then(|d| d.get("attributes"));
    let mut store = write(&shared.store);
    if store.drive_file(&id).is_none() {
        return errors(StatusCode::NOT_FOUND, "R008", "The resource does not exist");
    }
    match attributes.and_then(|a| a.get("status")).and_then(Value::as_str) {
        Some("51") => {
            store.trash(&id);
        }
        Some(_) => return errors(StatusCode::BAD_REQUEST, "F000", "Unsupported status"),
        None => return errors(StatusCode::BAD_REQUEST, "F000", "Nothing to change"),
    }
    let file = store.drive_file(&id).map(entry).unwrap_or_default();
    Json(json!({ "data": file })).into_response()
}

pub async fn download(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match read(&shared.store).drive_file(&id).filter(|f| !f.trashed) {
        Some(file) => (StatusCode::OK, file.current().to_vec()).into_response(),
        None => errors(StatusCode::NOT_FOUND, "R008", "The resource does not exist"),
    }
}
