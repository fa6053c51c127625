//! Target lists for the picker, and which kinds of item a connection sends.

use axum::extract::{Path, Query, State};
use koppel_core::domain::connection::Connection;
use koppel_core::domain::meeting::PushSettings;
use koppel_core::push::targets::{self, TargetList, TargetsRequest};
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Tenant};

/// Relations, parties, clients (and their folders), partners, events or companies to pick
/// from: cached, searched with `q`, read from the provider again with `refresh=true`.
#[utoipa::path(get, path = "/connections/{id}/targets", operation_id = "list_targets", tag = "meetings",
    params(("id" = String, Path, description = "Connection id"), TargetsRequest),
    responses(
        (status = 200, description = "One page of targets", body = TargetList),
        (status = 400, description = "Not a target kind of this connection", body = ErrorBody),
        (status = 409, description = "The connection is not connected yet", body = ErrorBody),
        (status = 502, description = "The provider refused or failed", body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    Query(req): Query<TargetsRequest>,
) -> Result<Json<TargetList>, ApiError> {
    Ok(Json(targets::list(&s.deps, &t, &id, req).await?))
}

/// Choose what the connection sends: reports, notes, to-dos (the seed: "Zoho with tasks off").
#[utoipa::path(put, path = "/connections/{id}/push-settings", operation_id = "put_push_settings", tag = "meetings", request_body = PushSettings,
    params(("id" = String, Path, description = "Connection id")),
    responses((status = 200, description = "The connection", body = Connection), (status = 400, description = "A kind this provider does not take", body = ErrorBody)))]
pub async fn settings(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    Json(settings): Json<PushSettings>,
) -> Result<Json<Connection>, ApiError> {
    Ok(Json(koppel_core::push::settings::update(&s.deps, &t, &id, settings).await?))
}
