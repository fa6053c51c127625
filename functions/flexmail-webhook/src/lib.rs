//! `flexmail-webhook`: Flexmail calls `POST /webhooks/flexmail/{hook}` for unsubscribes,
//! clicks and bounces. The request carries no user identity: the hook id finds the
//! connection, and the connection's own secret token verifies the request (constant-time).
//! Then the event is de-duplicated by its id and applied, and the answer goes back at once.
//!
//! | Request | Answer |
//! |---|---|
//! | unknown or removed hook | 404, nothing changed |
//! | missing or wrong token | 401, nothing changed |
//! | body not a Flexmail event (or > 64 KiB) | 400 saying what is wrong, nothing changed |
//! | event already handled | 200 `duplicate` |
//! | event Koppel does not act on | 200 `ignored` (logged) |
//! | unsubscribe / click / bounce | 200 `applied` |

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::post;
use koppel_connectors::flexmail::webhook;
use koppel_core::AppError;
use koppel_core::domain::settings_input::FieldProblem;
use koppel_core::newsletter::receive::{self, Applied};
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json};

pub fn routes() -> Router<AppState> {
    Router::new().route("/webhooks/flexmail/{hook}", post(receive_event))
}

/// The function's app (no 404 fallback, so the local runner can merge it with the API).
pub fn router(state: AppState) -> Router {
    koppel_runtime::http::app(routes(), state)
}

/// Receive one Flexmail webhook event.
#[utoipa::path(
    post,
    path = "/webhooks/flexmail/{hook}",
    operation_id = "flexmail_webhook",
    tag = "webhooks",
    params(("hook" = String, Path, description = "The hook id Koppel registered at Flexmail")),
    request_body(content = String, description = "Flexmail's event JSON", content_type = "application/json"),
    responses(
        (status = 200, description = "Applied, a duplicate, or acknowledged and ignored", body = Applied),
        (status = 400, description = "Not a Flexmail event", body = ErrorBody),
        (status = 401, description = "Missing or wrong verification token", body = ErrorBody),
        (status = 404, description = "Unknown webhook", body = ErrorBody),
    ),
    security(())
)]
pub async fn receive_event(
    State(state): State<AppState>,
    Path(hook): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Applied>, ApiError> {
    let deps = &state.deps;
    let resolved = receive::resolve(deps, &hook).await?;
    let presented = headers.get(webhook::VERIFICATION_HEADER).and_then(|v| v.to_str().ok());
    webhook::verify(presented, &resolved.token).map_err(|_| AppError::Unauthenticated {
        message: format!("the request did not carry this webhook's token in {}", webhook::VERIFICATION_HEADER),
        hint: "Deactivate and activate the connection to register its webhooks again.".into(),
    })?;
    let event = webhook::parse(&body).map_err(|e| AppError::Invalid(vec![FieldProblem::new("body", e.to_string())]))?;
    let applied = receive::apply(deps, &resolved.conn, event).await?;
    tracing::info!(connection = %resolved.conn.id, status = applied.status, "webhook handled");
    Ok(Json(applied))
}

/// The OpenAPI part of this function; the `api` function merges it into `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(paths(receive_event), components(schemas(Applied, ErrorBody)))]
pub struct FlexmailWebhookDoc;
