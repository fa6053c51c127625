//! The HTTP surface: the Flexmail endpoints of the wire contract (HTTP Basic, rate limit,
//! faults; see `guard`) and `/_admin/…` (also under `/__admin/…`, like the SnelStart stand-in;
//! no auth, not counted, not rate limited).

mod admin;
mod catalog;
mod contacts;
mod guard;
mod imports;
mod reply;
mod subscriptions;
mod webhooks;

use axum::Router;
use axum::middleware;
use axum::routing::{delete, get, post};
use std::sync::Arc;

use super::state::Shared;

pub fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/sources", get(catalog::sources))
        .route("/custom-fields", get(catalog::custom_fields))
        .route("/interests", get(catalog::interests))
        .route("/webhook-events", get(catalog::webhook_events))
        .route("/contacts", get(contacts::list).post(contacts::create))
        .route("/contacts/{id}", get(contacts::one).patch(contacts::update))
        .route("/contacts/{id}/unsubscribe", post(contacts::unsubscribe))
        .route("/contacts/{id}/interest-subscriptions", get(subscriptions::list).post(subscriptions::subscribe))
        .route("/contacts/{id}/interest-subscriptions/{interest_id}", delete(subscriptions::unsubscribe))
        .route("/contacts/imports", post(imports::create))
        .route("/contacts/imports/{id}", get(imports::one).patch(imports::start))
        .route("/contacts/imports/{id}/records", post(imports::records))
        .route("/webhooks", get(webhooks::list).post(webhooks::register))
        .route("/webhooks/{id}", get(webhooks::one).delete(webhooks::remove))
        .layer(middleware::from_fn_with_state(shared.clone(), guard::guard));
    api.nest("/_admin", admin::router()).nest("/__admin", admin::router()).fallback(reply::no_route).with_state(shared)
}
