//! The HTTP edge shared by the `api` and `test-connection` routers.

pub mod app;
pub mod auth;
pub mod error;
pub mod json;
pub mod query;
pub mod state;

pub use app::app;
pub use auth::{Tenant, dev_token};
pub use error::{ApiError, ErrorBody};
pub use json::Json;
pub use query::Query;
pub use state::{AppState, AuthConfig};
