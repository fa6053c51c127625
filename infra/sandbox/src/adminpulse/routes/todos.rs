//! To-dos on a relation, linked to an interaction [U paths and fields]: `POST /todos`,
//! `GET /todos?relationId=`, `PUT /todos/{id}`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::sync::Arc;

use super::records::{
    Refusal, after_store, bad, created, id_field, list, not_found, now, number, object, ok, param, relation, subject,
    text_field,
};
use crate::adminpulse::push_model::Todo;
use crate::adminpulse::push_store::PushStore;
use crate::adminpulse::state::Shared;
use crate::state::lock;

struct Fields {
    relation_id: String,
    interaction: Option<String>,
    subject: String,
    description: String,
    deadline: Option<String>,
    status: u8,
}

fn fields(shared: &Shared, map: &Map<String, Value>) -> Result<Fields, Refusal> {
    let relation_id = relation(shared, id_field(map, "relationId"))?;
    let subject = subject(map)?;
    let description = text_field(map, "description")?;
    let deadline = match text_field(map, "deadline")?.trim() {
        "" => None,
        d => match d.get(..10).and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()) {
            Some(day) => Some(day.format("%Y-%m-%d").to_string()),
            None => return Err(bad("deadline must be a date, e.g. 2026-12-01")),
        },
    };
    let status = match map.get("status") {
        None | Some(Value::Null) => 0,
        Some(v) => match v.as_u64() {
            Some(s @ 0..=2) => s as u8,
            _ => return Err(bad("status must be 0 (to do), 1 (in progress) or 2 (done)")),
        },
    };
    Ok(Fields { relation_id, interaction: id_field(map, "interactionId"), subject, description, deadline, status })
}

/// The interaction a to-do is linked to: it must exist on the same relation.
fn interaction(store: &PushStore, relation_id: &str, raw: Option<&str>) -> Result<Option<u64>, Refusal> {
    let Some(raw) = raw else { return Ok(None) };
    match number(raw).and_then(|n| store.interaction(n)) {
        Some(i) if i.relation_id == relation_id => Ok(Some(i.id)),
        Some(_) => Err(bad(format!("interaction {raw} belongs to another relation"))),
        None => Err(not_found(format!("Interaction {raw} was not found."))),
    }
}

pub async fn create(State(shared): State<Arc<Shared>>, uri: Uri, body: Bytes) -> Response {
    let f = match object(&body).and_then(|map| fields(&shared, &map)) {
        Ok(f) => f,
        Err(refusal) => return refusal.into_response(),
    };
    let todo = {
        let mut store = lock(&shared.push);
        let interaction_id = match interaction(&store, &f.relation_id, f.interaction.as_deref()) {
            Ok(i) => i,
            Err(refusal) => return refusal.into_response(),
        };
        let todo = Todo {
            id: store.next_id(),
            relation_id: f.relation_id,
            interaction_id,
            subject: f.subject,
            description: f.description,
            deadline: f.deadline,
            status: f.status,
            created_at: now(&shared),
            updated_at: None,
        };
        store.add_todo(todo.clone());
        todo
    };
    lock(&shared.stats).item_created("todo");
    after_store(&shared, uri.path()).await;
    created(&todo)
}

pub async fn list_of_relation(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let relation_id = match relation(&shared, param(&raw, "relationId")) {
        Ok(r) => r,
        Err(refusal) => return refusal.into_response(),
    };
    let rows = lock(&shared.push).todos_of(&relation_id);
    list(&rows, &raw)
}

pub async fn update(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let f = match object(&body).and_then(|map| fields(&shared, &map)) {
        Ok(f) => f,
        Err(refusal) => return refusal.into_response(),
    };
    let updated_at = now(&shared);
    let updated = {
        let mut store = lock(&shared.push);
        let interaction_id = match interaction(&store, &f.relation_id, f.interaction.as_deref()) {
            Ok(i) => i,
            Err(refusal) => return refusal.into_response(),
        };
        let Some(todo) = number(&id).and_then(|n| store.todo_mut(n)) else {
            return not_found(format!("To-do {id} was not found.")).into_response();
        };
        if todo.relation_id != f.relation_id {
            return bad("a to-do cannot move to another relation").into_response();
        }
        todo.interaction_id = interaction_id;
        (todo.subject, todo.description, todo.deadline, todo.status) = (f.subject, f.description, f.deadline, f.status);
        todo.updated_at = Some(updated_at);
        todo.clone()
    };
    lock(&shared.stats).item_updated("todo");
    ok(&updated)
}
