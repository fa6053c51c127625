//! Answers in Flexmail's shapes: errors `{"message", "errors": [{field, message}]}`, paging
//! parameters, JSON bodies, `201` with `Location`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::flexmail::config::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::flexmail::validate::FieldError;
use crate::odata::pairs;

/// A refusal in the error shape, before it becomes a response.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    errors: Vec<FieldError>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self { status, message: message.into(), errors }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({"message": self.message, "errors": self.errors}))).into_response()
    }
}

pub fn error(status: StatusCode, message: impl Into<String>, errors: Vec<FieldError>) -> Response {
    ApiError::new(status, message, errors).into_response()
}

pub fn not_found(what: &str) -> Response {
    error(StatusCode::NOT_FOUND, format!("{what} not found."), Vec::new())
}

pub fn invalid(errors: Vec<FieldError>) -> Response {
    error(StatusCode::UNPROCESSABLE_ENTITY, "Validation failed.", errors)
}

pub fn conflict(message: impl Into<String>) -> Response {
    error(StatusCode::CONFLICT, message, Vec::new())
}

pub async fn no_route() -> Response {
    not_found("Resource")
}

/// The body as JSON, or a 400.
pub fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|_| {
        let e = FieldError::new("body", "The body is not valid JSON.");
        ApiError::new(StatusCode::BAD_REQUEST, "The request body could not be read.", vec![e])
    })
}

pub fn created(location: String, body: Value) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// The query's pairs, decoded.
pub fn query(raw: Option<&str>) -> Vec<(String, String)> {
    pairs(raw.unwrap_or_default())
}

pub fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `limit` (1–500, default 20) and `offset` (≥ 0, default 0); anything else is a 400.
pub fn paging(query: &[(String, String)]) -> Result<(usize, usize), ApiError> {
    let bad = |field: &str, message: String| {
        let errors = vec![FieldError::new(field, message.clone())];
        ApiError::new(StatusCode::BAD_REQUEST, message, errors)
    };
    let limit = match param(query, "limit") {
        None => DEFAULT_LIMIT,
        Some(text) => match text.trim().parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Ok(n) if n > MAX_LIMIT => {
                return Err(bad("limit", format!("limit must be at most {MAX_LIMIT}, got {n}.")));
            }
            _ => return Err(bad("limit", format!("limit must be a whole number from 1 to {MAX_LIMIT}."))),
        },
    };
    let offset = match param(query, "offset") {
        None => 0,
        Some(text) => {
            text.trim().parse::<usize>().map_err(|_| bad("offset", "offset must be a whole number ≥ 0.".into()))?
        }
    };
    Ok((limit, offset))
}

/// Ids in paths: a contact's is a number; anything else is simply not found.
pub fn numeric_id(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}
