//! Merging duplicate platform customers: the duplicate's links, invoices and payments move to
//! the kept customer, and the duplicate stops matching. Safe to retry: every step is
//! idempotent and the duplicate is marked merged last.

use serde::Deserialize;

use crate::domain::records::{Customer, Invoice, Payment};
use crate::domain::stream::StreamKind;
use crate::platform::customers as platform;
use crate::platform::records::{INVOICE, PAYMENT, invoice_writes, payment_writes};
use crate::ports::{Item, WriteOp};
use crate::sync::mirror::Mirror;
use crate::{AppError, Deps, keys, repo};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MergeRequest {
    pub keep_id: String,
    pub duplicate_id: String,
}

pub async fn merge(deps: &Deps, tenant: &str, req: MergeRequest) -> Result<Customer, AppError> {
    if req.keep_id == req.duplicate_id {
        return Err(AppError::invalid("duplicate_id", "a customer cannot be merged into itself"));
    }
    let store = deps.store.as_ref();
    let found = |id: &str| AppError::NotFound(format!("customer {id}"));
    let keep = platform::get(store, tenant, &req.keep_id).await?.ok_or_else(|| found(&req.keep_id))?;
    let dup = platform::get(store, tenant, &req.duplicate_id).await?.ok_or_else(|| found(&req.duplicate_id))?;
    if keep.merged_into.is_some() {
        return Err(AppError::conflict(
            format!("customer {} was itself merged away", keep.id),
            "Keep the customer it was merged into.",
        ));
    }
    if dup.merged_into.as_deref().is_some_and(|into| into != keep.id) {
        return Err(AppError::conflict(
            format!("customer {} was already merged into another customer", dup.id),
            "Nothing to do.",
        ));
    }
    let pk = keys::tenant(tenant);
    let now = deps.clock.now();

    // 1. Links: every provider record linked to the duplicate now points to the kept customer.
    let link_prefix = keys::link_prefix(&dup.id);
    for item in repo::query_all(store, &pk, &link_prefix).await? {
        let Some((conn, remote)) = item.sk.strip_prefix(&link_prefix).and_then(|r| r.split_once('#')) else {
            continue;
        };
        let mpk = keys::stream_pk(tenant, conn, StreamKind::Customers);
        let mut writes = vec![
            WriteOp::Put(Item::new(pk.clone(), keys::link_sk(&keep.id, conn, remote), "{}")),
            WriteOp::Delete { pk: pk.clone(), sk: item.sk.clone() },
        ];
        if let Some((mut m, _)) = repo::get::<Mirror>(store, &mpk, &keys::record_sk(remote)).await? {
            m.local_id = Some(keep.id.clone());
            writes.push(m.to_write(tenant, conn, StreamKind::Customers));
        }
        store.batch_write(writes).await?;
    }

    // 2. Invoices and payments move to the kept customer.
    let owned_prefix = keys::by_customer_prefix(&dup.id);
    let mut writes = Vec::new();
    for item in repo::query_all(store, &pk, &owned_prefix).await? {
        let Some((kind, id)) = item.sk.strip_prefix(&owned_prefix).and_then(|r| r.split_once('#')) else {
            continue;
        };
        let record_sk = format!("{kind}#{id}");
        let Some(record) = store.get(&pk, &record_sk).await? else {
            continue;
        };
        match kind {
            INVOICE => {
                let mut inv: Invoice = repo::decode(&record)?;
                inv.customer_id = keep.id.clone();
                writes.extend(invoice_writes(tenant, Some(&dup.id), &inv));
            }
            PAYMENT => {
                let mut pay: Payment = repo::decode(&record)?;
                pay.customer_id = keep.id.clone();
                writes.extend(payment_writes(tenant, Some(&dup.id), &pay));
            }
            _ => {}
        }
    }
    store.batch_write(writes).await?;

    // 3. The kept customer takes the duplicate's missing details; the duplicate stops matching.
    let mut kept = keep.clone();
    platform::fill_missing(&mut kept, &dup);
    let mut gone = dup.clone();
    gone.merged_into = Some(keep.id.clone());
    gone.updated_at = now;
    let mut writes = Vec::new();
    if kept != keep {
        kept.updated_at = now;
        writes.extend(platform::writes(tenant, Some(&keep), &kept));
    }
    store.batch_write(writes).await?;
    store.batch_write(platform::writes(tenant, Some(&dup), &gone)).await?;
    Ok(kept)
}
