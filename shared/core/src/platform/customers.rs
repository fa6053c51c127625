//! Platform customers and the match index (`IDX#{key}#{value}#{customer}`).

use std::collections::HashMap;

use crate::AppError;
use crate::domain::link_rules::LinkRules;
use crate::domain::matching_key::MatchingKey;
use crate::domain::records::{Customer, RemoteCustomer};
use crate::keys;
use crate::links::Priorities;
use crate::links::fields;
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

/// A field's value on the platform customer (`None` when empty).
pub fn value<'a>(c: &'a Customer, field: &str) -> Option<&'a str> {
    let v = match field {
        fields::NAME => Some(c.name.as_str()),
        fields::CUSTOMER_NUMBER => c.customer_number.as_deref(),
        fields::VAT_NUMBER => c.vat_number.as_deref(),
        fields::EMAIL => c.email.as_deref(),
        fields::PHONE => c.phone.as_deref(),
        fields::COC_NUMBER => c.coc_number.as_deref(),
        fields::STREET => c.address.street.as_deref(),
        fields::POSTCODE => c.address.postcode.as_deref(),
        fields::CITY => c.address.city.as_deref(),
        _ => None,
    };
    v.filter(|v| !v.is_empty())
}

fn set(c: &mut Customer, field: &str, v: String) {
    match field {
        fields::NAME => c.name = v,
        fields::CUSTOMER_NUMBER => c.customer_number = Some(v),
        fields::VAT_NUMBER => c.vat_number = Some(v),
        fields::EMAIL => c.email = Some(v),
        fields::PHONE => c.phone = Some(v),
        fields::COC_NUMBER => c.coc_number = Some(v),
        fields::STREET => c.address.street = Some(v),
        fields::POSTCODE => c.address.postcode = Some(v),
        fields::CITY => c.address.city = Some(v),
        _ => {}
    }
}

/// The provider's value of a platform field, trimmed (`None` when empty).
pub fn remote_value<'a>(r: &'a RemoteCustomer, field: &str) -> Option<&'a str> {
    let v = match field {
        fields::NAME => Some(r.name.as_str()),
        fields::CUSTOMER_NUMBER => r.customer_number.as_deref(),
        fields::VAT_NUMBER => r.vat_number.as_deref(),
        fields::EMAIL => r.email.as_deref(),
        fields::PHONE => r.phone.as_deref(),
        fields::COC_NUMBER => r.coc_number.as_deref(),
        fields::STREET => r.address.street.as_deref(),
        fields::POSTCODE => r.address.postcode.as_deref(),
        fields::CITY => r.address.city.as_deref(),
        _ => None,
    };
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// Copy the provider's non-empty values onto the platform customer (the provider wins for
/// the fields it sends; empty provider fields never blank platform data). No connection's
/// rules apply: this is a write outside any connection's sync (a spreadsheet import, a manual
/// link), so a field it changes loses its recorded writer, like any platform-side edit.
pub fn apply_remote(c: &mut Customer, r: &RemoteCustomer) {
    for field in fields::CUSTOMER_FIELDS {
        if let Some(v) = remote_value(r, field)
            && value(c, field) != Some(v)
        {
            set(c, field, v.to_string());
            c.field_sources.remove(field);
        }
    }
}

/// A connection's sync writes the provider's values under its link rules: a field whose
/// direction does not flow to the platform is never written; list values are mapped (unmapped
/// ones pass as they are); empty provider values never blank platform data; a field recorded
/// for another connection is written only when `priorities` allows it. Every field written
/// records the writer in `field_sources`.
pub fn apply_ruled(c: &mut Customer, r: &RemoteCustomer, rules: Option<&LinkRules>, priorities: &Priorities) {
    for field in fields::CUSTOMER_FIELDS {
        if rules.is_some_and(|l| !l.direction(field).to_platform()) {
            continue;
        }
        let Some(v) = remote_value(r, field) else { continue };
        let v = rules.map_or(v, |l| l.platform_value(field, v));
        if !priorities.may_write(c.field_sources.get(field).map(String::as_str)) {
            continue;
        }
        if value(c, field) != Some(v) {
            set(c, field, v.to_string());
        }
        c.field_sources.insert(field.to_string(), priorities.writer().to_string());
    }
}

/// The rules' default values fill the empty fields of a customer the sync just created
/// (whatever the field's direction: a default is an explicit choice for new records).
pub fn fill_defaults(c: &mut Customer, rules: Option<&LinkRules>, writer: &str) {
    for (field, v) in rules.into_iter().flat_map(LinkRules::defaults) {
        if fields::CUSTOMER_FIELDS.contains(&field) && value(c, field).is_none() {
            set(c, field, v.trim().to_string());
            c.field_sources.insert(field.to_string(), writer.to_string());
        }
    }
}

/// Fill the empty fields of `keep` from `other` (used when merging duplicates); a filled field
/// keeps the writer recorded on `other`.
pub fn fill_missing(keep: &mut Customer, other: &Customer) {
    for field in fields::CUSTOMER_FIELDS.into_iter().filter(|f| *f != fields::NAME) {
        if value(keep, field).is_none()
            && let Some(v) = value(other, field)
        {
            set(keep, field, v.to_string());
            match other.field_sources.get(field) {
                Some(source) => keep.field_sources.insert(field.to_string(), source.clone()),
                None => keep.field_sources.remove(field),
            };
        }
    }
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

    fn remote() -> RemoteCustomer {
        RemoteCustomer {
            remote_id: "r1".into(),
            modified_on: None,
            customer_number: Some("1001".into()),
            name: " Bakker BV ".into(),
            email: Some("info@bakker.nl".into()),
            vat_number: Some("NL9".into()),
            coc_number: None,
            phone: Some("010-1".into()),
            address: crate::domain::records::Address { street: None, postcode: None, city: Some("A'dam".into()) },
            is_customer: true,
            inactive: false,
            contact_person: None,
        }
    }

    fn rules(json: serde_json::Value) -> LinkRules {
        serde_json::from_value(json).unwrap_or_default()
    }

    #[test]
    fn rules_stop_fields_map_lists_and_record_the_writer() {
        let mut c = customer(Some("NL1"));
        c.email = Some("platform@x.nl".into());
        let r = rules(serde_json::json!({"fields": [
            {"field": "email", "direction": "off"},
            {"field": "phone", "direction": "to_provider"},
            {"field": "city", "direction": "both", "list_values": {"A'dam": "Amsterdam"}}
        ]}));
        apply_ruled(&mut c, &remote(), Some(&r), &Priorities::new("conn-a", None));
        assert_eq!(c.email.as_deref(), Some("platform@x.nl"), "email is off");
        assert_eq!(c.phone, None, "phone flows to the provider only");
        assert_eq!(c.address.city.as_deref(), Some("Amsterdam"), "list value mapped");
        assert_eq!((c.name.as_str(), c.vat_number.as_deref()), ("Bakker BV", Some("NL9")));
        let sources: Vec<&str> = c.field_sources.keys().map(String::as_str).collect();
        assert_eq!(sources, ["city", "customer_number", "name", "vat_number"]);
        assert!(c.field_sources.values().all(|s| s == "conn-a"));
    }

    #[test]
    fn a_better_recorded_writer_keeps_its_fields_and_others_fill_the_rest() {
        let mut c = customer(Some("NL1"));
        c.email = Some("first@x.nl".into());
        c.field_sources.insert("email".into(), "conn-1".into());
        let mut p = Priorities::new("conn-2", Some(2));
        p.know("conn-1", Some(1));
        apply_ruled(&mut c, &remote(), None, &p);
        assert_eq!(c.email.as_deref(), Some("first@x.nl"));
        assert_eq!(c.field_sources.get("email").map(String::as_str), Some("conn-1"));
        assert_eq!(c.phone.as_deref(), Some("010-1"), "a field conn-1 never wrote");
        assert_eq!(c.field_sources.get("phone").map(String::as_str), Some("conn-2"));
    }

    #[test]
    fn defaults_fill_only_empty_fields_and_plain_writes_clear_the_writer() {
        let mut c = customer(None);
        c.phone = Some("1".into());
        let r = rules(serde_json::json!({"fields": [
            {"field": "phone", "direction": "both", "default_value": "2"},
            {"field": "email", "direction": "off", "default_value": "nobody@x.nl"}
        ]}));
        fill_defaults(&mut c, Some(&r), "conn-a");
        assert_eq!((c.phone.as_deref(), c.email.as_deref()), (Some("1"), Some("nobody@x.nl")));
        assert_eq!(c.field_sources.get("email").map(String::as_str), Some("conn-a"));
        apply_remote(&mut c, &remote());
        assert_eq!(c.email.as_deref(), Some("info@bakker.nl"));
        assert!(!c.field_sources.contains_key("email"), "a write outside a sync clears the writer");
    }

    #[test]
    fn merging_keeps_the_writer_of_filled_fields() {
        let mut keep = customer(None);
        let mut other = customer(Some("NL7"));
        other.field_sources.insert("vat_number".into(), "conn-1".into());
        fill_missing(&mut keep, &other);
        assert_eq!(keep.vat_number.as_deref(), Some("NL7"));
        assert_eq!(keep.field_sources.get("vat_number").map(String::as_str), Some("conn-1"));
    }
}
