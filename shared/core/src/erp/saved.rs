//! What SaveConnection keeps per SuperOffice connection GUID, under the superoffice connection:
//! `T#{t}#C#{so}` / `ERP#{guid}` → {koppel_connection, customer_number_from, saved_at}. Never
//! the access key.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ports::{Cond, ItemStore};
use crate::{AppError, keys, repo};

pub const SAVED_PREFIX: &str = "ERP#";

pub fn saved_sk(guid: &str) -> String {
    format!("{SAVED_PREFIX}{guid}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedConfig {
    /// The Koppel (SnelStart) connection whose customers this ERP link serves.
    pub koppel_connection: String,
    /// First customer number for customers created from SuperOffice without one.
    #[serde(default)]
    pub customer_number_from: Option<u64>,
    pub saved_at: DateTime<Utc>,
}

pub async fn load(store: &dyn ItemStore, tenant: &str, so: &str, guid: &str) -> Result<Option<SavedConfig>, AppError> {
    Ok(repo::get(store, &keys::conn_pk(tenant, so), &saved_sk(guid)).await?.map(|(c, _)| c))
}

pub async fn save(
    store: &dyn ItemStore,
    tenant: &str,
    so: &str,
    guid: &str,
    cfg: &SavedConfig,
) -> Result<(), AppError> {
    store.put(repo::encode(&keys::conn_pk(tenant, so), &saved_sk(guid), cfg, 1), Cond::None).await?;
    Ok(())
}

pub async fn delete(store: &dyn ItemStore, tenant: &str, so: &str, guid: &str) -> Result<(), AppError> {
    store.delete(&keys::conn_pk(tenant, so), &saved_sk(guid), Cond::None).await?;
    Ok(())
}

/// Every saved GUID of the superoffice connection.
pub async fn list(store: &dyn ItemStore, tenant: &str, so: &str) -> Result<Vec<(String, SavedConfig)>, AppError> {
    let items = repo::query_all(store, &keys::conn_pk(tenant, so), SAVED_PREFIX).await?;
    items.iter().map(|i| Ok((i.sk.trim_start_matches(SAVED_PREFIX).to_string(), repo::decode(i)?))).collect()
}
