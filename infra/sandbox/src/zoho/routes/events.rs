//! `GET /crm/v8/Events` (newest-modified first, `fields` mandatory, 200 a page within record
//! 2,000), `GET /crm/v8/Events/search` (`word` — case-insensitive, in the title or the account /
//! deal name, at least 2 characters — or one `criteria`), `GET /crm/v8/Events/{id}` (204 when the
//! event does not exist).

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use super::{Query, criterion, invalid_data, listing, request_error, satisfies};
use crate::state::read;
use crate::zoho::model::Event;
use crate::zoho::state::Shared;

pub async fn list(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let query = Query::parse(raw.as_deref());
    if let Err(e) = query.require_fields() {
        return *e;
    }
    let paging = match query.paging() {
        Ok(p) => p,
        Err(e) => return *e,
    };
    let store = read(&shared.store);
    let all = store.events_where(|_| true);
    let (rows, more) = paging.cut(&all);
    listing(rows.into_iter().map(Event::to_json).collect(), &paging, more)
}

pub async fn search(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let query = Query::parse(raw.as_deref());
    let paging = match query.paging() {
        Ok(p) => p,
        Err(e) => return *e,
    };
    let matcher: Box<dyn Fn(&Event) -> bool> = match (query.get("word"), query.get("criteria")) {
        (Some(word), _) => {
            let word = word.trim().to_lowercase();
            if word.chars().count() < 2 {
                return invalid_data("the word should have at least 2 characters", json!({"param_name": "word"}));
            }
            Box::new(move |e: &Event| {
                e.title.to_lowercase().contains(&word)
                    || e.what.as_ref().is_some_and(|w| w.name.to_lowercase().contains(&word))
            })
        }
        (None, Some(raw)) => match criterion(raw) {
            Ok((field, op, value)) if field == "Event_Title" => {
                Box::new(move |e: &Event| satisfies(&e.title, &op, &value))
            }
            Ok(_) => return invalid_data("the field cannot be searched", json!({"criteria": raw})),
            Err(e) => return *e,
        },
        (None, None) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing",
                json!({"param_name": "criteria"}),
            );
        }
    };
    let store = read(&shared.store);
    let all = store.events_where(|e| matcher(e));
    let (rows, more) = paging.cut(&all);
    listing(rows.into_iter().map(Event::to_json).collect(), &paging, more)
}

pub async fn one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let event: Option<Value> = read(&shared.store).event(&id).map(Event::to_json);
    match event {
        Some(e) => Json(json!({"data": [e]})).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}
