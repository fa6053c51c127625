//! Permanent documents [C2 operations; folder shape U]: `POST` multipart (`parent_id` = `0`,
//! `name`, `content`) → 201 `{id, path, name, type, …}`; `GET …/{id}`; `DELETE …/{id}` → 204;
//! `GET …/permanent_folders/0` → the root folder with its documents in `children` (paged by
//! `page`/`per_page`). Only the root folder exists.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::{after_store, error, id, invalid, not_found, paging};
use crate::silverfin::model::Document;
use crate::silverfin::multipart;
use crate::silverfin::state::Shared;
use crate::state::{lock, read, write};

fn company_of(shared: &Shared, firm: &str, company: &str) -> Result<u64, Box<Response>> {
    let company = id(company, "Company")?;
    if read(&shared.store).company(firm, company).is_none() {
        return Err(Box::new(not_found("Company")));
    }
    Ok(company)
}

pub async fn create(
    State(shared): State<Arc<Shared>>,
    Path((firm, company)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let company = match company_of(&shared, &firm, &company) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let parts = match multipart::parse(content_type, &body) {
        Ok(parts) => parts,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let field = |name: &str| parts.iter().find(|p| p.name == name);
    let parent = field("parent_id").map(|p| p.text().trim().to_string()).unwrap_or_else(|| "0".into());
    if parent != "0" {
        return not_found("Folder");
    }
    let Some(content) = field("content").filter(|p| !p.data.is_empty()) else {
        return invalid("content", "can't be blank");
    };
    let file_name = content.file_name.clone().unwrap_or_default();
    let name = field("name").map(|p| p.text()).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| file_name.clone());
    if name.trim().is_empty() {
        return invalid("name", "can't be blank");
    }
    let document = Document {
        id: 0,
        company_id: company,
        parent_id: 0,
        name: name.trim().to_string(),
        file_name,
        content_type: content.content_type.clone().unwrap_or_else(|| "application/octet-stream".into()),
        content: content.data.clone(),
        created_at: chrono::Utc::now().to_rfc3339(),
    };
    let stored = write(&shared.store).add_document(document);
    lock(&shared.stats).snapshot.documents_created += 1;
    after_store(&shared, Method::POST.as_str(), uri.path()).await;
    (StatusCode::CREATED, Json(stored.to_json())).into_response()
}

pub async fn one(
    State(shared): State<Arc<Shared>>,
    Path((firm, company, document)): Path<(String, String, String)>,
) -> Response {
    let company = match company_of(&shared, &firm, &company) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let Ok(document) = document.parse::<u64>() else { return not_found("Document") };
    match read(&shared.store).document(company, document) {
        Some(d) => Json(d.to_json()).into_response(),
        None => not_found("Document"),
    }
}

pub async fn destroy(
    State(shared): State<Arc<Shared>>,
    Path((firm, company, document)): Path<(String, String, String)>,
) -> Response {
    let company = match company_of(&shared, &firm, &company) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let Ok(document) = document.parse::<u64>() else { return not_found("Document") };
    if !write(&shared.store).delete_document(company, document) {
        return not_found("Document");
    }
    lock(&shared.stats).snapshot.documents_deleted += 1;
    StatusCode::NO_CONTENT.into_response()
}

pub async fn folder(
    State(shared): State<Arc<Shared>>,
    Path((firm, company, folder)): Path<(String, String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let (page, size) = match paging(raw.as_deref()) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let company = match company_of(&shared, &firm, &company) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if folder != "0" {
        return not_found("Folder");
    }
    let from = (page - 1).saturating_mul(size);
    let children: Vec<Value> =
        read(&shared.store).documents_in(company).into_iter().skip(from).take(size).map(Document::entry).collect();
    Json(json!({"id": 0, "name": "Permanent documents", "type": "folder", "children": children})).into_response()
}
