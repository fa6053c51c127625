//! Admin IS rows → Koppel records: customers, their addresses (`customeraddresses`) and change
//! rows (`customer/changes`). Keys are matched exactly first, then ignoring case; a customer row
//! that cannot be read becomes a `RecordProblem` and never fails the page.

use chrono::{DateTime, Utc};
use koppel_core::domain::records::{Address, RemoteCustomer};
use koppel_core::ports::source::RecordProblem;
use serde_json::Value;
use std::collections::HashMap;

use super::assumptions::{ADDRESS_PREFERENCE, FEED_TABLES, NEWSLETTER_FIELD, read_datetime};

/// A field by name: exact, else ignoring case.
pub fn field<'a>(row: &'a Value, name: &str) -> Option<&'a Value> {
    let map = row.as_object()?;
    map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

/// Trimmed, non-empty text; numbers are written out (a `CustCode` may be numeric).
pub fn text(row: &Value, name: &str) -> Option<String> {
    match field(row, name)? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A boolean written as `true`/`false`, `1`/`0` or their text.
pub fn flag(row: &Value, name: &str) -> Option<bool> {
    match field(row, name)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A positive whole-number id (number or digit string) as text; anything else is `None`.
pub fn id(row: &Value, name: &str) -> Option<String> {
    let n = match field(row, name)? {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) => s.trim().parse::<u64>().ok()?,
        _ => return None,
    };
    (n > 0).then(|| n.to_string())
}

/// The customer's `Newsletter` flag, read-only in Admin IS (see `assumptions::NEWSLETTER_FIELD`).
/// Koppel reads it and never writes it; the platform customer has no field for it yet.
pub fn newsletter(row: &Value) -> Option<bool> {
    flag(row, NEWSLETTER_FIELD)
}

/// One customer row. `address` comes from `customeraddresses`; `modified_on` is what the
/// engine's watermark advances with (the pass start of a full import, the newest `DateAction`
/// of an incremental one).
pub fn customer(
    row: &Value,
    address: Option<Address>,
    modified_on: Option<DateTime<Utc>>,
) -> Result<RemoteCustomer, RecordProblem> {
    let Some(remote_id) = id(row, "CustomerId") else {
        return Err(RecordProblem { remote_id: None, reason: "customer: no CustomerId".into() });
    };
    let Some(name) = display_name(row) else {
        let reason = format!("customer {remote_id}: it has no Name, Firstname or CommercialName");
        return Err(RecordProblem { remote_id: Some(remote_id), reason });
    };
    Ok(RemoteCustomer {
        contact_person: None,
        remote_id,
        modified_on,
        customer_number: text(row, "CustCode"),
        name,
        email: text(row, "Email"),
        vat_number: text(row, "VATNr"),
        // The Belgian company number (KBO/BCE) plays the part of the Dutch KvK number.
        coc_number: text(row, "RegistrationNr"),
        phone: text(row, "Phone").or_else(|| text(row, "Mobile")),
        address: address.unwrap_or_default(),
        is_customer: true,
        // Missing means active: only an explicit false deactivates.
        inactive: flag(row, "IsActive") == Some(false),
    })
}

/// A company is its `Name`; a person is `Firstname Name`; `CommercialName` when those are empty.
fn display_name(row: &Value) -> Option<String> {
    let name = text(row, "Name");
    let first = text(row, "Firstname");
    let person = match (flag(row, "IsCompany").unwrap_or(false), first, name) {
        (true, _, name) => name,
        (false, Some(f), Some(n)) => Some(format!("{f} {n}")),
        (false, f, n) => n.or(f),
    };
    person.or_else(|| text(row, "CommercialName"))
}

/// The address each customer gets, by customer id (see `assumptions::ADDRESS_PREFERENCE`).
pub fn addresses(rows: &[Value]) -> HashMap<String, Address> {
    let mut best: HashMap<String, (usize, Address)> = HashMap::new();
    for row in rows {
        let Some(customer) = id(row, "CustomerId") else { continue };
        let rank = ADDRESS_PREFERENCE
            .iter()
            .position(|flag_name| flag(row, flag_name) == Some(true))
            .unwrap_or(ADDRESS_PREFERENCE.len());
        let address = address(row);
        match best.get(&customer) {
            Some((have, _)) if *have <= rank => {}
            _ => {
                best.insert(customer, (rank, address));
            }
        }
    }
    best.into_iter().map(|(k, (_, a))| (k, a)).collect()
}

fn address(row: &Value) -> Address {
    let street = text(row, "Street1").or_else(|| {
        let name = text(row, "StreetName")?;
        let number = [text(row, "HouseNr"), text(row, "HouseBox")].into_iter().flatten().collect::<Vec<_>>().join("/");
        Some(if number.is_empty() { name } else { format!("{name} {number}") })
    });
    Address { street, postcode: text(row, "ZipCode"), city: text(row, "City") }
}

/// A change row of the customer table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub customer_id: String,
    pub delete: bool,
    pub at: Option<DateTime<Utc>>,
}

/// `None` for rows of other tables and rows without a usable `Id`.
pub fn change(row: &Value) -> Option<Change> {
    let table = text(row, "TableName")?;
    if !FEED_TABLES.iter().any(|t| t.eq_ignore_ascii_case(&table)) {
        return None;
    }
    let action = text(row, "ActionType").unwrap_or_default();
    Some(Change {
        customer_id: id(row, "Id")?,
        delete: action.eq_ignore_ascii_case(super::assumptions::ACTION_DELETE),
        at: text(row, "DateAction").as_deref().and_then(read_datetime),
    })
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
