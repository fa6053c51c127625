//! `test-connection`: "Test API" for a connection — fetch a token, make the cheapest
//! authenticated call, store the outcome on the connection and return it.
//!
//! A failed test is still a `200` with `ok: false`, a message and a hint: the test ran, and its
//! outcome is the answer. Errors are for when it could not run (unknown connection, store down).

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::post;
use koppel_core::domain::connection::TestResult;
use koppel_core::usecases::test_connection;
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Tenant};

/// The routes of this function, unfinished (see [`koppel_runtime::http::app`]).
pub fn routes() -> Router<AppState> {
    Router::new().route("/connections/{id}/test", post(test))
}

/// The function's app: its route with JSON 405 answers, the access log and the state. It has no
/// 404 fallback, so `api::router(s).merge(test_connection::router(s))` works (the local runner);
/// in Lambda, API Gateway sends it only its own route.
pub fn router(state: AppState) -> Router {
    koppel_runtime::http::app(routes(), state)
}

/// Run "Test API" for a connection.
#[utoipa::path(
    post,
    path = "/connections/{id}/test",
    operation_id = "test_connection",
    tag = "connections",
    params(("id" = String, Path, description = "The connection's id")),
    responses(
        (status = 200, description = "The test ran; `ok` says whether it passed", body = TestResult),
        (status = 404, description = "No such connection for this tenant", body = ErrorBody),
    )
)]
pub async fn test(
    State(state): State<AppState>,
    Tenant(tenant): Tenant,
    Path(id): Path<String>,
) -> Result<Json<TestResult>, ApiError> {
    Ok(Json(test_connection::test(&state.deps, &tenant, &id).await?))
}

/// The OpenAPI part of this function; the `api` function merges it into `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(test), components(schemas(TestResult, ErrorBody)))]
pub struct TestConnectionDoc;
