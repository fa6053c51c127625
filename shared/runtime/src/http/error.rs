//! The one place where errors become HTTP answers.
//!
//! Every error body has the same shape (see `docs/conventions.md`):
//! `{"error": "<code>", "message": "...", "hint": "...", "problems": [{"field", "message"}]}`;
//! `hint` and `problems` are left out when there is nothing to say.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use koppel_core::AppError;
use koppel_core::domain::settings_input::FieldProblem;
use koppel_core::ports::{BusError, SchedulerError, SecretsError, StoreError};
use serde::Serialize;

/// Machine-readable error codes (the `error` field).
pub mod code {
    pub const INVALID_INPUT: &str = "invalid_input";
    pub const INVALID_JSON: &str = "invalid_json";
    pub const UNAUTHORIZED: &str = "unauthorized";
    pub const FORBIDDEN: &str = "forbidden";
    pub const NOT_FOUND: &str = "not_found";
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    pub const CONFLICT: &str = "conflict";
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    pub const PROVIDER_ERROR: &str = "provider_error";
    pub const UNAVAILABLE: &str = "unavailable";
    pub const INTERNAL: &str = "internal";
}

const UNAVAILABLE_MESSAGE: &str = "a service Koppel depends on is unavailable; nothing was lost, try again shortly";
const INTERNAL_MESSAGE: &str = "something went wrong on Koppel's side; it has been logged";

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// `invalid_input`, `invalid_json`, `unauthorized`, `forbidden`, `not_found`, `method_not_allowed`,
    /// `conflict`, `payload_too_large`, `provider_error`, `unavailable` or `internal`.
    pub error: String,
    /// What is wrong, in a sentence.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// One entry per wrong input field.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub problems: Vec<FieldProblem>,
}

impl ErrorBody {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { error: code.into(), message: message.into(), hint: None, problems: Vec::new() }
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn with_problems(mut self, problems: Vec<FieldProblem>) -> Self {
        self.problems = problems;
        self
    }
    /// The answer with this body and `status`.
    pub fn into_response_with(self, status: StatusCode) -> Response {
        (status, axum::Json(self)).into_response()
    }
}

/// A use-case error on its way out; handlers return `Result<_, ApiError>` and use `?`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = to_http(&self.0);
        if status.is_server_error() {
            // The port errors carry no secrets (names and backend messages only).
            tracing::error!(status = status.as_u16(), error = %self.0, "request failed");
        } else {
            tracing::info!(status = status.as_u16(), code = %body.error, "request refused");
        }
        body.into_response_with(status)
    }
}

/// `AppError` → status and body, one arm per variant.
pub fn to_http(e: &AppError) -> (StatusCode, ErrorBody) {
    match e {
        AppError::Invalid(problems) => (StatusCode::BAD_REQUEST, invalid(problems.clone())),
        AppError::NotFound(what) => {
            (StatusCode::NOT_FOUND, ErrorBody::new(code::NOT_FOUND, format!("{what} not found")))
        }
        AppError::Conflict { message, hint } => {
            (StatusCode::CONFLICT, ErrorBody::new(code::CONFLICT, message).with_hint(hint))
        }
        AppError::Unauthenticated { message, hint } => {
            (StatusCode::UNAUTHORIZED, ErrorBody::new(code::UNAUTHORIZED, message).with_hint(hint))
        }
        AppError::Connector(c) => {
            (StatusCode::BAD_GATEWAY, ErrorBody::new(code::PROVIDER_ERROR, c.to_string()).with_hint(c.hint()))
        }
        AppError::Store(s) => store(s),
        AppError::Secrets(s) => secrets(s),
        AppError::Scheduler(s) => match s {
            SchedulerError::Invalid(_) => internal(),
            SchedulerError::Unavailable(_) => unavailable(),
        },
        AppError::Bus(b) => match b {
            BusError::Rejected(_) => internal(),
            BusError::Unavailable(_) => unavailable(),
        },
        AppError::Corrupt(_) => internal(),
    }
}

/// A 400 body listing every problem; the message sums them up.
pub fn invalid(problems: Vec<FieldProblem>) -> ErrorBody {
    let message = match problems.as_slice() {
        [one] => format!("{}: {}", one.field, one.message),
        [] => "the input is not valid".to_string(),
        many => format!("{} problems with the input; see problems", many.len()),
    };
    ErrorBody::new(code::INVALID_INPUT, message)
        .with_hint("Correct the fields listed in problems and send the request again.")
        .with_problems(problems)
}

fn store(e: &StoreError) -> (StatusCode, ErrorBody) {
    match e {
        StoreError::ConditionFailed | StoreError::TransactionCancelled(_) => (
            StatusCode::CONFLICT,
            ErrorBody::new(code::CONFLICT, "the item was changed at the same time")
                .with_hint("Reload it and try again."),
        ),
        StoreError::BadPageToken => (
            StatusCode::BAD_REQUEST,
            invalid(vec![FieldProblem::new(
                "page_token",
                "this page token was not handed out by this list; start again without page_token",
            )]),
        ),
        StoreError::Invalid(_) => internal(),
        StoreError::Unavailable(_) => unavailable(),
    }
}

fn secrets(e: &SecretsError) -> (StatusCode, ErrorBody) {
    match e {
        SecretsError::NotFound => (
            StatusCode::CONFLICT,
            ErrorBody::new(code::CONFLICT, "the connection's keys are missing from the secrets store")
                .with_hint("Enter both keys again (PATCH /connections/{id}), then test the connection."),
        ),
        SecretsError::Corrupt(_) => internal(),
        SecretsError::Unavailable(_) => unavailable(),
    }
}

fn unavailable() -> (StatusCode, ErrorBody) {
    (StatusCode::SERVICE_UNAVAILABLE, ErrorBody::new(code::UNAVAILABLE, UNAVAILABLE_MESSAGE))
}

fn internal() -> (StatusCode, ErrorBody) {
    (StatusCode::INTERNAL_SERVER_ERROR, ErrorBody::new(code::INTERNAL, INTERNAL_MESSAGE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use koppel_core::ports::ConnectorError;

    fn status(e: AppError) -> (u16, String) {
        let (s, b) = to_http(&e);
        (s.as_u16(), b.error)
    }

    #[test]
    fn every_variant_has_its_status() {
        assert_eq!(status(AppError::invalid("name", "x")), (400, "invalid_input".into()));
        assert_eq!(status(AppError::NotFound("connection c".into())), (404, "not_found".into()));
        assert_eq!(status(AppError::conflict("m", "h")), (409, "conflict".into()));
        let c = ConnectorError::Server { provider: "snelstart".into(), status: 500 };
        assert_eq!(status(AppError::Connector(c)), (502, "provider_error".into()));
        assert_eq!(status(StoreError::Unavailable("down".into()).into()), (503, "unavailable".into()));
        assert_eq!(status(StoreError::BadPageToken.into()), (400, "invalid_input".into()));
        assert_eq!(status(StoreError::ConditionFailed.into()), (409, "conflict".into()));
        assert_eq!(status(StoreError::Invalid("x".into()).into()), (500, "internal".into()));
        assert_eq!(status(SecretsError::Unavailable("x".into()).into()), (503, "unavailable".into()));
        assert_eq!(status(SecretsError::Corrupt("x".into()).into()), (500, "internal".into()));
        assert_eq!(status(SecretsError::NotFound.into()), (409, "conflict".into()));
        assert_eq!(status(SchedulerError::Unavailable("x".into()).into()), (503, "unavailable".into()));
        assert_eq!(status(SchedulerError::Invalid("x".into()).into()), (500, "internal".into()));
        assert_eq!(status(BusError::Unavailable("x".into()).into()), (503, "unavailable".into()));
        assert_eq!(status(BusError::Rejected("x".into()).into()), (500, "internal".into()));
        assert_eq!(status(AppError::Corrupt("x".into())), (500, "internal".into()));
    }

    #[test]
    fn server_errors_hide_the_detail() {
        let (_, body) = to_http(&StoreError::Unavailable("table koppel-dev at 10.0.0.1 timed out".into()).into());
        assert!(!body.message.contains("10.0.0.1"), "{}", body.message);
        let (_, body) = to_http(&AppError::Corrupt("CONN#x body".into()));
        assert!(!body.message.contains("CONN#"), "{}", body.message);
    }

    #[test]
    fn invalid_lists_every_problem_and_serializes_in_the_documented_shape() {
        let body = invalid(vec![FieldProblem::new("a", "bad a"), FieldProblem::new("b", "bad b")]);
        let json = serde_json::to_value(&body).unwrap_or_default();
        assert_eq!(json["error"], "invalid_input");
        assert_eq!(json["message"], "2 problems with the input; see problems");
        assert_eq!(json["problems"][1]["field"], "b");
        assert_eq!(json["problems"][1]["message"], "bad b");
        let json = serde_json::to_value(ErrorBody::new("not_found", "x")).unwrap_or_default();
        assert_eq!(json, serde_json::json!({"error": "not_found", "message": "x"}));
    }
}
