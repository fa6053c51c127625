//! Platform customers: list, add, read, merge duplicates, and a customer's invoices and payments.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use koppel_core::domain::records::{Customer, Invoice, Payment};
use koppel_core::usecases::customers::{self, NewCustomer};
use koppel_core::usecases::merge_customers::{self, MergeRequest};
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Query, Tenant};

use crate::page::{Page, PageQuery};

/// The tenant's customers, by id.
#[utoipa::path(get, path = "/customers", operation_id = "list_customers", tag = "customers", params(PageQuery),
    responses(
        (status = 200, description = "A page of customers", body = Page<Customer>),
        (status = 400, description = "Bad limit or page token", body = ErrorBody),
    ))]
pub async fn list(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<Customer>>, ApiError> {
    Ok(Json(Page::from_parts(customers::list(&s.deps, &t, q.limit(), q.token()).await?)))
}

/// Add a customer.
#[utoipa::path(post, path = "/customers", operation_id = "create_customer", tag = "customers", request_body = NewCustomer,
    responses(
        (status = 201, description = "Created", body = Customer,
            headers(("Location" = String, description = "/customers/{id}"))),
        (status = 400, description = "Wrong input; see problems", body = ErrorBody),
    ))]
pub async fn create(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Json(form): Json<NewCustomer>,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Json<Customer>), ApiError> {
    let customer = customers::create(&s.deps, &t, form).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/customers/{}", customer.id))], Json(customer)))
}

/// One customer.
#[utoipa::path(get, path = "/customers/{id}", operation_id = "get_customer", tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The customer", body = Customer),
        (status = 404, description = "No such customer for this tenant", body = ErrorBody),
    ))]
pub async fn get(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Customer>, ApiError> {
    Ok(Json(customers::get(&s.deps, &t, &id).await?))
}

/// Merge a duplicate into the customer to keep: links, invoices and payments move over.
#[utoipa::path(post, path = "/customers/merge", operation_id = "merge_customers", tag = "customers", request_body = MergeRequest,
    responses(
        (status = 200, description = "The kept customer", body = Customer),
        (status = 400, description = "A customer cannot be merged into itself", body = ErrorBody),
        (status = 404, description = "No such customer for this tenant", body = ErrorBody),
        (status = 409, description = "One of them was already merged", body = ErrorBody),
    ))]
pub async fn merge(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Json(req): Json<MergeRequest>,
) -> Result<Json<Customer>, ApiError> {
    Ok(Json(merge_customers::merge(&s.deps, &t, req).await?))
}

/// The customer's invoices, newest first.
#[utoipa::path(get, path = "/customers/{id}/invoices", operation_id = "list_customer_invoices", tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 200, description = "All invoices of the customer (not paged)", body = Page<Invoice>),
        (status = 404, description = "No such customer for this tenant", body = ErrorBody),
    ))]
pub async fn invoices(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Page<Invoice>>, ApiError> {
    Ok(Json(Page::all(customers::invoices(&s.deps, &t, &id).await?)))
}

/// What has been paid on the customer's invoices.
#[utoipa::path(get, path = "/customers/{id}/payments", operation_id = "list_customer_payments", tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    responses(
        (status = 200, description = "All payments of the customer (not paged)", body = Page<Payment>),
        (status = 404, description = "No such customer for this tenant", body = ErrorBody),
    ))]
pub async fn payments(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Page<Payment>>, ApiError> {
    Ok(Json(Page::all(customers::payments(&s.deps, &t, &id).await?)))
}
