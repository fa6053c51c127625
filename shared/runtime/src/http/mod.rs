//! The HTTP edge shared by the `api` and `test-connection` routers.

pub mod auth;
pub mod error;
pub mod json;
pub mod state;
