//! One AdminPulse relation → a `RemoteCustomer`. Field names come from [`super::assumptions`];
//! a row Koppel cannot use (not an object, no id, no name) becomes a `RecordProblem` that the
//! run logs, never a panic.

use koppel_core::domain::records::{Address, RemoteCustomer};
use koppel_core::ports::source::{RecordProblem, RemoteRecord};
use serde_json::{Map, Value};

use super::assumptions::{
    ADDRESS_OBJECTS, CITY_FIELDS, COMMERCIAL_NAME_FIELD, CUSTOMER_NUMBER_FIELD, EMAIL_FIELDS, ENTERPRISE_NUMBER_FIELDS,
    HOUSE_NUMBER_FIELDS, ID_FIELD, NAME_FIELD, PHONE_FIELDS, POSTCODE_FIELDS, STREET_FIELDS, VAT_FIELDS, vat_number,
};

/// Longest text taken from one field; longer values are cut (a runaway field must not bloat a page).
const MAX_FIELD: usize = 500;

pub fn read_row(row: Value) -> Result<RemoteRecord, RecordProblem> {
    let Value::Object(map) = row else {
        return Err(RecordProblem { remote_id: None, reason: "the relation is not a JSON object".into() });
    };
    let customer_number = text(&map, CUSTOMER_NUMBER_FIELD);
    let Some(remote_id) = text(&map, ID_FIELD) else {
        let which = customer_number.map_or_else(String::new, |n| format!(" ({CUSTOMER_NUMBER_FIELD} {n})"));
        return Err(RecordProblem { remote_id: None, reason: format!("a relation{which} has no '{ID_FIELD}'") });
    };
    let Some(name) = text(&map, NAME_FIELD).or_else(|| text(&map, COMMERCIAL_NAME_FIELD)) else {
        return Err(RecordProblem {
            remote_id: Some(remote_id),
            reason: format!("the relation has neither a '{NAME_FIELD}' nor a '{COMMERCIAL_NAME_FIELD}'"),
        });
    };
    let address_map = ADDRESS_OBJECTS.iter().find_map(|k| map.get(*k).and_then(Value::as_object)).unwrap_or(&map);
    let street = first(address_map, STREET_FIELDS).map(|street| match first(address_map, HOUSE_NUMBER_FIELDS) {
        Some(number) => format!("{street} {number}"),
        None => street,
    });
    Ok(RemoteRecord::Customer(RemoteCustomer {
        contact_person: None,
        remote_id,
        modified_on: None,
        customer_number,
        name,
        email: first(&map, EMAIL_FIELDS),
        vat_number: first(&map, VAT_FIELDS).and_then(|v| vat_number(&v)),
        coc_number: first(&map, ENTERPRISE_NUMBER_FIELDS),
        phone: first(&map, PHONE_FIELDS),
        address: Address {
            street,
            postcode: first(address_map, POSTCODE_FIELDS),
            city: first(address_map, CITY_FIELDS),
        },
        is_customer: true,
        inactive: false,
    }))
}

/// The first of `fields` with a non-empty value.
fn first(map: &Map<String, Value>, fields: &[&str]) -> Option<String> {
    fields.iter().find_map(|f| text(map, f))
}

/// A field as trimmed text: strings as they are, numbers written out; empty, null, objects,
/// arrays and booleans are no value.
fn text(map: &Map<String, Value>, field: &str) -> Option<String> {
    let value = match map.get(field)? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    if value.is_empty() {
        return None;
    }
    if value.chars().count() > MAX_FIELD {
        return Some(value.chars().take(MAX_FIELD).collect());
    }
    Some(value)
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
