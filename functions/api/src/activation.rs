//! Activation: needs a passed test; creates or removes the connection's schedule.

use axum::extract::{Path, State};
use koppel_core::domain::connection::Connection;
use koppel_core::usecases::activation;
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Tenant};

/// Start syncing on the connection's interval.
#[utoipa::path(post, path = "/connections/{id}/activate", operation_id = "activate_connection", tag = "connections",
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 200, description = "Active; its schedule exists", body = Connection),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
        (status = 409, description = "No test has passed yet", body = ErrorBody),
    ))]
pub async fn activate(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Connection>, ApiError> {
    Ok(Json(activation::activate(&s.deps, &t, &id).await?))
}

/// Stop syncing on a schedule; manual syncs stay possible.
#[utoipa::path(post, path = "/connections/{id}/deactivate", operation_id = "deactivate_connection", tag = "connections",
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 200, description = "Inactive; its schedule is gone", body = Connection),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
    ))]
pub async fn deactivate(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Connection>, ApiError> {
    Ok(Json(activation::deactivate(&s.deps, &t, &id).await?))
}
