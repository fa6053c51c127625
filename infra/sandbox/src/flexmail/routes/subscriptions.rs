//! A contact's interest subscriptions: list (whole), subscribe (`{"interest_id"}`; 409 when
//! already subscribed), unsubscribe (404 when not subscribed).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::reply::{conflict, created, invalid, json_body, no_content, not_found, numeric_id};
use crate::flexmail::render;
use crate::flexmail::state::Shared;
use crate::flexmail::store::Store;
use crate::flexmail::validate::FieldError;
use crate::state::{read, write};

fn index(store: &Store, id: &str) -> Option<usize> {
    numeric_id(id).and_then(|id| store.index_of(id))
}

pub async fn list(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = read(&shared.store);
    let Some(contact) = index(&store, &id).and_then(|i| store.get(i)) else { return not_found("Contact") };
    let items: Vec<Value> = contact
        .interests
        .iter()
        .filter_map(|i| store.interests.get(usize::from(*i)))
        .map(|i| render::subscription(contact.id, i))
        .collect();
    let path = format!("/contacts/{}/interest-subscriptions", contact.id);
    Json(render::hal(&path, items.len(), None, items)).into_response()
}

pub async fn subscribe(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let mut store = write(&shared.store);
    let Some(contact) = index(&store, &id) else { return not_found("Contact") };
    let interest = match body.get("interest_id") {
        Some(Value::String(id)) => store.interest_index(id),
        Some(Value::Number(n)) => store.interest_index(&n.to_string()),
        _ => return invalid(vec![FieldError::new("interest_id", "This value should not be blank.")]),
    };
    let Some(interest) = interest else {
        return invalid(vec![FieldError::new("interest_id", "There is no interest with this id.")]);
    };
    if !store.subscribe(contact, interest) {
        return conflict("The contact is already subscribed to this interest.");
    }
    let contact_id = store.get(contact).map(|c| c.id).unwrap_or_default();
    let interest_id = &store.interests[interest].id;
    created(
        format!("/contacts/{contact_id}/interest-subscriptions/{interest_id}"),
        json!({"contact_id": contact_id, "interest_id": interest_id}),
    )
}

pub async fn unsubscribe(
    State(shared): State<Arc<Shared>>,
    Path((id, interest_id)): Path<(String, String)>,
) -> Response {
    let mut store = write(&shared.store);
    let Some(contact) = index(&store, &id) else { return not_found("Contact") };
    let Some(interest) = store.interest_index(&interest_id) else { return not_found("Interest") };
    if store.unsubscribe_interest(contact, interest) { no_content() } else { not_found("Interest subscription") }
}
