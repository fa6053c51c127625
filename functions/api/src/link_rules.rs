//! ERP link rules of a connection (`GET`/`PUT /connections/{id}/link-rules`), and the
//! visibility-aware reads of connections: a caller outside a connection's named visibility does
//! not see it in `GET /connections` and gets 404 on `GET /connections/{id}`. A caller without a
//! user id (`sub`) is a service call and sees every connection of its tenant.

use axum::extract::{Path, State};
use koppel_core::domain::connection::Connection;
use koppel_core::domain::link_rules::LinkRules;
use koppel_core::links::{self, input::LinkRulesBody};
use koppel_core::usecases::connections;
use koppel_runtime::http::auth::Caller;
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json};

use crate::page::Page;

/// The tenant's connections the caller may see.
#[utoipa::path(get, path = "/connections", operation_id = "list_connections", tag = "connections",
    responses((status = 200, description = "The connections of the tenant the caller may see (a service call without `sub` sees all)", body = Page<Connection>)))]
pub async fn list_connections(State(s): State<AppState>, caller: Caller) -> Result<Json<Page<Connection>>, ApiError> {
    let visible = connections::list_visible(s.deps.store.as_ref(), &caller.tenant, &caller.viewer()).await?;
    Ok(Json(Page::all(visible)))
}

/// One connection, with its last test and link rules.
#[utoipa::path(get, path = "/connections/{id}", operation_id = "get_connection", tag = "connections",
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 200, description = "The connection", body = Connection),
        (status = 404, description = "No such connection for this tenant, or its link is not visible to the caller", body = ErrorBody),
    ))]
pub async fn get_connection(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Connection>, ApiError> {
    Ok(Json(connections::load_visible(s.deps.store.as_ref(), &caller.tenant, &id, &caller.viewer()).await?))
}

/// The connection's link rules (the defaults — all users, no field rules, no priority — when none were saved).
#[utoipa::path(get, path = "/connections/{id}/link-rules", operation_id = "get_link_rules", tag = "connections",
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 200, description = "The link rules", body = LinkRules),
        (status = 404, description = "No such connection for this tenant, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn get(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<LinkRules>, ApiError> {
    Ok(Json(links::get::get(&s.deps, &caller.tenant, &id, &caller.viewer()).await?))
}

/// Replace the connection's link rules: visibility, per-field direction, default values for new
/// records, list values, order, and sync priority (1 wins). Field names depend on the provider.
/// Every problem is reported at once and nothing is stored; the connection's test must have
/// passed first. Nothing else of the connection changes.
#[utoipa::path(put, path = "/connections/{id}/link-rules", operation_id = "put_link_rules", tag = "connections",
    request_body = LinkRules,
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 200, description = "Saved; the rules as stored", body = LinkRules),
        (status = 400, description = "Wrong input; every problem under problems", body = ErrorBody),
        (status = 404, description = "No such connection for this tenant, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The connection's test has not passed (run Test first), or it was changed at the same time", body = ErrorBody),
    ))]
pub async fn put(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<LinkRulesBody>,
) -> Result<Json<LinkRules>, ApiError> {
    Ok(Json(links::save::save(&s.deps, &caller.tenant, &id, &caller.viewer(), &body).await?))
}
