//! `meeting-push`: after a meeting, its reports, notes and to-dos go to the target the user
//! picked on each meeting connection (AdminPulse, Brokercloud, Fid-Manager, Odoo, Silverfin,
//! Zoho), through the push ledger (`koppel_core::push`), so sending again never duplicates.
//!
//! Two triggers, one function: the HTTP routes below (the platform stores meetings, users pick
//! targets and send afterwards) and the platform's `meeting.completed` events ([`event`]).

use axum::Router;
use axum::routing::{get, post, put};
use koppel_runtime::http::AppState;

pub mod event;
pub mod meetings;
pub mod targets;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/meetings/{id}", put(meetings::put).get(meetings::get))
        .route("/meetings/{id}/targets/{connection}", put(meetings::pick_target))
        .route("/meetings/{id}/pushes", get(meetings::pushes))
        .route("/meetings/{id}/send", post(meetings::send))
        .route("/connections/{id}/targets", get(targets::list))
        .route("/connections/{id}/push-settings", put(targets::settings))
}

/// The function's app (no 404 fallback, so the local runner can merge it with the API).
pub fn router(state: AppState) -> Router {
    koppel_runtime::http::app(routes(), state)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(meetings::put, meetings::get, meetings::pick_target, meetings::pushes, meetings::send, targets::list, targets::settings),
    tags((name = "meetings", description = "Meetings and sending their reports, notes and to-dos"))
)]
pub struct MeetingPushDoc;
