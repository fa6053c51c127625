//! Send one meeting to one connection: checks a user can act on (409), then every planned
//! item through the ledger, under the (connection, meeting) lease.

use serde::Serialize;

use super::item::{self, Ctx, ItemOutcome, ItemResult};
use super::{lease, ledger, meetings, plan};
use crate::domain::catalog;
use crate::domain::connection::{Connection, ConnectionStatus};
use crate::domain::meeting::Meeting;
use crate::domain::oauth::AuthStatus;
use crate::ports::meeting::{ItemFile, ItemKind, ItemLink, TargetRef};
use crate::usecases::connections;
use crate::{AppError, Deps};

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct PushCounts {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub failed: u32,
    pub outdated: u32,
}

/// The outcome of sending one meeting to one connection.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PushOutcome {
    pub connection_id: String,
    pub provider: String,
    pub target: TargetRef,
    pub counts: PushCounts,
    pub items: Vec<ItemOutcome>,
    /// HTTP calls made to the provider.
    pub api_calls: u64,
    /// Set when the send stopped early (credentials refused, rate limited): what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// Why a connection cannot receive a meeting now, as a 409 the user can act on; `None` when it can.
pub fn blocker(conn: &Connection, meeting: &Meeting) -> Option<AppError> {
    let label = catalog::label(&conn.provider);
    if catalog::find(&conn.provider).and_then(|s| s.push).is_none() {
        return Some(AppError::conflict(
            format!("{label} connection {:?} does not receive meetings", conn.name),
            "Send it to a connection of AdminPulse, Brokercloud, Fid-Manager, Odoo, Silverfin or Zoho.",
        ));
    }
    if conn.oauth.as_ref().is_some_and(|o| o.status != AuthStatus::Authorized) {
        return Some(AppError::conflict(
            format!("{label} connection {:?} is not signed in", conn.name),
            "Reconnect it (POST /connections/{id}/oauth/start), then send again.",
        ));
    }
    if conn.status != ConnectionStatus::Active {
        return Some(AppError::conflict(
            format!("{label} connection {:?} is not active", conn.name),
            "Reconnect it: test the connection and activate it, then send again.",
        ));
    }
    if !meeting.targets.contains_key(&conn.id) {
        return Some(AppError::conflict(
            format!("no {label} target was picked for meeting {:?}", meeting.title),
            "Pick one (PUT /meetings/{id}/targets/{connection}, from GET /connections/{connection}/targets), then send again.",
        ));
    }
    None
}

pub async fn send(deps: &Deps, tenant: &str, conn_id: &str, meeting_id: &str) -> Result<PushOutcome, AppError> {
    let conn = connections::load(deps.store.as_ref(), tenant, conn_id).await?;
    let meeting = meetings::get(deps, tenant, meeting_id).await?;
    if let Some(e) = blocker(&conn, &meeting) {
        return Err(e);
    }
    let held = lease::acquire(deps, tenant, conn_id, meeting_id).await?;
    let result = send_held(deps, tenant, &conn, &meeting).await;
    held.release(deps).await?;
    result
}

async fn send_held(deps: &Deps, tenant: &str, conn: &Connection, meeting: &Meeting) -> Result<PushOutcome, AppError> {
    let target = meeting.targets.get(&conn.id).cloned().ok_or_else(|| AppError::Corrupt("target vanished".into()))?;
    let creds = connections::credentials(deps, conn).await?;
    let api = deps.meetings.open(&conn.provider, creds)?;
    let planned = plan::plan(tenant, conn, meeting, &target, api.uses_envelope());
    let mut previous = ledger::load(deps, tenant, &conn.id, &meeting.id).await?;
    let ctx = Ctx { deps, tenant, conn: &conn.id, api: api.as_ref(), target: &target };
    let mut out = PushOutcome {
        connection_id: conn.id.clone(),
        provider: conn.provider.clone(),
        target: target.clone(),
        counts: PushCounts::default(),
        items: vec![],
        api_calls: 0,
        stopped: None,
    };
    let mut parent: Option<String> = None;
    let mut links: Vec<ItemLink> = vec![];
    for p in &planned {
        if out.stopped.is_some() {
            break;
        }
        if p.item.kind != ItemKind::Meeting && api.uses_envelope() && parent.is_none() {
            break; // The envelope failed: its items have nothing to hang on.
        }
        let mut item = p.item.clone();
        item.parent = parent.clone();
        if item.kind == ItemKind::Note {
            item.links = links.clone();
        }
        let before = previous.iter().position(|(e, _)| e.item_id == item.item_id).map(|i| previous.swap_remove(i));
        let needs_file = p.report.is_some()
            && !before
                .as_ref()
                .is_some_and(|(e, _)| e.hash == p.hash && e.target == target && e.state == ledger::EntryState::Sent);
        if let (true, Some(report)) = (needs_file, &p.report) {
            let meta = meeting
                .reports
                .iter()
                .find(|r| &r.id == report)
                .ok_or_else(|| AppError::Corrupt("report vanished".into()))?;
            let bytes = meetings::report_bytes(deps, tenant, &meeting.id, report).await?;
            item.file = Some(ItemFile { name: meta.file_name.clone(), mime: meta.mime.clone(), bytes });
        }
        let (o, pushed, stop) = item::push(&ctx, p, &item, before).await?;
        match o.result {
            ItemResult::Created | ItemResult::Found => out.counts.created += 1,
            ItemResult::Updated | ItemResult::Replaced => out.counts.updated += 1,
            ItemResult::Unchanged => out.counts.unchanged += 1,
            ItemResult::Outdated => out.counts.outdated += 1,
            ItemResult::Failed => out.counts.failed += 1,
        }
        if let Some(pushed) = pushed {
            match item.kind {
                ItemKind::Meeting => parent = Some(pushed.remote_id),
                ItemKind::Report => {
                    if let Some(url) = pushed.link {
                        let name = meeting
                            .reports
                            .iter()
                            .find(|r| r.id == item.item_id)
                            .map(|r| r.file_name.clone())
                            .unwrap_or_default();
                        links.push(ItemLink { name, url });
                    }
                }
                _ => {}
            }
        }
        out.items.push(o);
        if let Some(e) = stop {
            out.stopped = Some(format!("{e}. {}", e.hint()));
        }
    }
    out.api_calls = api.api_calls();
    tracing::info!(tenant, connection = %conn.id, meeting = %meeting.id, created = out.counts.created, updated = out.counts.updated,
        unchanged = out.counts.unchanged, failed = out.counts.failed, calls = out.api_calls, "meeting pushed");
    Ok(out)
}
