//! The HTTP side: WSDL on GET, envelopes on POST, dispatched to the handshake or the use-cases.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use koppel_core::erp::{route, service};
use koppel_runtime::http::AppState;

use crate::handshake::{AuthAnswer, Handshake, HandshakeError};
use crate::soap::{self, Incoming};

/// Where SuperOffice's sync engine calls (the Sync Connector URL).
pub const PATH: &str = "/superoffice-erp/{route}";

#[derive(Clone)]
struct ErpState {
    app: AppState,
    /// `None`: no SuperOffice app is configured; every handshake is refused, so nothing is served.
    handshake: Option<Arc<Handshake>>,
}

/// The connector's routes, with the handshake of the configured SuperOffice app.
pub fn router(state: AppState, handshake: Arc<Handshake>) -> Router {
    routes(ErpState { app: state, handshake: Some(handshake) })
}

/// The routes without a SuperOffice app (local runs without one): the WSDL is served, every
/// handshake is refused with a reason, and so every call is refused.
pub fn router_unconfigured(state: AppState) -> Router {
    routes(ErpState { app: state, handshake: None })
}

fn routes(state: ErpState) -> Router {
    Router::new().route(PATH, get(wsdl).post(call)).with_state(state)
}

fn xml(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, soap::CONTENT_TYPE)], body).into_response()
}

async fn wsdl(State(s): State<ErpState>, Path(route): Path<String>) -> Response {
    let now = s.app.deps.clock.now();
    match route::resolve(s.app.deps.store.as_ref(), &route, now).await {
        Ok(Some(_)) => {
            let url = format!("{}/superoffice-erp/{route}", s.app.deps.public_url.trim_end_matches('/'));
            xml(StatusCode::OK, soap::wsdl(&url))
        }
        Ok(None) => unknown_route(),
        Err(e) => unavailable(&e.to_string()),
    }
}

fn unknown_route() -> Response {
    let (_, body) = soap::fault(&soap::WireError {
        operation: None,
        message: "this connector address is not known to Koppel: copy the Sync Connector URL from the SuperOffice \
                  connection in Koppel again"
            .into(),
    });
    xml(StatusCode::NOT_FOUND, body)
}

fn unavailable(detail: &str) -> Response {
    tracing::error!(error = %detail, "superoffice-erp: store unavailable");
    let (_, body) = soap::fault(&soap::WireError {
        operation: None,
        message: "Koppel could not read its data just now; SuperOffice retries on its next cycle".into(),
    });
    xml(StatusCode::SERVICE_UNAVAILABLE, body)
}

async fn call(State(s): State<ErpState>, Path(route): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let action = headers.get("soapaction").and_then(|v| v.to_str().ok());
    let (incoming, dialect) = match soap::read_envelope(action, &body) {
        Ok(read) => read,
        Err(e) => {
            tracing::info!(error = %e, "superoffice-erp: unreadable envelope");
            let (status, body) = soap::fault(&e);
            return xml(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), body);
        }
    };
    let deps = &s.app.deps;
    let now = deps.clock.now();
    let ctx = match route::resolve(deps.store.as_ref(), &route, now).await {
        Ok(Some(ctx)) => ctx,
        Ok(None) => return unknown_route(),
        Err(e) => return unavailable(&e.to_string()),
    };
    match incoming {
        Incoming::Authenticate { signed_token } => {
            let answer = authenticate(&s, &route, &signed_token).await;
            tracing::info!(tenant = %ctx.tenant, succeeded = answer.succeeded, "superoffice-erp: handshake");
            xml(StatusCode::OK, soap::write_auth_as(&dialect, &answer))
        }
        Incoming::Call(request) => {
            let op = request.operation();
            let response = service::handle(deps, &ctx, request.clone()).await;
            tracing::info!(tenant = %ctx.tenant, operation = op, state = ?response.outcome.state, "superoffice-erp: call");
            xml(StatusCode::OK, soap::write_as(&dialect, &request, &response))
        }
    }
}

/// Verify SuperOffice's token, open the route for its context, answer the signed application token.
async fn authenticate(s: &ErpState, route_id: &str, signed_token: &str) -> AuthAnswer {
    let Some(handshake) = &s.handshake else {
        return AuthAnswer::failure(HandshakeError::Config(String::new()).reason());
    };
    let verified = match handshake.authenticate(signed_token).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "superoffice-erp: handshake refused");
            return AuthAnswer::failure(e.reason());
        }
    };
    let deps = &s.app.deps;
    match route::record_handshake(deps.store.as_ref(), route_id, &verified.context_id, deps.clock.now()).await {
        Ok(true) => {}
        Ok(false) => {
            return AuthAnswer::failure(
                "This connector address belongs to another SuperOffice tenant; check the context id in Koppel",
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "superoffice-erp: could not record the handshake");
            return AuthAnswer::failure("Koppel could not record the sign-in just now; try again");
        }
    }
    match handshake.reply_token(&verified.nonce) {
        Ok(token) => AuthAnswer::success(token),
        Err(e) => AuthAnswer::failure(e.reason()),
    }
}
