//! Manual linking: a user links a waiting provider customer to a platform customer, or unlinks it.
//! A manual link is never changed by automatic matching (see `sync::customers`).

use serde::{Deserialize, Serialize};

use super::connections;
use crate::domain::records::RemoteCustomer;
use crate::domain::stream::StreamKind;
use crate::domain::unmatched::Unmatched;
use crate::platform::customers as platform;
use crate::ports::{Item, WriteOp};
use crate::sync::attach;
use crate::sync::mirror::{LinkKind, Mirror};
use crate::{AppError, Deps, keys, repo};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LinkRequest {
    /// The provider's id of the customer (from the unmatched list).
    pub remote_id: String,
    /// The platform customer to link it to.
    pub customer_id: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LinkOutcome {
    pub remote_id: String,
    pub customer_id: Option<String>,
    /// Waiting invoices and payments that were attached by this link.
    pub attached: u64,
}

async fn load_mirror(deps: &Deps, tenant: &str, conn: &str, remote: &str) -> Result<Mirror, AppError> {
    let pk = keys::stream_pk(tenant, conn, StreamKind::Customers);
    repo::get::<Mirror>(deps.store.as_ref(), &pk, &keys::record_sk(remote))
        .await?
        .map(|(m, _)| m)
        .ok_or_else(|| AppError::NotFound(format!("provider customer {remote} (run Sync customers first)")))
}

pub async fn link(deps: &Deps, tenant: &str, conn: &str, req: LinkRequest) -> Result<LinkOutcome, AppError> {
    let store = deps.store.as_ref();
    connections::load(store, tenant, conn).await?;
    let customer = platform::get(store, tenant, &req.customer_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("customer {}", req.customer_id)))?;
    if let Some(into) = &customer.merged_into {
        return Err(AppError::conflict(
            format!("customer {} was merged into {into}", customer.id),
            format!("Link to {into} instead."),
        ));
    }
    let mut m = load_mirror(deps, tenant, conn, &req.remote_id).await?;
    match m.local_id.as_deref() {
        Some(current) if current == customer.id => {
            return Ok(LinkOutcome { remote_id: req.remote_id, customer_id: Some(customer.id), attached: 0 });
        }
        Some(other) => {
            return Err(AppError::conflict(
                format!("provider customer {} is already linked to customer {other}", req.remote_id),
                "Unlink it first (DELETE /connections/{id}/links/{remote_id}), then link it again.",
            ));
        }
        None => {}
    }
    let mut writes = Vec::new();
    if let Ok(remote) = serde_json::from_value::<RemoteCustomer>(m.data.clone()) {
        let mut next = customer.clone();
        platform::apply_remote(&mut next, &remote);
        if next != customer {
            next.updated_at = deps.clock.now();
            writes.extend(platform::writes(tenant, Some(&customer), &next));
        }
    }
    m.local_id = Some(customer.id.clone());
    m.link = LinkKind::Manual;
    writes.push(m.to_write(tenant, conn, StreamKind::Customers));
    writes.push(WriteOp::Put(Item::new(keys::tenant(tenant), keys::link_sk(&customer.id, conn, &req.remote_id), "{}")));
    writes.push(WriteOp::Delete { pk: keys::conn_pk(tenant, conn), sk: keys::unmatched_sk(&req.remote_id) });
    store.batch_write(writes).await?;
    let attached = attach::attach_waiting(store, tenant, conn, &req.remote_id, &customer.id).await?;
    Ok(LinkOutcome { remote_id: req.remote_id, customer_id: Some(customer.id), attached })
}

/// Undo a link. The customer goes back to the unmatched list and automatic matching leaves
/// it alone; invoices already attached stay with the platform customer they were attached to.
pub async fn unlink(deps: &Deps, tenant: &str, conn: &str, remote: &str) -> Result<LinkOutcome, AppError> {
    let store = deps.store.as_ref();
    let connection = connections::load(store, tenant, conn).await?;
    let mut m = load_mirror(deps, tenant, conn, remote).await?;
    let mut writes = Vec::new();
    if let Some(local) = m.local_id.take() {
        writes.push(WriteOp::Delete { pk: keys::tenant(tenant), sk: keys::link_sk(&local, conn, remote) });
    }
    m.link = LinkKind::ManualUnlinked;
    let remote_customer: Option<RemoteCustomer> = serde_json::from_value(m.data.clone()).ok();
    let u = Unmatched {
        remote_id: remote.into(),
        name: remote_customer.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
        customer_number: remote_customer.as_ref().and_then(|r| r.customer_number.clone()),
        matching_key: connection.matching_key.label().into(),
        value: remote_customer.as_ref().and_then(|r| r.key_value(connection.matching_key)),
        reason: "it was unlinked by a user".into(),
        hint: "Link it to the right platform customer.".into(),
        candidates: Vec::new(),
        since: deps.clock.now(),
    };
    writes.push(WriteOp::Put(repo::encode(&keys::conn_pk(tenant, conn), &keys::unmatched_sk(remote), &u, 0)));
    writes.push(m.to_write(tenant, conn, StreamKind::Customers));
    store.batch_write(writes).await?;
    Ok(LinkOutcome { remote_id: remote.into(), customer_id: None, attached: 0 })
}
