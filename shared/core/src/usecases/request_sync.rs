//! "Sync customers / invoices / payments / all": queue a run and ask the sync function for it.

use serde::Deserialize;

use super::connections;
use crate::domain::catalog;
use crate::domain::run::{Run, Trigger};
use crate::domain::stream::StreamKind;
use crate::ports::bus::{DomainEvent, SYNC_REQUESTED};
use crate::sync::{SyncRequest, run_item};
use crate::{AppError, Deps};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SyncNow {
    /// SnelStart: `customers`, `invoices`, `payments`; Flexmail: `reconciliation`, `contacts`; or `all`.
    pub streams: Vec<String>,
    /// Flexmail: send interests in this run even when the connection has them off (or not, when on).
    #[serde(default)]
    pub with_interests: Option<bool>,
}

pub fn parse_streams(raw: &[String], offered: &[StreamKind]) -> Result<Vec<StreamKind>, AppError> {
    let names = offered.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
    if raw.is_empty() {
        return Err(AppError::invalid("streams", format!("name at least one of {names} or all")));
    }
    let mut out = Vec::new();
    for s in raw {
        match s.trim() {
            "all" => out.extend_from_slice(offered),
            other => out.push(StreamKind::parse(other).filter(|k| offered.contains(k)).ok_or_else(|| {
                AppError::invalid(
                    "streams",
                    format!("{other:?} is not a stream of this connection; use {names} or all"),
                )
            })?),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

pub async fn request(deps: &Deps, tenant: &str, id: &str, form: SyncNow) -> Result<Run, AppError> {
    let store = deps.store.as_ref();
    let conn = connections::load(store, tenant, id).await?;
    let offered = catalog::find(&conn.provider).map(|c| c.streams).unwrap_or_default();
    let streams = parse_streams(&form.streams, &offered)?;
    if form.with_interests.is_some() && conn.newsletter.is_none() {
        return Err(AppError::invalid("with_interests", "only newsletter connections (Flexmail) send interests"));
    }
    if !conn.test_passed() {
        return Err(AppError::conflict(
            "the connection has not passed a test yet",
            "Run Test API first; a sync needs working keys.",
        ));
    }
    let mut run = run_item::new_run(id, &deps.ids.new_id(), &streams, Trigger::Manual, deps.clock.now());
    run_item::save(store, tenant, &mut run).await?;
    let req = SyncRequest {
        tenant_id: tenant.into(),
        connection_id: id.into(),
        streams,
        run_id: Some(run.id.clone()),
        trigger: Trigger::Manual,
        with_interests: form.with_interests,
    };
    let detail = serde_json::to_value(&req).map_err(|e| AppError::Corrupt(e.to_string()))?;
    deps.bus.publish(DomainEvent { detail_type: SYNC_REQUESTED.into(), detail }).await?;
    Ok(run)
}
