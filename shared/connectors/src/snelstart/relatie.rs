//! The relatie body Koppel writes: a new relatie from a `RemoteCustomer`, or the relatie as
//! SnelStart sent it with only the modelled fields that changed replaced (a PUT replaces the
//! whole model, so everything else goes back exactly as it came).

use koppel_core::domain::records::RemoteCustomer;
use serde_json::{Map, Value};

use super::assumptions::relatie_keys as k;
use super::assumptions::{ADDRESS_WRITE_TARGET, CONTACT_PERSON_NEW_ADDRESS, CONTACT_PERSON_READ_ORDER, relatiecode};

/// `POST /relaties` body: a customer (`relatieSoort: ["Klant"]`) with the fields Koppel has.
pub fn new_body(customer: &RemoteCustomer) -> Value {
    let mut body = Map::new();
    body.insert(k::RELATIESOORT.into(), Value::Array(vec![Value::from(k::KLANT)]));
    body.insert(k::NAAM.into(), Value::from(customer.name.trim()));
    if let Some(code) = relatiecode(customer.customer_number.as_deref()) {
        body.insert(k::RELATIECODE.into(), Value::from(code));
    }
    for (key, value) in [
        (k::EMAIL, &customer.email),
        (k::TELEFOON, &customer.phone),
        (k::BTW_NUMMER, &customer.vat_number),
        (k::KVK_NUMMER, &customer.coc_number),
    ] {
        if let Some(text) = present(value) {
            body.insert(key.into(), Value::from(text));
        }
    }
    let mut address = Map::new();
    for (key, value) in [
        (k::STRAAT, &customer.address.street),
        (k::POSTCODE, &customer.address.postcode),
        (k::PLAATS, &customer.address.city),
    ] {
        if let Some(text) = present(value) {
            address.insert(key.into(), Value::from(text));
        }
    }
    if !address.is_empty() {
        body.insert(ADDRESS_WRITE_TARGET.into(), Value::Object(address));
    }
    if let Some(person) = present(&customer.contact_person) {
        let target = body.entry(CONTACT_PERSON_NEW_ADDRESS).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(a) = target {
            a.insert(k::CONTACTPERSOON.into(), Value::from(person));
        }
    }
    if customer.inactive {
        body.insert(k::NONACTIEF.into(), Value::Bool(true));
    }
    Value::Object(body)
}

/// `PUT /relaties/{id}` body: `raw` (the relatie as SnelStart sent it; `current` is how Koppel
/// reads it) with the modelled fields of `wanted` that differ from `current` written in.
/// `None` when the body comes out as SnelStart sent it (no call needed). Keys keep SnelStart's spelling; a key SnelStart
/// did not send is added in the model's camelCase.
pub fn merged_body(raw: &Value, current: &RemoteCustomer, wanted: &RemoteCustomer) -> Option<Value> {
    let Value::Object(original) = raw else { return None };
    let mut body = original.clone();
    if wanted.name.trim() != current.name {
        put(&mut body, k::NAAM, Value::from(wanted.name.trim()));
    }
    if let Some(code) = relatiecode(wanted.customer_number.as_deref())
        && wanted.customer_number.as_deref().map(str::trim) != current.customer_number.as_deref()
    {
        put(&mut body, k::RELATIECODE, Value::from(code));
    }
    for (key, want, have) in [
        (k::EMAIL, &wanted.email, &current.email),
        (k::BTW_NUMMER, &wanted.vat_number, &current.vat_number),
        (k::KVK_NUMMER, &wanted.coc_number, &current.coc_number),
    ] {
        if present(want) != have.as_deref() {
            put(&mut body, key, text_or_null(want));
        }
    }
    if present(&wanted.phone) != current.phone.as_deref() {
        put(&mut body, k::TELEFOON, text_or_null(&wanted.phone));
        if wanted.phone.is_none() {
            // Koppel reads the mobile number when `telefoon` is empty: clear it too, or it comes back.
            put(&mut body, k::MOBIELE_TELEFOON, Value::Null);
        }
    }
    let (want, have) = (&wanted.address, &current.address);
    if (present(&want.street), present(&want.postcode), present(&want.city))
        != (have.street.as_deref(), have.postcode.as_deref(), have.city.as_deref())
    {
        edit_object(&mut body, ADDRESS_WRITE_TARGET, |address| {
            put(address, k::STRAAT, text_or_null(&want.street));
            put(address, k::POSTCODE, text_or_null(&want.postcode));
            put(address, k::PLAATS, text_or_null(&want.city));
        });
    }
    if present(&wanted.contact_person) != current.contact_person.as_deref() {
        write_contact_person(&mut body, present(&wanted.contact_person));
    }
    if wanted.inactive != current.inactive {
        put(&mut body, k::NONACTIEF, Value::Bool(wanted.inactive));
    }
    if wanted.is_customer && !current.is_customer {
        add_klant(&mut body);
    }
    (body != *original).then_some(Value::Object(body))
}

/// A new contact person goes where the current one was read (else `CONTACT_PERSON_NEW_ADDRESS`);
/// clearing it clears it on every address, or the next one would be read instead.
fn write_contact_person(body: &mut Map<String, Value>, person: Option<&str>) {
    let holders: Vec<String> = CONTACT_PERSON_READ_ORDER
        .iter()
        .filter_map(|lower| find_key(body, lower))
        .filter(|key| {
            body.get(key).and_then(|a| get_ci(a, k::CONTACTPERSOON)).and_then(Value::as_str).is_some_and(has_text)
        })
        .collect();
    match person {
        None => {
            for key in holders {
                edit_object(body, &key, |a| put(a, k::CONTACTPERSOON, Value::Null));
            }
        }
        Some(person) => {
            let target = holders.into_iter().next().unwrap_or_else(|| CONTACT_PERSON_NEW_ADDRESS.to_string());
            edit_object(body, &target, |a| put(a, k::CONTACTPERSOON, Value::from(person)));
        }
    }
}

/// Adds `Klant` to `relatieSoort` (an array, or the comma-separated text some serialisers print).
fn add_klant(body: &mut Map<String, Value>) {
    let key = find_key(body, &k::RELATIESOORT.to_lowercase()).unwrap_or_else(|| k::RELATIESOORT.to_string());
    let mut kinds: Vec<Value> = match body.get(&key) {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::String(s)) => s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(Value::from).collect(),
        _ => Vec::new(),
    };
    kinds.retain(|v| !v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("geen")));
    kinds.push(Value::from(k::KLANT));
    body.insert(key, Value::Array(kinds));
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn has_text(s: &str) -> bool {
    !s.trim().is_empty()
}

fn text_or_null(value: &Option<String>) -> Value {
    present(value).map_or(Value::Null, Value::from)
}

/// The key as the map spells it, found case-insensitively.
fn find_key(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.keys().find(|existing| existing.eq_ignore_ascii_case(key)).cloned()
}

fn get_ci<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_object()?.iter().find(|(existing, _)| existing.eq_ignore_ascii_case(key)).map(|(_, v)| v)
}

/// Sets `key` under the spelling the map already uses, else under `key`.
fn put(map: &mut Map<String, Value>, key: &str, value: Value) {
    let key = find_key(map, key).unwrap_or_else(|| key.to_string());
    map.insert(key, value);
}

/// Edits the nested object under `key` (any spelling); a missing or non-object value becomes `{}`.
fn edit_object(map: &mut Map<String, Value>, key: &str, edit: impl FnOnce(&mut Map<String, Value>)) {
    let key = find_key(map, key).unwrap_or_else(|| key.to_string());
    let mut inner = match map.remove(&key) {
        Some(Value::Object(inner)) => inner,
        _ => Map::new(),
    };
    edit(&mut inner);
    map.insert(key, Value::Object(inner));
}

#[cfg(test)]
#[path = "relatie_tests.rs"]
mod tests;
