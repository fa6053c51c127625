//! Notes: `POST /crm/v8/Notes` (`Parent_Id: {module: {api_name}, id}`, or v2's flat
//! `Parent_Id` and `se_module`; parents are events), `PUT /crm/v8/Notes/{id}`, and the event's notes
//! `GET /crm/v8/Events/{id}/Notes` (`fields` mandatory; 204 when none; `INVALID_DATA` for an
//! event that does not exist).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};
use std::sync::Arc;

use super::{Outcome, Query, invalid_data, listing, records, text, write_answer};
use crate::state::{read, write};
use crate::zoho::state::Shared;

pub async fn of_event(State(shared): State<Arc<Shared>>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let query = Query::parse(raw.as_deref());
    if let Err(e) = query.require_fields() {
        return *e;
    }
    let paging = match query.paging() {
        Ok(p) => p,
        Err(e) => return *e,
    };
    let store = read(&shared.store);
    if !store.has_event(&id) {
        return invalid_data("the related id given seems to be invalid", json!({"id": id}));
    }
    let rows: Vec<Value> = store
        .notes_of(&id)
        .into_iter()
        .map(|n| {
            json!({"id": n.id, "Note_Title": n.title, "Note_Content": n.content,
                "Parent_Id": {"module": {"api_name": n.parent_module}, "id": n.parent_id}})
        })
        .collect();
    let (rows, more) = paging.cut(&rows);
    listing(rows, &paging, more)
}

/// `(parent id, module)` of a note record, either style.
fn parent(record: &Map<String, Value>) -> Option<(String, String)> {
    match record.get("Parent_Id")? {
        Value::Object(p) => {
            let id = p.get("id").and_then(Value::as_str)?;
            let module = p
                .get("module")
                .and_then(|m| m.get("api_name"))
                .and_then(Value::as_str)
                .or_else(|| text(record, "se_module"))?;
            Some((id.to_string(), module.to_string()))
        }
        Value::String(id) => Some((id.clone(), text(record, "se_module")?.to_string())),
        _ => None,
    }
}

pub async fn create(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let records = match records(&body) {
        Ok(r) => r,
        Err(e) => return *e,
    };
    let mut store = write(&shared.store);
    let outcomes: Vec<Outcome> = records
        .iter()
        .map(|r| {
            let Some(content) = text(r, "Note_Content").filter(|c| !c.trim().is_empty()) else {
                return Err((
                    "MANDATORY_NOT_FOUND",
                    "required field not found".into(),
                    json!({"api_name": "Note_Content"}),
                ));
            };
            let invalid_parent = || {
                (
                    "INVALID_DATA",
                    "the related id given seems to be invalid".to_string(),
                    json!({"api_name": "Parent_Id"}),
                )
            };
            let (parent_id, module) = parent(r).ok_or_else(invalid_parent)?;
            if module != "Events" || !store.has_event(&parent_id) {
                return Err(invalid_parent());
            }
            Ok(store.add_note(&parent_id, &module, text(r, "Note_Title").unwrap_or_default(), content))
        })
        .collect();
    write_answer(StatusCode::CREATED, "record added", outcomes)
}

pub async fn update(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let records = match records(&body) {
        Ok(r) => r,
        Err(e) => return *e,
    };
    let Some(record) = records.first() else { return invalid_data("data is empty", json!({})) };
    if record.get("Note_Content").is_some_and(|c| c.as_str().is_none_or(|c| c.trim().is_empty())) {
        let missing = ("MANDATORY_NOT_FOUND", "required field not found".into(), json!({"api_name": "Note_Content"}));
        return write_answer(StatusCode::OK, "record updated", vec![Err(missing)]);
    }
    let updated = write(&shared.store).update_note(&id, text(record, "Note_Title"), text(record, "Note_Content"));
    let outcome = if updated {
        Ok(id)
    } else {
        Err(("INVALID_DATA", "the id given seems to be invalid".into(), json!({"id": id})))
    };
    write_answer(StatusCode::OK, "record updated", vec![outcome])
}
