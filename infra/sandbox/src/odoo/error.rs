//! JSON-2 errors as Odoo sends them: a 4xx/5xx with `{name, message, arguments, context, debug}`
//! [C]. The status per exception follows the connector's assumptions (`MissingError` 404,
//! `AccessError` 403, `UserError` 422, unknown model/method 404, bad arguments 422, anything
//! else 500). `debug` holds a (fake) traceback: the connector must never show it.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdooError {
    pub status: u16,
    pub name: String,
    pub message: String,
}

impl OdooError {
    pub fn new(status: u16, name: &str, message: impl Into<String>) -> Self {
        Self { status, name: name.to_string(), message: message.into() }
    }
    pub fn unauthorized() -> Self {
        Self::new(401, "werkzeug.exceptions.Unauthorized", "Invalid apikey")
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "werkzeug.exceptions.NotFound", message)
    }
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(422, "werkzeug.exceptions.UnprocessableEntity", message)
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "werkzeug.exceptions.BadRequest", message)
    }
    /// `odoo.exceptions.MissingError` for `model(ids)`.
    pub fn missing(model: &str, ids: &[i64], uid: i64) -> Self {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        Self::new(
            404,
            "odoo.exceptions.MissingError",
            format!("Record does not exist or has been deleted.\n(Record: {model}({},), User: {uid})", ids.join(", ")),
        )
    }
    pub fn user_error(message: impl Into<String>) -> Self {
        Self::new(422, "odoo.exceptions.UserError", message)
    }
    /// A Python `ValueError` (bad field, bad domain…): a 500 in JSON-2.
    pub fn value(message: String) -> Self {
        Self::new(500, "builtins.ValueError", message)
    }
    pub fn too_many(retry_after_secs: u64) -> Response {
        let mut response = Self::new(429, "werkzeug.exceptions.TooManyRequests", "Too Many Requests").into_response();
        if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

impl IntoResponse for OdooError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let debug = format!(
            "Traceback (most recent call last):\n  File \"/opt/odoo/odoo/http.py\", line 2212, in _transactioning\n{}: {}\n",
            self.name, self.message
        );
        let body = json!({
            "name": self.name,
            "message": self.message,
            "arguments": [self.message, self.status],
            "context": {},
            "debug": debug,
        });
        (status, Json(body)).into_response()
    }
}
