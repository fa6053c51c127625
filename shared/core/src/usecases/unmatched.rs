//! The customers of a connection that wait for a manual link.

use super::connections;
use crate::domain::unmatched::Unmatched;
use crate::{AppError, Deps, keys, repo};

pub async fn list(
    deps: &Deps,
    tenant: &str,
    conn: &str,
    limit: usize,
    token: Option<&str>,
) -> Result<(Vec<Unmatched>, Option<String>), AppError> {
    connections::load(deps.store.as_ref(), tenant, conn).await?;
    repo::query_page(
        deps.store.as_ref(),
        &keys::conn_pk(tenant, conn),
        keys::UNMATCHED_PREFIX,
        limit.clamp(1, 500),
        token,
    )
    .await
}
