//! `GET /crm/v8/users?type=CurrentUser`: the signed-in user. Other `type` values answer the same
//! user (the stand-in has one).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

use super::{Query, invalid_data};
use crate::zoho::state::Shared;

pub async fn current(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let query = Query::parse(raw.as_deref());
    let known = ["AllUsers", "ActiveUsers", "CurrentUser", "AdminUsers", "ActiveConfirmedUsers"];
    if query.get("type").is_some_and(|t| !known.contains(&t)) {
        return invalid_data("invalid data", json!({"param_name": "type"}));
    }
    let user = json!({
        "id": "4150868000000000001",
        "full_name": shared.config.user_name,
        "email": shared.config.user_email,
        "status": "active",
        "role": {"name": "CEO", "id": "4150868000000000002"},
    });
    Json(json!({"users": [user], "info": {"per_page": 200, "count": 1, "page": 1, "more_records": false}}))
        .into_response()
}
