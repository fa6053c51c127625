//! What Koppel remembers of each provider record: its hash, its platform id and how it was linked.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::stream::StreamKind;
use crate::keys;
use crate::ports::{Item, WriteOp};
use crate::repo;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Not linked (waiting for a match or a manual link).
    None,
    /// Linked by the matching key, or created by the sync.
    Auto,
    /// Linked by a user; automatic matching never changes it.
    Manual,
    /// Unlinked by a user; automatic matching leaves it alone until a user links it.
    ManualUnlinked,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mirror {
    pub remote_id: String,
    pub hash: String,
    pub local_id: Option<String>,
    pub link: LinkKind,
    /// For invoices and payments: the provider id of their customer.
    pub customer_remote_id: Option<String>,
    /// For invoices and payments: the platform customer they were attached to.
    #[serde(default)]
    pub owner_id: Option<String>,
    pub modified_on: Option<DateTime<Utc>>,
    /// The provider record as last seen (used to attach it later and to show it).
    pub data: serde_json::Value,
    /// Customers: the actor feed's number of the record's last change (0: not numbered; see
    /// docs/erp-feed.md). Kept by every rewrite that is not a change of the record (a manual
    /// link or unlink); the sync's page writes get a new one from `erp::feed::stamp_page`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Mirror {
    pub fn to_write(&self, tenant: &str, conn: &str, stream: StreamKind) -> WriteOp {
        WriteOp::Put(self.to_item(tenant, conn, stream))
    }
    pub fn to_item(&self, tenant: &str, conn: &str, stream: StreamKind) -> Item {
        // The store version is the feed number, as the feed writes it (erp::feed::layout::with_seq).
        repo::encode(&keys::stream_pk(tenant, conn, stream), &keys::record_sk(&self.remote_id), self, self.seq)
    }
}

/// Hash of a record's content; equal hash means nothing to write.
pub fn content_hash<T: Serialize>(record: &T) -> String {
    let bytes = serde_json::to_vec(record).unwrap_or_default();
    hex::encode(&Sha256::digest(&bytes)[..12])
}

/// Mirrors of several records of one stream, by remote id.
pub async fn load(
    store: &dyn crate::ports::ItemStore,
    tenant: &str,
    conn: &str,
    stream: StreamKind,
    remote_ids: impl Iterator<Item = &str>,
) -> Result<std::collections::HashMap<String, Mirror>, crate::AppError> {
    let pk = keys::stream_pk(tenant, conn, stream);
    let wanted: Vec<(String, String)> = remote_ids.map(|r| (pk.clone(), keys::record_sk(r))).collect();
    let mut out = std::collections::HashMap::new();
    if wanted.is_empty() {
        return Ok(out);
    }
    for item in store.batch_get(&wanted).await? {
        let m: Mirror = repo::decode(&item)?;
        out.insert(m.remote_id.clone(), m);
    }
    Ok(out)
}
