//! The HTTP surface: `GET /web/version`, `POST /json/2/{model}/{method}` and `/_admin/…` (also
//! under `/__admin/…`; no auth, not counted). Anything else is Odoo's JSON 404.

mod admin;
mod rpc;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

use super::error::OdooError;
use super::faults::OdooFaultKind;
use super::state::Shared;
use crate::state::lock;
use crate::stats::RequestLine;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/web/version", get(version))
        .route("/json/2/{model}/{method}", any(rpc::call))
        .nest("/_admin", admin::router())
        .nest("/__admin", admin::router())
        .fallback(no_route)
        .with_state(shared)
}

/// `{"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}` [C]; no key needed.
async fn version(State(shared): State<Arc<Shared>>) -> Response {
    let route = "GET /web/version";
    lock(&shared.stats).arrived(route);
    let fault = take(&shared, "/web/version");
    let response = match early(fault).await {
        Some(early) => early,
        None => {
            let v = &shared.config.version;
            let parts: Vec<u64> = v.split(['.', '~']).filter_map(|p| p.parse().ok()).collect();
            let info =
                json!([parts.first().copied().unwrap_or(19), parts.get(1).copied().unwrap_or(0), 0, "final", 0, ""]);
            axum::Json(json!({"version_info": info, "version": v})).into_response()
        }
    };
    answered(&shared, "GET", "/web/version", &response);
    response
}

async fn no_route(request: Request) -> Response {
    let path = request.uri().path();
    if path.starts_with("/json/2") {
        return OdooError::not_found("Did you mean POST /json/2/<model>/<method>?").into_response();
    }
    OdooError::not_found("Not Found").into_response()
}

/// The fault due for a call to `path`, counted as served.
fn take(shared: &Shared, path: &str) -> Option<OdooFaultKind> {
    let fault = lock(&shared.faults).take(path)?;
    lock(&shared.stats).fault_served();
    Some(fault)
}

/// What a fault does before the call: an early answer (429, 5xx, a refusal), a wait (slow), or
/// nothing. `AfterStore` is handled by the caller after the call.
async fn early(fault: Option<OdooFaultKind>) -> Option<Response> {
    match fault? {
        OdooFaultKind::RateLimit { retry_after_secs } => Some(OdooError::too_many(retry_after_secs)),
        OdooFaultKind::ServerError { status } => {
            let status = if (500..=599).contains(&status) { status } else { 500 };
            Some(OdooError::new(status, "builtins.Exception", "Internal Server Error").into_response())
        }
        OdooFaultKind::Slow { delay_ms } => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            None
        }
        OdooFaultKind::Refuse { status, name, message } => Some(OdooError::new(status, &name, message).into_response()),
        // Only meaningful for calls that store something; a version call just answers.
        OdooFaultKind::AfterStore { .. } => None,
    }
}

fn answered(shared: &Shared, method: &str, path: &str, response: &Response) {
    let status = response.status().as_u16();
    tracing::debug!(%method, %path, status, "odoo sandbox answered");
    lock(&shared.stats).answered(RequestLine { method: method.into(), path: path.into(), query: None, status });
}
