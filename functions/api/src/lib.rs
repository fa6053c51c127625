//! `api`: the HTTP API of Koppel (see `docs/conventions.md`), except POST /connections/{id}/test
//! which is the `test-connection` function. One handler per use-case; no business logic here.

use axum::Router;
use axum::routing::{get, post};
use koppel_runtime::http::AppState;

pub mod activation;
pub mod catalog;
pub mod connections;
pub mod contacts;
pub mod customers;
pub mod imports;
pub mod link_rules;
pub mod links;
pub mod openapi;
pub mod page;
pub mod runs;
pub mod sync_now;

/// The routes of this function, unfinished (see [`koppel_runtime::http::app`]), with the JSON
/// 404 for unknown paths: merged with other functions' routers, this one answers for those.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/connectors", get(catalog::list))
        .route("/connections", get(link_rules::list_connections).post(connections::create))
        .route(
            "/connections/{id}",
            get(link_rules::get_connection).patch(connections::update).delete(connections::delete),
        )
        .route("/connections/{id}/link-rules", get(link_rules::get).put(link_rules::put))
        .route("/connections/{id}/activate", post(activation::activate))
        .route("/connections/{id}/deactivate", post(activation::deactivate))
        .route("/connections/{id}/sync", post(sync_now::request))
        .route("/connections/{id}/runs", get(runs::list))
        .route("/connections/{id}/runs/{run}", get(runs::get))
        .route("/connections/{id}/runs/{run}/logs", get(runs::logs))
        .route("/connections/{id}/unmatched", get(links::unmatched))
        .route("/connections/{id}/links", post(links::link))
        .route("/connections/{id}/links/{remote_id}", axum::routing::delete(links::unlink))
        .route("/contacts", get(contacts::list))
        .route("/contacts/{id}", get(contacts::get).put(contacts::put))
        .route("/contacts/{id}/communications", get(contacts::communications))
        .route("/customers", get(customers::list).post(customers::create))
        .route("/customers/merge", post(customers::merge))
        .route("/customers/{id}", get(customers::get))
        .route("/customers/{id}/invoices", get(customers::invoices))
        .route("/customers/{id}/payments", get(customers::payments))
        .merge(imports::routes())
        .fallback(koppel_runtime::http::app::not_found)
}

/// The function's app: its routes with JSON 404/405 answers, the access log and the state.
/// The local runner merges it with `test_connection::router`.
pub fn router(state: AppState) -> Router {
    koppel_runtime::http::app(routes(), state)
}
