//! Typed JSON helpers over the item store.

use serde::{Serialize, de::DeserializeOwned};

use crate::error::AppError;
use crate::ports::{Cond, Item, ItemStore, StoreError};

pub fn decode<T: DeserializeOwned>(item: &Item) -> Result<T, AppError> {
    serde_json::from_str(&item.body).map_err(|e| AppError::Corrupt(format!("{}/{}: {e}", item.pk, item.sk)))
}

pub fn encode<T: Serialize>(pk: &str, sk: &str, value: &T, version: u64) -> Item {
    // Serialising our own plain data types cannot fail.
    let body = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    Item::new(pk, sk, body).with_version(version)
}

pub async fn get<T: DeserializeOwned>(store: &dyn ItemStore, pk: &str, sk: &str) -> Result<Option<(T, u64)>, AppError> {
    match store.get(pk, sk).await? {
        Some(item) => Ok(Some((decode(&item)?, item.version))),
        None => Ok(None),
    }
}

/// Write `value` as the next version of the item at `previous` (0 = must not exist yet).
pub async fn put_next<T: Serialize>(
    store: &dyn ItemStore,
    pk: &str,
    sk: &str,
    value: &T,
    previous: u64,
) -> Result<u64, StoreError> {
    let cond = if previous == 0 { Cond::IfAbsent } else { Cond::IfVersion(previous) };
    store.put(encode(pk, sk, value, previous + 1), cond).await?;
    Ok(previous + 1)
}

/// One page of decoded items.
pub async fn query_page<T: DeserializeOwned>(
    store: &dyn ItemStore,
    pk: &str,
    prefix: &str,
    limit: usize,
    token: Option<&str>,
) -> Result<(Vec<T>, Option<String>), AppError> {
    let page = store.query(pk, prefix, limit, token).await?;
    let items = page.items.iter().map(decode).collect::<Result<Vec<T>, _>>()?;
    Ok((items, page.next))
}

/// Every item under a prefix (for small sets: index hits, waiting records of one customer).
pub async fn query_all(store: &dyn ItemStore, pk: &str, prefix: &str) -> Result<Vec<Item>, StoreError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = store.query(pk, prefix, 500, token.as_deref()).await?;
        out.extend(page.items);
        match page.next {
            Some(t) => token = Some(t),
            None => return Ok(out),
        }
    }
}
