//! When a waiting customer is linked, its waiting invoices and payments become platform records.

use super::mirror::{self, LinkKind};
use super::records::Owned;
use crate::AppError;
use crate::domain::records::{RemoteInvoice, RemotePayment};
use crate::domain::stream::StreamKind;
use crate::keys;
use crate::ports::{ItemStore, WriteOp};
use crate::repo;

/// Attach every record waiting for `customer_remote` to platform customer `owner`.
/// Idempotent: a retry finds fewer (or no) waiting items and writes the same records.
pub async fn attach_waiting(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    customer_remote: &str,
    owner: &str,
) -> Result<u64, AppError> {
    let pk = keys::conn_pk(tenant, conn);
    let prefix = keys::waiting_prefix(customer_remote);
    let waiting = repo::query_all(store, &pk, &prefix).await?;
    let mut attached = 0;
    for stream in [StreamKind::Invoices, StreamKind::Payments] {
        let tag = format!("{}{}#", prefix, stream.as_str());
        let ids: Vec<&str> = waiting.iter().filter_map(|i| i.sk.strip_prefix(&tag)).collect();
        let mirrors = mirror::load(store, tenant, conn, stream, ids.iter().copied()).await?;
        let mut writes = Vec::new();
        for remote in ids {
            writes.push(WriteOp::Delete { pk: pk.clone(), sk: keys::waiting_sk(customer_remote, stream, remote) });
            let Some(mut m) = mirrors.get(remote).cloned() else {
                continue;
            };
            let (id, ops) = match stream {
                StreamKind::Invoices => decode::<RemoteInvoice>(&m.data)?.platform_writes(tenant, conn, owner, None),
                _ => decode::<RemotePayment>(&m.data)?.platform_writes(tenant, conn, owner, None),
            };
            writes.extend(ops);
            m.local_id = Some(id);
            m.owner_id = Some(owner.to_string());
            m.link = LinkKind::Auto;
            writes.push(m.to_write(tenant, conn, stream));
            attached += 1;
        }
        if !writes.is_empty() {
            store.batch_write(writes).await?;
        }
    }
    Ok(attached)
}

fn decode<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(v.clone()).map_err(|e| AppError::Corrupt(format!("waiting record: {e}")))
}
