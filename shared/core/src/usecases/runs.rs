//! Runs of a connection and their log lines, newest run first.

use super::connections;
use crate::domain::run::{LogLine, Run};
use crate::sync::run_item;
use crate::{AppError, Deps, keys, repo};

pub async fn list(deps: &Deps, tenant: &str, conn: &str, limit: usize) -> Result<Vec<Run>, AppError> {
    let store = deps.store.as_ref();
    connections::load(store, tenant, conn).await?;
    let items = repo::query_all(store, &keys::conn_pk(tenant, conn), keys::RUN_PREFIX).await?;
    let mut runs: Vec<Run> = items.iter().map(repo::decode).collect::<Result<_, _>>()?;
    runs.reverse();
    runs.truncate(limit.clamp(1, 200));
    Ok(runs)
}

pub async fn get(deps: &Deps, tenant: &str, conn: &str, run: &str) -> Result<Run, AppError> {
    let store = deps.store.as_ref();
    connections::load(store, tenant, conn).await?;
    run_item::load(store, tenant, conn, run).await?.ok_or_else(|| AppError::NotFound(format!("run {run}")))
}

pub async fn logs(
    deps: &Deps,
    tenant: &str,
    conn: &str,
    run: &str,
    limit: usize,
    token: Option<&str>,
) -> Result<(Vec<LogLine>, Option<String>), AppError> {
    get(deps, tenant, conn, run).await?;
    repo::query_page(
        deps.store.as_ref(),
        &keys::conn_pk(tenant, conn),
        &keys::log_prefix(run),
        limit.clamp(1, 1000),
        token,
    )
    .await
}
