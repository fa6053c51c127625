//! "Sync customers / invoices / payments / all": queue a run and ask the sync function for it.

use serde::Deserialize;

use super::connections;
use crate::domain::run::{Run, Trigger};
use crate::domain::stream::StreamKind;
use crate::ports::bus::{DomainEvent, SYNC_REQUESTED};
use crate::sync::{SyncRequest, run_item};
use crate::{AppError, Deps};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SyncNow {
    /// `customers`, `invoices`, `payments` or `all`.
    pub streams: Vec<String>,
}

pub fn parse_streams(raw: &[String]) -> Result<Vec<StreamKind>, AppError> {
    if raw.is_empty() {
        return Err(AppError::invalid("streams", "name at least one of customers, invoices, payments or all"));
    }
    let mut out = Vec::new();
    for s in raw {
        match s.trim() {
            "all" => out.extend(StreamKind::ALL),
            other => out.push(StreamKind::parse(other).ok_or_else(|| {
                AppError::invalid(
                    "streams",
                    format!("{other:?} is not a stream; use customers, invoices, payments or all"),
                )
            })?),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

pub async fn request(deps: &Deps, tenant: &str, id: &str, form: SyncNow) -> Result<Run, AppError> {
    let streams = parse_streams(&form.streams)?;
    let store = deps.store.as_ref();
    let conn = connections::load(store, tenant, id).await?;
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
    };
    let detail = serde_json::to_value(&req).map_err(|e| AppError::Corrupt(e.to_string()))?;
    deps.bus.publish(DomainEvent { detail_type: SYNC_REQUESTED.into(), detail }).await?;
    Ok(run)
}
