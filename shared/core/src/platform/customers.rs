//! Platform customers and the match index (`IDX#{key}#{value}#{customer}`).

use std::collections::HashMap;

use crate::AppError;
use crate::domain::matching_key::MatchingKey;
use crate::domain::records::{Customer, RemoteCustomer};
use crate::keys;
use crate::ports::{Item, ItemStore, WriteOp};
use crate::repo;

/// The writes that store `new` (replacing `old`), keeping the match index in step.
pub fn writes(tenant: &str, old: Option<&Customer>, new: &Customer) -> Vec<WriteOp> {
    let pk = keys::tenant(tenant);
    let mut ops = vec![WriteOp::Put(repo::encode(&pk, &keys::customer_sk(&new.id), new, 0))];
    let old_keys = old.filter(|o| o.merged_into.is_none()).map(Customer::key_values).unwrap_or_default();
    let new_keys = if new.merged_into.is_none() { new.key_values() } else { Vec::new() };
    for (k, v) in &old_keys {
        if !new_keys.contains(&(*k, v.clone())) {
            ops.push(WriteOp::Delete { pk: pk.clone(), sk: keys::index_sk(*k, v, &new.id) });
        }
    }
    for (k, v) in &new_keys {
        if !old_keys.contains(&(*k, v.clone())) {
            ops.push(WriteOp::Put(Item::new(pk.clone(), keys::index_sk(*k, v, &new.id), "{}")));
        }
    }
    ops
}

pub async fn get(store: &dyn ItemStore, tenant: &str, id: &str) -> Result<Option<Customer>, AppError> {
    Ok(repo::get::<Customer>(store, &keys::tenant(tenant), &keys::customer_sk(id)).await?.map(|(c, _)| c))
}

pub async fn get_many(
    store: &dyn ItemStore,
    tenant: &str,
    ids: impl Iterator<Item = &str>,
) -> Result<HashMap<String, Customer>, AppError> {
    let pk = keys::tenant(tenant);
    let wanted: Vec<(String, String)> = ids.map(|id| (pk.clone(), keys::customer_sk(id))).collect();
    let mut out = HashMap::new();
    if wanted.is_empty() {
        return Ok(out);
    }
    for item in store.batch_get(&wanted).await? {
        let c: Customer = repo::decode(&item)?;
        out.insert(c.id.clone(), c);
    }
    Ok(out)
}

/// Ids of the (unmerged) platform customers whose `key` equals `value` (already normalised).
pub async fn find_by_key(
    store: &dyn ItemStore,
    tenant: &str,
    key: MatchingKey,
    value: &str,
) -> Result<Vec<String>, AppError> {
    let prefix = keys::index_prefix(key, value);
    let items = repo::query_all(store, &keys::tenant(tenant), &prefix).await?;
    Ok(items.into_iter().filter_map(|i| i.sk.strip_prefix(&prefix).map(str::to_string)).collect())
}

/// Copy the provider's non-empty values onto the platform customer (the provider wins for
/// the fields it sends; empty provider fields never blank platform data).
pub fn apply_remote(c: &mut Customer, r: &RemoteCustomer) {
    fn set(field: &mut Option<String>, value: &Option<String>) {
        if let Some(v) = value.as_ref().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            *field = Some(v.to_string());
        }
    }
    if !r.name.trim().is_empty() {
        c.name = r.name.trim().to_string();
    }
    set(&mut c.customer_number, &r.customer_number);
    set(&mut c.vat_number, &r.vat_number);
    set(&mut c.email, &r.email);
    set(&mut c.phone, &r.phone);
    set(&mut c.coc_number, &r.coc_number);
    set(&mut c.address.street, &r.address.street);
    set(&mut c.address.postcode, &r.address.postcode);
    set(&mut c.address.city, &r.address.city);
}

/// Fill the empty fields of `keep` from `other` (used when merging duplicates).
pub fn fill_missing(keep: &mut Customer, other: &Customer) {
    fn fill(field: &mut Option<String>, value: &Option<String>) {
        if field.is_none() {
            field.clone_from(value);
        }
    }
    fill(&mut keep.customer_number, &other.customer_number);
    fill(&mut keep.vat_number, &other.vat_number);
    fill(&mut keep.email, &other.email);
    fill(&mut keep.phone, &other.phone);
    fill(&mut keep.coc_number, &other.coc_number);
    fill(&mut keep.address.street, &other.address.street);
    fill(&mut keep.address.postcode, &other.address.postcode);
    fill(&mut keep.address.city, &other.address.city);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn customer(vat: Option<&str>) -> Customer {
        Customer {
            field_sources: Default::default(),
            id: "c1".into(),
            name: "Bakkerij".into(),
            customer_number: None,
            vat_number: vat.map(str::to_string),
            email: None,
            phone: None,
            coc_number: None,
            address: Default::default(),
            merged_into: None,
            created_by: "api".into(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn index_follows_changes() {
        let old = customer(Some("NL1"));
        let new = customer(Some("NL2"));
        let ops = writes("t", Some(&old), &new);
        assert!(ops.iter().any(|o| matches!(o, WriteOp::Delete { sk, .. } if sk.starts_with("IDX#vat_number#NL1#"))));
        assert!(ops.iter().any(|o| matches!(o, WriteOp::Put(i) if i.sk.starts_with("IDX#vat_number#NL2#"))));
        // unchanged name: no index write for it
        assert!(!ops.iter().any(|o| matches!(o, WriteOp::Put(i) if i.sk.starts_with("IDX#name#"))));
    }

    #[test]
    fn merged_customers_leave_the_index() {
        let old = customer(Some("NL1"));
        let mut new = old.clone();
        new.merged_into = Some("c0".into());
        let ops = writes("t", Some(&old), &new);
        assert_eq!(ops.iter().filter(|o| matches!(o, WriteOp::Delete { .. })).count(), 2, "vat and name entries");
    }
}
