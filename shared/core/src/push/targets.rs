//! Target lists (relations, parties, clients, companies, events…): read from the provider
//! page by page and cached per connection and kind, so that a search in the picker costs no
//! provider call. `refresh` (the seed's refresh button) or a cache older than a day reads them again.
//! Nested kinds (Fid-Manager folders of one client) are not cached.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use crate::domain::catalog;
use crate::domain::connection::ConnectionStatus;
use crate::ports::WriteOp;
use crate::ports::meeting::{Target, TargetQuery};
use crate::usecases::connections;
use crate::{AppError, Deps, repo};

/// Pages read from the provider for one list at most (200 × 100 = 20,000 targets at the usual size).
pub const MAX_PAGES: u32 = 100;
pub const MAX_AGE_HOURS: i64 = 24;
pub const PAGE_SIZE: usize = 50;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Meta {
    generation: String,
    fetched_at: DateTime<Utc>,
    count: u64,
    /// False when the provider had more than [`MAX_PAGES`] pages.
    complete: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct TargetsRequest {
    /// A target kind of the connection's provider (default: its first).
    pub kind: Option<String>,
    /// Part of the name (or detail) to look for, case-insensitive.
    pub q: Option<String>,
    /// 0-based page of [`PAGE_SIZE`] targets.
    pub page: Option<u32>,
    /// Nested kinds: the parent's id (Fid-Manager folders: the client's id).
    pub parent: Option<String>,
    /// Read the list from the provider again.
    pub refresh: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TargetList {
    pub kind: String,
    pub targets: Vec<Target>,
    pub more: bool,
    /// When the cached list was read from the provider (absent for nested kinds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<DateTime<Utc>>,
    /// False when the provider had more targets than Koppel caches: search narrows it down.
    pub complete: bool,
}

pub async fn list(deps: &Deps, tenant: &str, conn_id: &str, req: TargetsRequest) -> Result<TargetList, AppError> {
    let conn = connections::load(deps.store.as_ref(), tenant, conn_id).await?;
    let label = catalog::label(&conn.provider);
    let Some(spec) = catalog::find(&conn.provider).and_then(|s| s.push) else {
        return Err(AppError::invalid("kind", format!("{label} does not receive meetings; it has no targets")));
    };
    let kind = req.kind.clone().unwrap_or_else(|| spec.targets[0].kind.to_string());
    let Some(kind_spec) = spec.targets.iter().find(|t| t.kind == kind) else {
        let kinds: Vec<&str> = spec.targets.iter().map(|t| t.kind).collect();
        return Err(AppError::invalid(
            "kind",
            format!("{kind:?} is not a target of {label}; use one of {}", kinds.join(", ")),
        ));
    };
    if conn.status != ConnectionStatus::Active && !conn.test_passed() {
        return Err(AppError::conflict(
            format!("{label} connection {:?} is not connected yet", conn.name),
            "Test (or sign in to) the connection first.",
        ));
    }
    let page = req.page.unwrap_or(0);
    if kind_spec.parent.is_some() {
        let Some(parent) = req.parent.clone().filter(|p| !p.trim().is_empty()) else {
            return Err(AppError::invalid(
                "parent",
                format!(
                    "{kind} lists need the {} they belong to: add parent=<id>",
                    kind_spec.parent.unwrap_or("parent")
                ),
            ));
        };
        let api = deps.meetings.open(&conn.provider, connections::credentials(deps, &conn).await?)?;
        let query = TargetQuery { kind: kind.clone(), search: req.q.clone(), page, parent: Some(parent) };
        let found = api.targets(&query).await?;
        return Ok(TargetList { kind, targets: found.targets, more: found.more, fetched_at: None, complete: true });
    }
    let meta_sk = keys::targets_meta_sk(&kind);
    let conn_pk = crate::keys::conn_pk(tenant, conn_id);
    let now = deps.clock.now();
    let cached = repo::get::<Meta>(deps.store.as_ref(), &conn_pk, &meta_sk).await?.map(|(m, _)| m);
    let meta = match cached {
        Some(m) if !req.refresh.unwrap_or(false) && now - m.fetched_at < Duration::hours(MAX_AGE_HOURS) => m,
        _ => fetch(deps, tenant, &conn, &kind).await?,
    };
    let pk = keys::targets_pk(tenant, conn_id, &kind, &meta.generation);
    let items = repo::query_all(deps.store.as_ref(), &pk, "T#").await?;
    let needle = req.q.as_deref().map(|q| q.trim().to_lowercase()).filter(|q| !q.is_empty());
    let mut matching = Vec::new();
    for item in &items {
        let t: Target = repo::decode(item)?;
        let hit = needle.as_deref().is_none_or(|n| {
            t.name.to_lowercase().contains(n)
                || t.detail.as_deref().is_some_and(|d| d.to_lowercase().contains(n))
                || t.id == n
        });
        if hit {
            matching.push(t);
        }
    }
    matching.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
    let start = (page as usize).saturating_mul(PAGE_SIZE);
    let more = matching.len() > start + PAGE_SIZE;
    let targets = matching.into_iter().skip(start).take(PAGE_SIZE).collect();
    Ok(TargetList { kind, targets, more, fetched_at: Some(meta.fetched_at), complete: meta.complete })
}

/// Read the whole list from the provider into a new generation, then point the meta item at it.
/// The previous generation expires by itself (TTL).
async fn fetch(
    deps: &Deps,
    tenant: &str,
    conn: &crate::domain::connection::Connection,
    kind: &str,
) -> Result<Meta, AppError> {
    let api = deps.meetings.open(&conn.provider, connections::credentials(deps, conn).await?)?;
    let now = deps.clock.now();
    let generation = deps.ids.new_id();
    let pk = keys::targets_pk(tenant, &conn.id, kind, &generation);
    let expires = (now + Duration::days(8)).timestamp();
    let (mut count, mut complete) = (0u64, false);
    for page in 0..MAX_PAGES {
        let query = TargetQuery { kind: kind.to_string(), search: None, page, parent: None };
        let found = api.targets(&query).await?;
        let writes: Vec<WriteOp> = found
            .targets
            .iter()
            .map(|t| WriteOp::Put(repo::encode(&pk, &keys::target_sk(&t.id), t, 0).with_expiry(expires)))
            .collect();
        count += writes.len() as u64;
        for chunk in writes.chunks(crate::ports::store::MAX_BATCH_WRITE) {
            deps.store.batch_write(chunk.to_vec()).await?;
        }
        if !found.more {
            complete = true;
            break;
        }
    }
    let meta = Meta { generation, fetched_at: now, count, complete };
    let conn_pk = crate::keys::conn_pk(tenant, &conn.id);
    deps.store.put(repo::encode(&conn_pk, &keys::targets_meta_sk(kind), &meta, 0), crate::ports::Cond::None).await?;
    tracing::info!(tenant, connection = %conn.id, kind, count, calls = api.api_calls(), "target list refreshed");
    Ok(meta)
}
