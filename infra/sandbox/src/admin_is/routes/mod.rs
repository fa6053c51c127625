//! The HTTP surface: the Admin IS endpoints Koppel reads (behind `guard`), and `/_admin/…` (also
//! `/__admin/…`; no auth, not counted, not rate limited).

mod admin;
mod api;
mod guard;
pub mod reply;

use axum::Router;
use axum::middleware;
use axum::routing::get;
use std::sync::Arc;

use super::state::Shared;

pub fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/api/v1/token/{key}", get(api::token))
        .route("/api/v1/apisettings", get(api::settings))
        .route("/api/v1/customers", get(api::customers).post(api::read_only).put(api::read_only))
        .route("/api/v1/customers/{id}", get(api::customer).put(api::read_only))
        .route("/api/v1/customeraddresses", get(api::addresses))
        .route("/api/v1/customer/changes", get(api::changes))
        .layer(middleware::from_fn_with_state(shared.clone(), guard::guard));
    api.nest("/_admin", admin::router()).nest("/__admin", admin::router()).fallback(reply::no_route).with_state(shared)
}
