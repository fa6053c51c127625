//! Documents: `POST /documents/add` [C: exists, 50 calls a minute; U: its shape — multipart with
//! `file`, `relationId`, `interactionId`, `name`, `description`], `GET /documents?relationId=`,
//! `DELETE /documents/{id}` [U].

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::error;
use super::multipart::{Part, boundary, parse};
use super::records::{after_store, bad, created, list, not_found, now, number, param, relation};
use crate::adminpulse::push_model::Document;
use crate::adminpulse::state::Shared;
use crate::state::lock;

/// Largest file `documents/add` takes in the stand-in [U].
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

fn text(parts: &[Part], name: &str) -> Option<String> {
    parts.iter().find(|p| p.name == name).map(Part::text).map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

pub async fn add(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let parts = match boundary(content_type).and_then(|b| parse(&body, &b)) {
        Ok(p) => p,
        Err(message) => return bad(message).into_response(),
    };
    let Some(file) = parts.iter().find(|p| p.name == "file" && p.file_name.is_some()) else {
        return bad("file is required (a form part named 'file' with a file name)").into_response();
    };
    if file.bytes.is_empty() {
        return bad("the file is empty").into_response();
    }
    if file.bytes.len() > MAX_DOCUMENT_BYTES {
        let message = format!("the file is larger than {} MB", MAX_DOCUMENT_BYTES >> 20);
        return error(StatusCode::PAYLOAD_TOO_LARGE, message);
    }
    let relation_id = match relation(&shared, text(&parts, "relationId")) {
        Ok(r) => r,
        Err(refusal) => return refusal.into_response(),
    };
    let file_name = file.file_name.clone().unwrap_or_default();
    let document = {
        let mut store = lock(&shared.push);
        let interaction_id = match text(&parts, "interactionId") {
            None => None,
            Some(raw) => match number(&raw).and_then(|n| store.interaction(n)) {
                Some(i) if i.relation_id == relation_id => Some(i.id),
                Some(_) => return bad(format!("interaction {raw} belongs to another relation")).into_response(),
                None => return not_found(format!("Interaction {raw} was not found.")).into_response(),
            },
        };
        let document = Document {
            id: store.next_id(),
            relation_id,
            interaction_id,
            name: text(&parts, "name").unwrap_or_else(|| file_name.clone()),
            file_name,
            content_type: file.content_type.clone().unwrap_or_else(|| "application/octet-stream".into()),
            description: text(&parts, "description").unwrap_or_default(),
            size: file.bytes.len(),
            created_at: now(&shared),
            bytes: file.bytes.clone(),
        };
        store.add_document(document.clone());
        document
    };
    lock(&shared.stats).item_created("document");
    after_store(&shared, uri.path()).await;
    created(&document)
}

pub async fn list_of_relation(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let relation_id = match relation(&shared, param(&raw, "relationId")) {
        Ok(r) => r,
        Err(refusal) => return refusal.into_response(),
    };
    let rows = lock(&shared.push).documents_of(&relation_id);
    list(&rows, &raw)
}

pub async fn delete(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    if !shared.config.documents_deletable {
        return error(StatusCode::METHOD_NOT_ALLOWED, "Documents cannot be deleted through the API.");
    }
    let removed = number(&id).is_some_and(|n| lock(&shared.push).remove_document(n));
    if !removed {
        return not_found(format!("Document {id} was not found.")).into_response();
    }
    lock(&shared.stats).item_deleted("document");
    StatusCode::NO_CONTENT.into_response()
}
