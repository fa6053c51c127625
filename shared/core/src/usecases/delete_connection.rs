//! Deleting a connection removes its schedule, its keys and the connection itself.
//! Its synced platform records stay (they are the tenant's data); its mirror, cursors and
//! runs stay behind as orphans until a cleanup job exists (noted in the README).

use super::{activation, connections};
use crate::ports::Cond;
use crate::{AppError, Deps, keys};

pub async fn delete(deps: &Deps, tenant: &str, id: &str) -> Result<(), AppError> {
    let mut conn = connections::load(deps.store.as_ref(), tenant, id).await?;
    activation::remove_schedule(deps, &conn).await?;
    crate::newsletter::webhooks::remove(deps, &mut conn).await;
    crate::erp::setup::remove(deps, &conn).await?;
    deps.secrets.delete(&connections::secret_name(deps, tenant, id)).await?;
    deps.store.delete(&keys::tenant(tenant), &keys::connection_sk(id), Cond::None).await?;
    Ok(())
}
