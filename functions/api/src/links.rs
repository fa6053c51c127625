//! Manual linking: the customers waiting for a link, link one, unlink one.

use axum::extract::{Path, State};
use koppel_core::domain::unmatched::Unmatched;
use koppel_core::usecases::link_customer::{self, LinkOutcome, LinkRequest};
use koppel_core::usecases::unmatched;
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Query, Tenant};

use crate::page::{Page, PageQuery};

/// Provider customers that could not be matched, with the reason.
#[utoipa::path(get, path = "/connections/{id}/unmatched", operation_id = "list_unmatched", tag = "links",
    params(("id" = String, Path, description = "Connection id"), PageQuery),
    responses(
        (status = 200, description = "A page of waiting customers", body = Page<Unmatched>),
        (status = 400, description = "Bad limit or page token", body = ErrorBody),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
    ))]
pub async fn unmatched(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<Unmatched>>, ApiError> {
    Ok(Json(Page::from_parts(unmatched::list(&s.deps, &t, &id, q.limit(), q.token()).await?)))
}

/// Link a waiting provider customer to a platform customer; automatic matching never changes it.
#[utoipa::path(post, path = "/connections/{id}/links", operation_id = "link_customer", tag = "links", request_body = LinkRequest,
    params(("id" = String, Path, description = "Connection id")),
    responses(
        (status = 200, description = "Linked; waiting invoices and payments were attached", body = LinkOutcome),
        (status = 404, description = "No such connection, customer or provider customer", body = ErrorBody),
        (status = 409, description = "Already linked elsewhere, or the customer was merged away", body = ErrorBody),
    ))]
pub async fn link(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    Json(req): Json<LinkRequest>,
) -> Result<Json<LinkOutcome>, ApiError> {
    Ok(Json(link_customer::link(&s.deps, &t, &id, req).await?))
}

/// Undo a link; the provider customer waits for a manual link again.
#[utoipa::path(delete, path = "/connections/{id}/links/{remote_id}", operation_id = "unlink_customer", tag = "links",
    params(("id" = String, Path, description = "Connection id"),
        ("remote_id" = String, Path, description = "The provider's id of the customer")),
    responses(
        (status = 200, description = "Unlinked", body = LinkOutcome),
        (status = 404, description = "No such connection or provider customer", body = ErrorBody),
    ))]
pub async fn unlink(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path((id, remote_id)): Path<(String, String)>,
) -> Result<Json<LinkOutcome>, ApiError> {
    Ok(Json(link_customer::unlink(&s.deps, &t, &id, &remote_id).await?))
}
