//! `POST /connections/{id}/oauth/start`: where to send the user's browser.

use axum::extract::{Path, State};
use koppel_core::oauth::start::{self, Started};
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Tenant};

pub const START_PATH: &str = "/connections/{id}/oauth/start";

/// Start the provider sign-in for a connection.
#[utoipa::path(
    post,
    path = "/connections/{id}/oauth/start",
    operation_id = "oauth_start",
    tag = "connections",
    params(("id" = String, Path, description = "The connection's id")),
    responses(
        (status = 200, description = "Open authorize_url in the user's browser before expires_at", body = Started),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
        (status = 409, description = "Not an OAuth connection, or sign-in not set up in this deployment", body = ErrorBody),
    )
)]
pub async fn oauth_start(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Started>, ApiError> {
    Ok(Json(start::start(&state.deps, &tenant, &id).await?))
}
