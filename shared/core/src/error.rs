//! Errors of the use-case layer. The API maps them to HTTP in one place (`api::error`).

use crate::domain::settings_input::FieldProblem;
use crate::ports::{BusError, ConnectorError, SchedulerError, SecretsError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong; nothing was changed.
    #[error("invalid input")]
    Invalid(Vec<FieldProblem>),
    /// Nothing of that kind exists for this tenant.
    #[error("{0} not found")]
    NotFound(String),
    /// The request is valid but the state does not allow it now (e.g. activating before a test passed).
    #[error("{message}")]
    Conflict { message: String, hint: String },
    /// A request that must prove who sent it did not (e.g. a webhook with a wrong token).
    #[error("{message}")]
    Unauthenticated { message: String, hint: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Scheduler(#[from] SchedulerError),
    #[error(transparent)]
    Bus(#[from] BusError),
    #[error(transparent)]
    Connector(#[from] ConnectorError),
    /// Stored data that cannot be read back (a bug or manual edit).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldProblem::new(field, message)])
    }
    pub fn conflict(message: impl Into<String>, hint: impl Into<String>) -> Self {
        AppError::Conflict { message: message.into(), hint: hint.into() }
    }
}
