//! The push ledger: per (connection, meeting, item) what was sent, where, and its content hash.
//! Sending again compares hashes: unchanged items cost no call; an entry left *uncertain* by a
//! timeout is looked up at the provider before anything is created again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use crate::ports::meeting::{ItemKind, Pushed, TargetRef};
use crate::ports::{Cond, StoreError};
use crate::{AppError, Deps, repo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// A create was sent and no answer came (timeout, 5xx): the provider may hold it. The next
    /// attempt looks it up before creating.
    Uncertain,
    /// At the provider with this hash.
    Sent,
    /// The provider refused it (its message is kept); nothing was stored there. Sent again next time.
    Failed,
    /// Changed here after it was sent, and the provider cannot change or replace it.
    Outdated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LedgerEntry {
    pub item_id: String,
    pub kind: ItemKind,
    pub state: EntryState,
    /// What the provider holds (absent until a create succeeded or a lookup found it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub remote: Option<Pushed>,
    /// Hash of the content the provider holds (`Sent`, `Outdated`) or that was attempted.
    pub hash: String,
    pub target: TargetRef,
    /// The marker the item carries at the provider.
    pub marker: String,
    /// What went wrong last, in the provider's words where it gave any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    pub attempts: u32,
    pub sent_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// Every entry of one meeting on one connection, with the versions to write them back.
pub async fn load(deps: &Deps, tenant: &str, conn: &str, meeting: &str) -> Result<Vec<(LedgerEntry, u64)>, AppError> {
    let items =
        repo::query_all(deps.store.as_ref(), &crate::keys::conn_pk(tenant, conn), &keys::ledger_prefix(meeting))
            .await?;
    items.iter().map(|i| Ok((repo::decode::<LedgerEntry>(i)?, i.version))).collect()
}

/// Write `entry` over the version read (0: must be new). A concurrent writer makes this a
/// conflict: the send holds a lease, so that means the lease expired under a very slow send.
pub async fn save(
    deps: &Deps,
    tenant: &str,
    conn: &str,
    meeting: &str,
    entry: &LedgerEntry,
    version: u64,
) -> Result<u64, AppError> {
    let pk = crate::keys::conn_pk(tenant, conn);
    let sk = keys::ledger_sk(meeting, &entry.item_id);
    let cond = if version == 0 { Cond::IfAbsent } else { Cond::IfVersion(version) };
    match deps.store.put(repo::encode(&pk, &sk, entry, version + 1), cond).await {
        Ok(()) => Ok(version + 1),
        Err(StoreError::ConditionFailed) => Err(AppError::conflict(
            "another send of this meeting wrote the same item at the same time",
            "Nothing was duplicated; send again to see the result.",
        )),
        Err(e) => Err(e.into()),
    }
}
