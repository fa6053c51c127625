//! `POST /api/v1/auth/login` `{"username","password","partnerCode"}` → `{"token","expiresIn"}`;
//! 401 for a wrong user name or password, 403 for an unknown partner code, 400 for a body that
//! is not that JSON.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

use super::{error, invalid};
use crate::fid_manager::state::Shared;
use crate::state::lock;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignIn {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    partner_code: String,
}

pub async fn login(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let Ok(form) = serde_json::from_slice::<SignIn>(&body) else {
        return invalid("body", "The request body must be JSON with username, password and partnerCode.");
    };
    for (field, value) in [("username", &form.username), ("password", &form.password)] {
        if value.trim().is_empty() {
            return invalid(field, &format!("The {field} field is required."));
        }
    }
    match shared.check_sign_in(form.username.trim(), &form.password, form.partner_code.trim()) {
        Ok(()) => {
            lock(&shared.stats).signed_in();
            let token = shared.issue_session();
            let body = json!({"token": token, "expiresIn": shared.config.session_ttl.as_secs(), "tokenType": "Bearer"});
            (StatusCode::OK, Json(body)).into_response()
        }
        Err(partner) => {
            lock(&shared.stats).sign_in_refused();
            if partner {
                error(StatusCode::FORBIDDEN, "Unknown or inactive partner code.")
            } else {
                error(StatusCode::UNAUTHORIZED, "Invalid user name or password.")
            }
        }
    }
}
