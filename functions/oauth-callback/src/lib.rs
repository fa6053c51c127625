//! `oauth-callback`: OAuth 2.0 sign-in for connections (AdminPulse with `auth_mode = "oauth"`;
//! Brokercloud, Silverfin and Zoho, which only receive meetings: tested and activated, no first sync).
//!
//! | Request | Answer |
//! |---|---|
//! | `POST /connections/{id}/oauth/start` (JWT; tenant from the verified token) | 200 `{authorize_url, expires_at}`; 404 another tenant's or no connection; 409 not an OAuth connection, or no OAuth app registered |
//! | `GET /oauth/callback?code&state` or `?error&state` (no JWT: the browser comes from the provider) | 302 to `KOPPEL_OAUTH_RETURN_URL` with `connection=…&outcome=connected[&run=…]`, or `outcome=error&reason=<code>&message=<sentence>` |
//!
//! The callback is proven by its `state` alone (single use, 10 minutes, bound to tenant and
//! connection); see `koppel_core::oauth`. No code, token or `state` is logged or returned.

mod callback;
mod start;

use axum::routing::{get, post};
use axum::{Extension, Router};
use koppel_runtime::http::AppState;

pub use callback::{CALLBACK_PATH, ReturnPage, ReturnPageError, oauth_callback};
pub use start::{START_PATH, oauth_start};

/// The routes of this function, unfinished (see [`koppel_runtime::http::app`]).
pub fn routes(return_page: ReturnPage) -> Router<AppState> {
    Router::new()
        .route(START_PATH, post(oauth_start))
        .route(CALLBACK_PATH, get(oauth_callback))
        .layer(Extension(return_page))
}

/// The function's app (no 404 fallback, so the local runner can merge it with the API).
pub fn router(state: AppState, return_page: ReturnPage) -> Router {
    koppel_runtime::http::app(routes(return_page), state)
}

/// The OpenAPI part of this function; the `api` function can merge it into `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(start::oauth_start, callback::oauth_callback),
    components(schemas(koppel_core::oauth::start::Started, koppel_runtime::http::ErrorBody))
)]
pub struct OAuthCallbackDoc;
