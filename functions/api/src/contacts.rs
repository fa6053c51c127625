//! Platform contacts: the platform writes them (`PUT`), newsletter connections read them; and
//! the communications recorded on a contact (newsletter clicks).

use axum::extract::{Path, State};
use koppel_core::domain::contact::{Communication, Contact};
use koppel_core::usecases::contacts::{self, ContactInput};
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Query, Tenant};

use crate::page::{Page, PageQuery};

/// The tenant's contacts, by id.
#[utoipa::path(get, path = "/contacts", operation_id = "list_contacts", tag = "contacts", params(PageQuery),
    responses(
        (status = 200, description = "A page of contacts", body = Page<Contact>),
        (status = 400, description = "Bad limit or page token", body = ErrorBody),
    ))]
pub async fn list(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<Contact>>, ApiError> {
    Ok(Json(Page::from_parts(contacts::list(&s.deps, &t, q.limit(), q.token()).await?)))
}

/// Create or replace a contact (the platform's id). Unsubscribe notes written by a newsletter
/// connection are kept while the newsletter flag stays off.
#[utoipa::path(put, path = "/contacts/{id}", operation_id = "put_contact", tag = "contacts", request_body = ContactInput,
    params(("id" = String, Path, description = "The platform's contact id")),
    responses(
        (status = 200, description = "The stored contact", body = Contact),
        (status = 400, description = "Wrong input; see problems", body = ErrorBody),
        (status = 409, description = "Changed by someone else at the same time", body = ErrorBody),
    ))]
pub async fn put(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    Json(input): Json<ContactInput>,
) -> Result<Json<Contact>, ApiError> {
    Ok(Json(contacts::put(&s.deps, &t, &id, input).await?))
}

/// One contact.
#[utoipa::path(get, path = "/contacts/{id}", operation_id = "get_contact", tag = "contacts",
    params(("id" = String, Path, description = "Contact id")),
    responses(
        (status = 200, description = "The contact", body = Contact),
        (status = 404, description = "No such contact for this tenant", body = ErrorBody),
    ))]
pub async fn get(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Contact>, ApiError> {
    Ok(Json(contacts::get(&s.deps, &t, &id).await?))
}

/// Communications recorded on a contact (e.g. newsletter clicks from Flexmail).
#[utoipa::path(get, path = "/contacts/{id}/communications", operation_id = "contact_communications", tag = "contacts",
    params(("id" = String, Path, description = "Contact id")),
    responses(
        (status = 200, description = "The contact's communications", body = Page<Communication>),
        (status = 404, description = "No such contact for this tenant", body = ErrorBody),
    ))]
pub async fn communications(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Page<Communication>>, ApiError> {
    Ok(Json(Page::all(contacts::communications(&s.deps, &t, &id).await?)))
}
