//! Meetings: store, read, pick a target, see what was sent, send (afterwards).

use axum::extract::{Path, State};
use koppel_core::domain::meeting::Meeting;
use koppel_core::ports::meeting::TargetRef;
use koppel_core::push::input::MeetingInput;
use koppel_core::push::send::PushOutcome;
use koppel_core::push::status::MeetingPushes;
use koppel_core::push::{meetings, send as push_send, status};
use koppel_core::{AppError, Deps};
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Tenant};
use serde::{Deserialize, Serialize};

/// Store a meeting (create or replace), with its reports (base64), notes, to-dos and targets.
#[utoipa::path(put, path = "/meetings/{id}", operation_id = "put_meeting", tag = "meetings", request_body = MeetingInput,
    params(("id" = String, Path, description = "The platform's meeting id")),
    responses((status = 200, description = "Stored", body = Meeting), (status = 400, description = "Wrong input; nothing stored", body = ErrorBody)))]
pub async fn put(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    Json(form): Json<MeetingInput>,
) -> Result<Json<Meeting>, ApiError> {
    Ok(Json(meetings::put(&s.deps, &t, &id, form).await?))
}

/// One meeting (report contents are not returned).
#[utoipa::path(get, path = "/meetings/{id}", operation_id = "get_meeting", tag = "meetings",
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, description = "The meeting", body = Meeting), (status = 404, description = "No such meeting", body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Meeting>, ApiError> {
    Ok(Json(meetings::get(&s.deps, &t, &id).await?))
}

/// Pick (or change) where the meeting goes on one connection.
#[utoipa::path(put, path = "/meetings/{id}/targets/{connection}", operation_id = "pick_meeting_target", tag = "meetings", request_body = TargetRef,
    params(("id" = String, Path, description = "Meeting id"), ("connection" = String, Path, description = "Connection id")),
    responses((status = 200, description = "The meeting with the target", body = Meeting), (status = 400, description = "Not a target of that connection", body = ErrorBody)))]
pub async fn pick_target(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path((id, connection)): Path<(String, String)>,
    Json(target): Json<TargetRef>,
) -> Result<Json<Meeting>, ApiError> {
    Ok(Json(meetings::pick_target(&s.deps, &t, &id, &connection, target).await?))
}

/// Which connections can receive the meeting now (and why not), and what each already holds.
#[utoipa::path(get, path = "/meetings/{id}/pushes", operation_id = "meeting_pushes", tag = "meetings",
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, description = "Per meeting connection", body = MeetingPushes), (status = 404, description = "No such meeting", body = ErrorBody)))]
pub async fn pushes(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<MeetingPushes>, ApiError> {
    Ok(Json(status::status(&s.deps, &t, &id).await?))
}

/// Which connections to send to; empty or absent: every connection a target was picked for.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SendRequest {
    #[serde(default)]
    pub connections: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SendResult {
    pub results: Vec<PushOutcome>,
}

/// Send the meeting (again): new items are created, changed ones updated, unchanged ones skipped.
/// A connection without a target, or not active, is a 409 saying what to do; so is sending to
/// nothing. A provider refusing one item is reported on that item; the others still go.
#[utoipa::path(post, path = "/meetings/{id}/send", operation_id = "send_meeting", tag = "meetings", request_body = SendRequest,
    params(("id" = String, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "Per connection, per item", body = SendResult),
        (status = 409, description = "No target picked, or the connection is not active", body = ErrorBody),
        (status = 404, description = "No such meeting or connection", body = ErrorBody)))]
pub async fn send(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let req: SendRequest = if body.iter().all(u8::is_ascii_whitespace) {
        SendRequest::default()
    } else {
        match koppel_runtime::http::json::parse(&body) {
            Ok(r) => r,
            Err(e) => return Ok(e.into_response()),
        }
    };
    Ok(Json(SendResult { results: send_all(&s.deps, &t, &id, req.connections).await? }).into_response())
}

async fn send_all(deps: &Deps, tenant: &str, id: &str, wanted: Vec<String>) -> Result<Vec<PushOutcome>, AppError> {
    let meeting = meetings::get(deps, tenant, id).await?;
    let chosen = if wanted.is_empty() { meeting.targets.keys().cloned().collect() } else { wanted };
    if chosen.is_empty() {
        return Err(AppError::conflict(
            format!("no target was picked for meeting {:?} on any connection", meeting.title),
            "Pick one (PUT /meetings/{id}/targets/{connection}); GET /meetings/{id}/pushes lists the connections.",
        ));
    }
    let mut out = vec![];
    for conn in &chosen {
        out.push(push_send::send(deps, tenant, conn, id).await?);
    }
    Ok(out)
}
