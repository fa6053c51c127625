//! Interactions on a relation's timeline and their notes [U paths and fields, the connector's
//! choices]: `POST /interactions`, `GET /interactions?relationId=`, `PUT /interactions/{id}`,
//! `POST|GET /interactions/{id}/notes`, `PUT /interactions/{id}/notes/{noteId}`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use chrono::DateTime;
use serde_json::{Map, Value};
use std::sync::Arc;

use super::records::{
    Refusal, after_store, bad, created, id_field, list, not_found, now, number, object, ok, param, relation, subject,
    text_field,
};
use crate::adminpulse::push_model::{Interaction, InteractionNote};
use crate::adminpulse::state::Shared;
use crate::state::lock;

/// The fields of an interaction body, checked.
struct Fields {
    relation_id: String,
    subject: String,
    date: String,
    text: String,
    kind: Option<String>,
}

fn fields(shared: &Shared, map: &Map<String, Value>) -> Result<Fields, Refusal> {
    let relation_id = relation(shared, id_field(map, "relationId"))?;
    let subject = subject(map)?;
    let date = text_field(map, "date")?;
    if DateTime::parse_from_rfc3339(date.trim()).is_err() {
        return Err(bad("date must be an ISO 8601 date and time, e.g. 2026-11-21T09:00:00Z"));
    }
    let text = text_field(map, "text")?;
    let kind = Some(text_field(map, "type")?).filter(|k| !k.trim().is_empty());
    Ok(Fields { relation_id, subject, date: date.trim().to_string(), text, kind })
}

pub async fn create(State(shared): State<Arc<Shared>>, uri: Uri, body: Bytes) -> Response {
    let f = match object(&body).and_then(|map| fields(&shared, &map)) {
        Ok(f) => f,
        Err(refusal) => return refusal.into_response(),
    };
    let interaction = {
        let mut store = lock(&shared.push);
        let id = store.next_id();
        let interaction = Interaction {
            id,
            relation_id: f.relation_id,
            subject: f.subject,
            date: f.date,
            text: f.text,
            kind: f.kind,
            created_at: now(&shared),
            updated_at: None,
        };
        store.add_interaction(interaction.clone());
        interaction
    };
    lock(&shared.stats).item_created("interaction");
    after_store(&shared, uri.path()).await;
    created(&interaction)
}

pub async fn list_of_relation(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let relation_id = match relation(&shared, param(&raw, "relationId")) {
        Ok(r) => r,
        Err(refusal) => return refusal.into_response(),
    };
    let rows = lock(&shared.push).interactions_of(&relation_id);
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
        let Some(i) = number(&id).and_then(|n| store.interaction_mut(n)) else {
            return not_found(format!("Interaction {id} was not found.")).into_response();
        };
        if i.relation_id != f.relation_id {
            return bad("an interaction cannot move to another relation").into_response();
        }
        (i.subject, i.date, i.text, i.kind, i.updated_at) = (f.subject, f.date, f.text, f.kind, Some(updated_at));
        i.clone()
    };
    lock(&shared.stats).item_updated("interaction");
    ok(&updated)
}

fn note_text(body: &Bytes) -> Result<String, Refusal> {
    let text = text_field(&object(body)?, "text")?;
    if text.trim().is_empty() {
        return Err(bad("text is required"));
    }
    Ok(text)
}

pub async fn add_note(State(shared): State<Arc<Shared>>, Path(id): Path<String>, uri: Uri, body: Bytes) -> Response {
    let text = match note_text(&body) {
        Ok(t) => t,
        Err(refusal) => return refusal.into_response(),
    };
    let note = {
        let mut store = lock(&shared.push);
        let Some(interaction_id) = number(&id).filter(|n| store.interaction(*n).is_some()) else {
            return not_found(format!("Interaction {id} was not found.")).into_response();
        };
        let note =
            InteractionNote { id: store.next_id(), interaction_id, text, created_at: now(&shared), updated_at: None };
        store.add_note(note.clone());
        note
    };
    lock(&shared.stats).item_created("note");
    after_store(&shared, uri.path()).await;
    created(&note)
}

pub async fn notes(State(shared): State<Arc<Shared>>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let store = lock(&shared.push);
    let Some(interaction_id) = number(&id).filter(|n| store.interaction(*n).is_some()) else {
        return not_found(format!("Interaction {id} was not found.")).into_response();
    };
    let rows = store.notes_of(interaction_id);
    drop(store);
    list(&rows, &raw.unwrap_or_default())
}

pub async fn update_note(
    State(shared): State<Arc<Shared>>,
    Path((id, note_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let text = match note_text(&body) {
        Ok(t) => t,
        Err(refusal) => return refusal.into_response(),
    };
    let updated_at = now(&shared);
    let updated = {
        let mut store = lock(&shared.push);
        let interaction = number(&id);
        let Some(note) =
            number(&note_id).and_then(|n| store.note_mut(n)).filter(|n| Some(n.interaction_id) == interaction)
        else {
            return not_found(format!("Note {note_id} of interaction {id} was not found.")).into_response();
        };
        (note.text, note.updated_at) = (text, Some(updated_at));
        note.clone()
    };
    lock(&shared.stats).item_updated("note");
    ok(&updated)
}
