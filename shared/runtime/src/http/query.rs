//! Query strings with the common 400 error shape instead of axum's plain-text rejection.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use koppel_core::domain::settings_input::FieldProblem;
use serde::de::DeserializeOwned;

use super::error::{ErrorBody, code};

/// A typed query string (`?limit=20&page_token=…`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

/// The query string does not fit; the message names the parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the query string is not valid: {0}")]
pub struct QueryError(pub String);

impl IntoResponse for QueryError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let field = self.0.split_once(':').map_or("query", |(f, _)| f.trim());
        ErrorBody::new(code::INVALID_INPUT, message.clone())
            .with_problems(vec![FieldProblem::new(field, self.0.clone())])
            .into_response_with(StatusCode::BAD_REQUEST)
    }
}

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = QueryError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => {
                let text = rejection.body_text();
                let detail = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text);
                Err(QueryError(detail.to_string()))
            }
        }
    }
}
