//! "Sync customers / invoices / payments / all": queue a run for the sync function.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use koppel_core::domain::run::Run;
use koppel_core::usecases::request_sync::{self, SyncNow};
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Tenant};
use serde::Serialize;

/// The queued run, with its id also as `run_id`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncQueued {
    pub run_id: String,
    #[serde(flatten)]
    pub run: Run,
}

/// Queue a run; `koppel.sync.requested.v1` asks the sync function for it.
#[utoipa::path(post, path = "/connections/{id}/sync", operation_id = "request_sync", tag = "runs", request_body = SyncNow,
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 202, description = "Queued; follow it at Location", body = SyncQueued,
            headers(("Location" = String, description = "/connections/{id}/runs/{run_id}"))),
        (status = 400, description = "Unknown stream", body = ErrorBody),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
        (status = 409, description = "No test has passed yet", body = ErrorBody),
    ))]
pub async fn request(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    Json(form): Json<SyncNow>,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Json<SyncQueued>), ApiError> {
    let run = request_sync::request(&s.deps, &t, &id, form).await?;
    let location = format!("/connections/{id}/runs/{}", run.id);
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(SyncQueued { run_id: run.id.clone(), run })))
}
