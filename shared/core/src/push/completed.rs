//! The platform's `meeting.completed` event: the meeting goes to every connection a target was
//! picked for. Connections that cannot receive it now are skipped (the meeting's pushes show
//! why, and the user sends it afterwards); a provider that is unreachable makes the handler
//! fail so the event is delivered again — the ledger makes that harmless.

use serde::{Deserialize, Serialize};

use super::{meetings, send};
use crate::usecases::connections;
use crate::{AppError, Deps};

/// `detail` of a `meeting.completed` event on the platform's bus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingCompleted {
    pub tenant_id: String,
    pub meeting_id: String,
}

#[derive(Debug, Default, Serialize)]
pub struct CompletedSummary {
    pub sent: Vec<send::PushOutcome>,
    /// Connection id and why it was skipped.
    pub skipped: Vec<(String, String)>,
}

pub async fn handle(deps: &Deps, event: &MeetingCompleted) -> Result<CompletedSummary, AppError> {
    let (tenant, id) = (event.tenant_id.as_str(), event.meeting_id.as_str());
    let meeting = meetings::mark_completed(deps, tenant, id).await?;
    let mut summary = CompletedSummary::default();
    let mut retry: Option<AppError> = None;
    for conn_id in meeting.targets.keys() {
        let conn = match connections::load(deps.store.as_ref(), tenant, conn_id).await {
            Ok(c) => c,
            Err(AppError::NotFound(_)) => {
                summary.skipped.push((conn_id.clone(), "the connection was deleted".into()));
                continue;
            }
            Err(e) => return Err(e),
        };
        if let Some(AppError::Conflict { message, .. }) = send::blocker(&conn, &meeting) {
            summary.skipped.push((conn_id.clone(), message));
            continue;
        }
        match send::send(deps, tenant, conn_id, id).await {
            Ok(outcome) => {
                if let Some(i) = outcome.items.iter().find(|i| i.transient) {
                    let message = i.message.clone().unwrap_or_default();
                    retry.get_or_insert(AppError::Connector(crate::ports::ConnectorError::Transport {
                        provider: outcome.provider.clone(),
                        message: format!("item {} will be sent again: {message}", i.item_id),
                    }));
                }
                summary.sent.push(outcome);
            }
            Err(e @ AppError::Conflict { .. }) => summary.skipped.push((conn_id.clone(), e.to_string())),
            Err(e) => {
                tracing::warn!(tenant, connection = %conn_id, meeting = id, error = %e, "push failed; the event will be retried");
                retry.get_or_insert(e);
            }
        }
    }
    match retry {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}
