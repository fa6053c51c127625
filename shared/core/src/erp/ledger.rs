//! The CreateActor ledger: one item per (ERP connection GUID, content of the actor SuperOffice
//! sent) for 24 hours, so a retried CreateActor never creates a second SnelStart relatie.
//! SuperOffice's actor carrier has no CRM-side id, so the content is the identity: two creates
//! with exactly the same fields within a day are one customer.
//!
//! `T#{t}#C#{so}` / `ERPNEW#{guid}#{hash}` → {state, remote_id, customer_number, name, email,
//! started_at}, TTL 24 h. `Pending` is written (conditionally) before SnelStart is called;
//! `Uncertain` when the call failed in a way that may have stored it (timeout, 5xx); `Done`
//! with the new relatie's id.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::assumptions::CREATE_LEDGER_HOURS;
use super::contract::Actor;
use crate::ports::{Cond, ItemStore, StoreError};
use crate::{AppError, keys, repo};

pub const LEDGER_PREFIX: &str = "ERPNEW#";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreateState {
    /// SnelStart is being called (or the caller died while it was).
    Pending,
    /// The call failed in a way that may have created the relatie.
    Uncertain,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub state: CreateState,
    #[serde(default)]
    pub remote_id: Option<String>,
    /// The number Koppel sent (so a retry sends the same one and a lookup can find it).
    #[serde(default)]
    pub customer_number: Option<String>,
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    pub started_at: DateTime<Utc>,
}

/// Where one create is remembered.
pub struct Slot<'a> {
    pub store: &'a dyn ItemStore,
    pub pk: String,
    pub sk: String,
}

impl<'a> Slot<'a> {
    pub fn new(store: &'a dyn ItemStore, tenant: &str, so: &str, guid: &str, actor: &Actor) -> Self {
        Self { store, pk: keys::conn_pk(tenant, so), sk: format!("{LEDGER_PREFIX}{guid}#{}", content_hash(actor)) }
    }

    pub async fn get(&self) -> Result<Option<(Entry, u64)>, AppError> {
        repo::get(self.store, &self.pk, &self.sk).await
    }

    /// Write `entry` as the next version after `previous` (`None`: must not exist). `false`
    /// when someone else wrote first.
    pub async fn claim(&self, entry: &Entry, previous: Option<u64>) -> Result<bool, AppError> {
        let (cond, version) = match previous {
            None => (Cond::IfAbsent, 1),
            Some(v) => (Cond::IfVersion(v), v + 1),
        };
        match self.store.put(self.item(entry, version), cond).await {
            Ok(()) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Overwrite (the caller holds the claim).
    pub async fn set(&self, entry: &Entry) -> Result<(), AppError> {
        let version = self.get().await?.map_or(1, |(_, v)| v + 1);
        self.store.put(self.item(entry, version), Cond::None).await?;
        Ok(())
    }

    /// Forget a create that certainly stored nothing (SnelStart refused it), so a retry may create.
    pub async fn forget(&self) -> Result<(), AppError> {
        self.store.delete(&self.pk, &self.sk, Cond::None).await?;
        Ok(())
    }

    fn item(&self, entry: &Entry, version: u64) -> crate::ports::Item {
        let expires = entry.started_at + Duration::hours(CREATE_LEDGER_HOURS);
        repo::encode(&self.pk, &self.sk, entry, version).with_expiry(expires.timestamp())
    }
}

/// What identifies a create: the actor as sent (type, parent, fields), not the GUID (in the key).
fn content_hash(actor: &Actor) -> String {
    let mut h = Sha256::new();
    for part in [actor.actor_type.trim(), actor.parent_actor_type.trim(), actor.parent_erp_key.trim()] {
        h.update(part.to_ascii_lowercase().as_bytes());
        h.update([0u8]);
    }
    for (k, v) in &actor.fields {
        h.update(k.trim().to_ascii_uppercase().as_bytes());
        h.update([0u8]);
        h.update(v.trim().as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_is_the_identity() {
        let mut a = Actor { actor_type: "Customer".into(), ..Default::default() };
        a.fields.insert("NAME".into(), "Acme".into());
        let mut b = a.clone();
        b.fields.insert("NAME".into(), " Acme ".into());
        b.actor_type = "customer".into();
        assert_eq!(content_hash(&a), content_hash(&b));
        b.fields.insert("EMAIL".into(), "x@y.nl".into());
        assert_ne!(content_hash(&a), content_hash(&b));
    }
}
