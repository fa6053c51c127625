//! Connections: list, create (keys go to the secrets port and never come back), read,
//! change settings, delete (schedule and keys go too).

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use koppel_core::domain::connection::Connection;
use koppel_core::usecases::create_connection::{self, CreateConnection};
use koppel_core::usecases::update_connection::{self, UpdateConnection};
use koppel_core::usecases::{connections, delete_connection};
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Tenant};

use crate::page::Page;

/// The tenant's connections.
#[utoipa::path(get, path = "/connections", operation_id = "list_connections", tag = "connections",
    responses((status = 200, description = "All connections of the tenant", body = Page<Connection>)))]
pub async fn list(State(s): State<AppState>, Tenant(t): Tenant) -> Result<Json<Page<Connection>>, ApiError> {
    Ok(Json(Page::all(connections::list(s.deps.store.as_ref(), &t).await?)))
}

/// Set up a connection. Every wrong field is reported at once and nothing is stored.
#[utoipa::path(post, path = "/connections", operation_id = "create_connection", tag = "connections", request_body = CreateConnection,
    responses(
        (status = 201, description = "Created as a draft; test it, then activate it", body = Connection,
            headers(("Location" = String, description = "/connections/{id}"))),
        (status = 400, description = "Wrong input; see problems", body = ErrorBody),
    ))]
pub async fn create(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Json(form): Json<CreateConnection>,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Json<Connection>), ApiError> {
    let conn = create_connection::create(&s.deps, &t, form).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/connections/{}", conn.id))], Json(conn)))
}

/// One connection, with its last test.
#[utoipa::path(get, path = "/connections/{id}", operation_id = "get_connection", tag = "connections",
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 200, description = "The connection", body = Connection),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
    ))]
pub async fn get(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Connection>, ApiError> {
    Ok(Json(connections::load(s.deps.store.as_ref(), &t, &id).await?))
}

/// Change settings or keys. New keys clear the last test and deactivate; a new interval on an
/// active connection updates its schedule.
#[utoipa::path(patch, path = "/connections/{id}", operation_id = "update_connection", tag = "connections", request_body = UpdateConnection,
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 200, description = "The changed connection", body = Connection),
        (status = 400, description = "Wrong input; see problems", body = ErrorBody),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
        (status = 409, description = "Changed at the same time", body = ErrorBody),
    ))]
pub async fn update(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    Json(form): Json<UpdateConnection>,
) -> Result<Json<Connection>, ApiError> {
    Ok(Json(update_connection::update(&s.deps, &t, &id, form).await?))
}

/// Delete a connection, its schedule and its keys. Synced platform records stay.
#[utoipa::path(delete, path = "/connections/{id}", operation_id = "delete_connection", tag = "connections",
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
    ))]
pub async fn delete(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    delete_connection::delete(&s.deps, &t, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
