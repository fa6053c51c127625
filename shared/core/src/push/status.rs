//! "Send afterwards": which connections can receive a meeting, why not, and what was sent.

use serde::Serialize;

use super::ledger::{self, LedgerEntry};
use super::{meetings, plan, send};
use crate::domain::catalog;
use crate::ports::meeting::{ItemKind, TargetRef};
use crate::usecases::connections;
use crate::{AppError, Deps};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConnectionPushes {
    pub connection_id: String,
    pub name: String,
    pub provider: String,
    /// True when `POST /meetings/{id}/send` would send to it now.
    pub can_receive: bool,
    /// Why not, and what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetRef>,
    /// The kinds this connection sends (its settings and what the provider takes).
    pub sends: Vec<ItemKind>,
    /// What was sent (or tried) so far, per item.
    pub items: Vec<LedgerEntry>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingPushes {
    pub meeting_id: String,
    pub completed: bool,
    pub connections: Vec<ConnectionPushes>,
}

pub async fn status(deps: &Deps, tenant: &str, meeting_id: &str) -> Result<MeetingPushes, AppError> {
    let meeting = meetings::get(deps, tenant, meeting_id).await?;
    let mut out = vec![];
    for conn in connections::list(deps.store.as_ref(), tenant).await? {
        if catalog::find(&conn.provider).and_then(|s| s.push).is_none() {
            continue;
        }
        let blocker = send::blocker(&conn, &meeting);
        let (reason, hint) = match &blocker {
            Some(AppError::Conflict { message, hint }) => (Some(message.clone()), Some(hint.clone())),
            _ => (None, None),
        };
        let items = ledger::load(deps, tenant, &conn.id, meeting_id).await?.into_iter().map(|(e, _)| e).collect();
        out.push(ConnectionPushes {
            connection_id: conn.id.clone(),
            name: conn.name.clone(),
            provider: conn.provider.clone(),
            can_receive: blocker.is_none(),
            reason,
            hint,
            target: meeting.targets.get(&conn.id).cloned(),
            sends: plan::kinds(&conn),
            items,
        });
    }
    Ok(MeetingPushes { meeting_id: meeting.id, completed: meeting.completed_at.is_some(), connections: out })
}
