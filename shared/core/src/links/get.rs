//! `GET /connections/{id}/link-rules`: the connection's rules (the defaults when none were saved).

use super::Viewer;
use crate::domain::link_rules::LinkRules;
use crate::usecases::connections;
use crate::{AppError, Deps};

/// The rules of a connection the caller may see; a hidden or unknown connection is not found.
pub async fn get(deps: &Deps, tenant: &str, id: &str, viewer: &Viewer) -> Result<LinkRules, AppError> {
    let conn = connections::load_visible(deps.store.as_ref(), tenant, id, viewer).await?;
    Ok(conn.link.unwrap_or_default())
}
