//! Runs of a connection: summaries (newest first), progress, log lines.

use axum::extract::{Path, State};
use koppel_core::domain::run::{LogLine, Run};
use koppel_core::usecases::runs;
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Query, Tenant};

use crate::page::{LimitQuery, Page, PageQuery};

/// The connection's latest runs, newest first.
#[utoipa::path(get, path = "/connections/{id}/runs", operation_id = "list_runs", tag = "runs",
    params(("id" = String, Path, description = "Connection id"), LimitQuery),
    responses(
        (status = 200, description = "Runs, newest first (not paged)", body = Page<Run>),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
    ))]
pub async fn list(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    Query(q): Query<LimitQuery>,
) -> Result<Json<Page<Run>>, ApiError> {
    Ok(Json(Page::all(runs::list(&s.deps, &t, &id, q.limit()).await?)))
}

/// One run: its progress while it runs, its summary after.
#[utoipa::path(get, path = "/connections/{id}/runs/{run}", operation_id = "get_run", tag = "runs",
    params(("id" = String, Path, description = "Connection id"), ("run" = String, Path, description = "Run id")),
    responses(
        (status = 200, description = "The run", body = Run),
        (status = 404, description = "No such connection or run", body = ErrorBody),
    ))]
pub async fn get(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path((id, run)): Path<(String, String)>,
) -> Result<Json<Run>, ApiError> {
    Ok(Json(runs::get(&s.deps, &t, &id, &run).await?))
}

/// A run's log lines, oldest first.
#[utoipa::path(get, path = "/connections/{id}/runs/{run}/logs", operation_id = "list_run_logs", tag = "runs",
    params(("id" = String, Path, description = "Connection id"), ("run" = String, Path, description = "Run id"), PageQuery),
    responses(
        (status = 200, description = "A page of log lines", body = Page<LogLine>),
        (status = 400, description = "Bad limit or page token", body = ErrorBody),
        (status = 404, description = "No such connection or run", body = ErrorBody),
    ))]
pub async fn logs(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path((id, run)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<LogLine>>, ApiError> {
    Ok(Json(Page::from_parts(runs::logs(&s.deps, &t, &id, &run, q.limit(), q.token()).await?)))
}
