//! JSON bodies in and out. A body that cannot be read is a 400 in the common error shape that
//! says what is wrong, e.g. "the body is not valid JSON: expected value at line 1 column 5",
//! "missing field `name`", or "Content-Type must be application/json".

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koppel_core::domain::settings_input::FieldProblem;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{ErrorBody, code};

/// A JSON request body (with helpful 400s) or response body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

/// Why a JSON body was refused. A message may quote a value of the caller's own body (serde's
/// "invalid type: string \"soon\", expected u32"), so refusals are logged by code only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    #[error("Content-Type must be application/json")]
    ContentType,
    #[error("the body is empty; send a JSON object")]
    Empty,
    #[error("the body is not valid JSON: {0}")]
    Syntax(String),
    /// Valid JSON that does not fit the expected shape.
    #[error("{message}")]
    Data { field: String, message: String },
    #[error("the body is too large")]
    TooLarge,
    #[error("the body could not be read")]
    Unreadable,
}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let (status, body) = match self {
            JsonError::Data { field, message: problem } => (
                StatusCode::BAD_REQUEST,
                ErrorBody::new(code::INVALID_INPUT, message)
                    .with_hint("Check the request body against GET /openapi.json.")
                    .with_problems(vec![FieldProblem::new(&field, problem)]),
            ),
            JsonError::ContentType => (
                StatusCode::BAD_REQUEST,
                ErrorBody::new(code::INVALID_JSON, message)
                    .with_hint("Send the header Content-Type: application/json."),
            ),
            JsonError::Empty | JsonError::Syntax(_) | JsonError::Unreadable => (
                StatusCode::BAD_REQUEST,
                ErrorBody::new(code::INVALID_JSON, message).with_hint("Send one JSON object as the request body."),
            ),
            JsonError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorBody::new(code::PAYLOAD_TOO_LARGE, message)),
        };
        tracing::info!(status = status.as_u16(), code = %body.error, "request body refused");
        body.into_response_with(status)
    }
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = JsonError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(JsonError::ContentType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE { JsonError::TooLarge } else { JsonError::Unreadable }
        })?;
        parse(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `application/json` or `application/<something>+json`, parameters (charset) allowed.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// Parse a body, naming the field when the JSON is valid but does not fit.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(JsonError::Empty);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() { data_error(&path, &inner) } else { JsonError::Syntax(inner.to_string()) }
    })?;
    de.end().map_err(|e| JsonError::Syntax(e.to_string()))?;
    Ok(value)
}

fn data_error(path: &str, e: &serde_json::Error) -> JsonError {
    let full = e.to_string();
    // The position says little once the field is named.
    let message = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m).to_string();
    let missing = message.strip_prefix("missing field `").and_then(|r| r.strip_suffix('`'));
    let field = match (missing, path) {
        (Some(name), "." | "") => name.to_string(),
        (Some(name), parent) => format!("{parent}.{name}"),
        (None, "." | "") => "body".to_string(),
        (None, p) => p.to_string(),
    };
    let message = if missing.is_some() || field == "body" { message } else { format!("{field}: {message}") };
    JsonError::Data { field, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Form {
        name: String,
        interval: Option<u32>,
        address: Option<Address>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Address {
        city: String,
    }

    fn err(body: &str) -> JsonError {
        match parse::<Form>(body.as_bytes()) {
            Ok(v) => panic!("{body} parsed as {v:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn syntax_errors_say_where() {
        assert_eq!(err("{\"name\": }").to_string(), "the body is not valid JSON: expected value at line 1 column 10");
        assert!(matches!(err("{\"name\": \"x\"} trailing"), JsonError::Syntax(_)));
        assert_eq!(err("  "), JsonError::Empty);
    }

    #[test]
    fn data_errors_name_the_field() {
        assert_eq!(err("{}"), JsonError::Data { field: "name".into(), message: "missing field `name`".into() });
        let JsonError::Data { field, message } = err("{\"name\": \"x\", \"interval\": \"soon\"}") else {
            panic!("not a data error");
        };
        assert_eq!(field, "interval");
        assert!(message.starts_with("interval: invalid type: string"), "{message}");
        let JsonError::Data { field, .. } = err("{\"name\": \"x\", \"address\": {}}") else {
            panic!("not a data error");
        };
        assert_eq!(field, "address.city");
        let JsonError::Data { field, message } = err("\"text\"") else {
            panic!("not a data error");
        };
        assert_eq!((field.as_str(), message.as_str()), ("body", "invalid type: string \"text\", expected struct Form"));
    }

    #[test]
    fn content_types() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, v.parse().unwrap_or_else(|_| header::HeaderValue::from_static("x")));
            is_json(&h)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/jsonx"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
