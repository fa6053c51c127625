//! One item through the ledger: skip, look up, create, or revise.

use serde::Serialize;

use super::ledger::{self, EntryState, LedgerEntry};
use super::plan::Planned;
use crate::ports::meeting::{MeetingApi, PushItem, Pushed, Revision, TargetRef};
use crate::ports::source::ConnectorError;
use crate::{AppError, Deps};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemResult {
    Created,
    /// An earlier attempt had created it after all (found by its marker); nothing new was made.
    Found,
    Updated,
    Replaced,
    Unchanged,
    /// Changed here, but the provider cannot change it; the earlier version stays.
    Outdated,
    Failed,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemOutcome {
    pub item_id: String,
    pub kind: crate::ports::meeting::ItemKind,
    pub result: ItemResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The failure may pass by itself (timeout, 5xx, 429): a later send retries it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub transient: bool,
}

pub struct Ctx<'a> {
    pub deps: &'a Deps,
    pub tenant: &'a str,
    pub conn: &'a str,
    pub api: &'a dyn MeetingApi,
    pub target: &'a TargetRef,
}

/// What happened, and the error when the provider refused the credentials (the send stops).
pub async fn push(
    ctx: &Ctx<'_>,
    planned: &Planned,
    item: &PushItem,
    previous: Option<(LedgerEntry, u64)>,
) -> Result<(ItemOutcome, Option<Pushed>, Option<ConnectorError>), AppError> {
    let now = ctx.deps.clock.now();
    let same_target = previous.as_ref().is_some_and(|(e, _)| &e.target == ctx.target);
    let (mut entry, mut version) = match previous {
        // A target picked anew: the item goes to the new one (the old copy stays where it is).
        Some((e, v)) if same_target => (e, v),
        Some((_, v)) => (fresh(planned, ctx.target, now), v),
        None => (fresh(planned, ctx.target, now), 0),
    };
    let remote_before = entry.remote.clone();
    if entry.state == EntryState::Sent && entry.hash == planned.hash {
        return Ok((outcome(item, ItemResult::Unchanged, remote_before.as_ref(), None), remote_before, None));
    }
    if entry.state == EntryState::Uncertain {
        match ctx.api.find(ctx.target, item).await {
            Ok(Some(found)) => {
                let attempted = entry.hash.clone();
                entry.remote = Some(found.clone());
                entry.state = EntryState::Sent;
                entry.message = None;
                entry.hint = None;
                entry.sent_at = Some(now);
                entry.updated_at = now;
                if attempted == planned.hash {
                    ledger::save(ctx.deps, ctx.tenant, ctx.conn, &item.meeting_id, &entry, version).await?;
                    return Ok((outcome(item, ItemResult::Found, Some(&found), None), Some(found), None));
                }
                // Found an older attempt: fall through to revise it to the current content.
                version = ledger::save(ctx.deps, ctx.tenant, ctx.conn, &item.meeting_id, &entry, version).await?;
            }
            Ok(None) => {}
            Err(e) => return fail(ctx, item, entry, version, planned, e, true).await,
        }
    }
    let result = match (entry.state, entry.remote.clone()) {
        (EntryState::Sent | EntryState::Outdated, Some(prev)) => match ctx.api.revise(ctx.target, &prev, item).await {
            Ok(Revision::Updated(p)) => Ok((ItemResult::Updated, p)),
            Ok(Revision::Replaced(p)) => Ok((ItemResult::Replaced, p)),
            Ok(Revision::Unsupported { reason }) => {
                entry.state = EntryState::Outdated;
                entry.message = Some(reason.clone());
                entry.hint = Some("Change it at the provider by hand; Koppel will not send a second copy.".into());
                entry.updated_at = now;
                ledger::save(ctx.deps, ctx.tenant, ctx.conn, &item.meeting_id, &entry, version).await?;
                let mut o = outcome(item, ItemResult::Outdated, Some(&prev), Some(reason));
                o.hint = entry.hint.clone();
                return Ok((o, Some(prev), None));
            }
            Err(e) => Err(e),
        },
        _ => {
            // Record the attempt before making it: a crash or timeout leaves it `Uncertain`.
            entry.state = EntryState::Uncertain;
            entry.hash = planned.hash.clone();
            entry.attempts += 1;
            entry.updated_at = now;
            version = ledger::save(ctx.deps, ctx.tenant, ctx.conn, &item.meeting_id, &entry, version).await?;
            ctx.api.create(ctx.target, item).await.map(|p| (ItemResult::Created, p))
        }
    };
    match result {
        Ok((result, pushed)) => {
            entry.state = EntryState::Sent;
            entry.hash = planned.hash.clone();
            entry.remote = Some(pushed.clone());
            entry.message = None;
            entry.hint = None;
            entry.sent_at = Some(now);
            entry.updated_at = now;
            ledger::save(ctx.deps, ctx.tenant, ctx.conn, &item.meeting_id, &entry, version).await?;
            Ok((outcome(item, result, Some(&pushed), None), Some(pushed), None))
        }
        Err(e) => {
            let creating = entry.state == EntryState::Uncertain;
            fail(ctx, item, entry, version, planned, e, creating).await
        }
    }
}

fn fresh(planned: &Planned, target: &TargetRef, now: chrono::DateTime<chrono::Utc>) -> LedgerEntry {
    LedgerEntry {
        item_id: planned.item.item_id.clone(),
        kind: planned.item.kind,
        state: EntryState::Failed,
        remote: None,
        hash: planned.hash.clone(),
        target: target.clone(),
        marker: planned.item.marker.clone(),
        message: None,
        hint: None,
        attempts: 0,
        sent_at: None,
        updated_at: now,
    }
}

/// Keep the error with the entry. A create that got no clear answer stays `Uncertain` (looked
/// up next time); a refusal (4xx) means nothing was stored: `Failed`, sent again next time.
async fn fail(
    ctx: &Ctx<'_>,
    item: &PushItem,
    mut entry: LedgerEntry,
    version: u64,
    _planned: &Planned,
    e: ConnectorError,
    creating: bool,
) -> Result<(ItemOutcome, Option<Pushed>, Option<ConnectorError>), AppError> {
    let now = ctx.deps.clock.now();
    let unclear = matches!(e, ConnectorError::Transport { .. } | ConnectorError::Server { .. });
    if creating && !unclear && entry.remote.is_none() {
        entry.state = EntryState::Failed;
    }
    entry.message = Some(format!("{e}."));
    entry.hint = Some(e.hint());
    entry.updated_at = now;
    ledger::save(ctx.deps, ctx.tenant, ctx.conn, &item.meeting_id, &entry, version).await?;
    tracing::info!(connection = ctx.conn, meeting = %item.meeting_id, item = %item.item_id, error = %e, "push item failed");
    let mut o = outcome(item, ItemResult::Failed, entry.remote.as_ref(), Some(format!("{e}.")));
    o.hint = Some(e.hint());
    o.transient = e.is_transient();
    let stop = matches!(
        e,
        ConnectorError::Unauthorized { .. }
            | ConnectorError::Forbidden { .. }
            | ConnectorError::RateLimited { .. }
            | ConnectorError::MissingCredential(_)
    );
    Ok((o, entry.remote.clone(), stop.then_some(e)))
}

fn outcome(item: &PushItem, result: ItemResult, remote: Option<&Pushed>, message: Option<String>) -> ItemOutcome {
    ItemOutcome {
        item_id: item.item_id.clone(),
        kind: item.kind,
        result,
        remote_id: remote.map(|p| p.remote_id.clone()),
        message,
        hint: None,
        transient: false,
    }
}
