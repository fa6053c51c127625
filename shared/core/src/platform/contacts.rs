//! Platform contacts (`CON#{id}`), their e-mail index (`CEM#{email}#{id}`) and communications.

use crate::AppError;
use crate::domain::contact::{Communication, Contact};
use crate::keys;
use crate::ports::{Cond, Item, ItemStore, StoreError, TxOp, WriteOp};
use crate::repo;

/// The writes that store `new` (replacing `old`), keeping the e-mail index in step.
pub fn writes(tenant: &str, old: Option<&Contact>, new: &Contact) -> Vec<WriteOp> {
    let pk = keys::tenant(tenant);
    let mut ops = vec![WriteOp::Put(repo::encode(&pk, &keys::contact_sk(&new.id), new, 0))];
    let old_email = old.and_then(Contact::email_key);
    let new_email = new.email_key();
    if old_email != new_email {
        if let Some(e) = old_email {
            ops.push(WriteOp::Delete { pk: pk.clone(), sk: keys::contact_email_sk(&e, &new.id) });
        }
        if let Some(e) = new_email {
            ops.push(WriteOp::Put(Item::new(pk.clone(), keys::contact_email_sk(&e, &new.id), "{}")));
        }
    }
    ops
}

pub async fn get(store: &dyn ItemStore, tenant: &str, id: &str) -> Result<Option<(Contact, u64)>, AppError> {
    repo::get::<Contact>(store, &keys::tenant(tenant), &keys::contact_sk(id)).await
}

/// Save `new` over the stored version `version` (0 = new), index included, all or nothing.
pub async fn save(
    store: &dyn ItemStore,
    tenant: &str,
    old: Option<&Contact>,
    new: &Contact,
    version: u64,
) -> Result<(), AppError> {
    let cond = if version == 0 { Cond::IfAbsent } else { Cond::IfVersion(version) };
    let ops = writes(tenant, old, new)
        .into_iter()
        .enumerate()
        .map(|(i, op)| match op {
            WriteOp::Put(item) if i == 0 => TxOp::Put { item: item.with_version(version + 1), cond },
            WriteOp::Put(item) => TxOp::Put { item, cond: Cond::None },
            WriteOp::Delete { pk, sk } => TxOp::Delete { pk, sk, cond: Cond::None },
        })
        .collect();
    store.transact(ops).await.map_err(|e| match e {
        StoreError::ConditionFailed => AppError::conflict(
            "the contact was changed by someone else at the same time",
            "Read it again and repeat the change.",
        ),
        other => other.into(),
    })
}

/// Ids of the contacts with this e-mail address (already normalised).
pub async fn find_by_email(store: &dyn ItemStore, tenant: &str, email: &str) -> Result<Vec<String>, AppError> {
    let prefix = keys::contact_email_prefix(email);
    let items = repo::query_all(store, &keys::tenant(tenant), &prefix).await?;
    Ok(items.into_iter().filter_map(|i| i.sk.strip_prefix(&prefix).map(str::to_string)).collect())
}

/// One page of contacts in id order.
pub async fn page(
    store: &dyn ItemStore,
    tenant: &str,
    limit: usize,
    token: Option<&str>,
) -> Result<(Vec<Contact>, Option<String>), AppError> {
    repo::query_page(store, &keys::tenant(tenant), keys::CONTACT_PREFIX, limit, token).await
}

/// Record a communication; the id is deterministic, so a repeated event writes it once.
pub async fn add_communication(store: &dyn ItemStore, tenant: &str, c: &Communication) -> Result<(), AppError> {
    let item = repo::encode(&keys::tenant(tenant), &keys::communication_sk(&c.contact_id, &c.id), c, 1);
    match store.put(item, Cond::IfAbsent).await {
        Ok(()) | Err(StoreError::ConditionFailed) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

pub async fn communications(
    store: &dyn ItemStore,
    tenant: &str,
    contact: &str,
) -> Result<Vec<Communication>, AppError> {
    let items = repo::query_all(store, &keys::tenant(tenant), &keys::communication_prefix(contact)).await?;
    items.iter().map(repo::decode).collect()
}
