//! Turning routes into a served app: answers for requests no route takes (in the common error
//! shape) and a one-line access log per request.

use axum::Router;
use axum::extract::Request;
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::{ErrorBody, code};
use super::state::AppState;

/// The app that serves `routes`: JSON 405 answers, the access log, and the state.
///
/// It sets no 404 fallback, so that the local runner can merge several functions' apps
/// (`api::router(s).merge(test_connection::router(s))`; axum refuses to merge two routers that
/// both have a fallback). The `api` function adds [`not_found`] to its routes: it is the one that
/// answers for unknown paths.
pub fn app(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(access_log))
        .with_state(state)
}

/// `Router::fallback`: no route has this path.
pub async fn not_found(method: Method, uri: Uri) -> Response {
    ErrorBody::new(code::NOT_FOUND, format!("no route for {method} {}", uri.path()))
        .with_hint("See GET /openapi.json for the routes.")
        .into_response_with(StatusCode::NOT_FOUND)
}

/// `Router::method_not_allowed_fallback`: the path exists, the method does not.
pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    ErrorBody::new(code::METHOD_NOT_ALLOWED, format!("{method} is not allowed on {}", uri.path()))
        .with_hint("See GET /openapi.json for the methods of each route.")
        .into_response_with(StatusCode::METHOD_NOT_ALLOWED)
}

/// `axum::middleware::from_fn(access_log)`: method, path, status and duration of each request.
/// Never headers, query strings or bodies (they may hold tokens or keys).
pub async fn access_log(req: Request, next: Next) -> impl IntoResponse {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = std::time::Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_millis() as u64;
    tracing::info!(%method, %path, status, ms, "http request");
    response
}
