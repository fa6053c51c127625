//! SnelStart customers (`RemoteCustomer`, as mirrored) ↔ SuperOffice actors. A Customer actor is
//! one customer; a Person actor is a customer's contact person (`{remote}~p`). Values are
//! SuperOffice-encoded (`erp::values`); empty values are left out, so SnelStart's empty fields
//! never blank SuperOffice's (Koppel's rule: empty provider fields never blank data).

use std::collections::BTreeMap;

use super::assumptions::{PERSON_KEY_SUFFIX, join_person, last_modified, split_person};
use super::contract::{Actor, FieldType};
use super::fields::{ActorKind, CUSTOMER, FieldView};
use super::values;
use crate::domain::records::RemoteCustomer;

/// The customer's value of a platform field (`contact_person` whole).
pub fn platform_value(c: &RemoteCustomer, platform: &str) -> Option<String> {
    let v = match platform {
        "name" => Some(c.name.clone()),
        "customer_number" => c.customer_number.clone(),
        "email" => c.email.clone(),
        "phone" => c.phone.clone(),
        "vat_number" => c.vat_number.clone(),
        "coc_number" => c.coc_number.clone(),
        "street" => c.address.street.clone(),
        "postcode" => c.address.postcode.clone(),
        "city" => c.address.city.clone(),
        "contact_person" => c.contact_person.clone(),
        _ => None,
    };
    v.filter(|s| !s.trim().is_empty())
}

/// Set a platform field (`None` or blank clears it; the name is never cleared).
pub fn set_platform_value(c: &mut RemoteCustomer, platform: &str, value: Option<String>) {
    let value = value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    match platform {
        "name" => {
            if let Some(v) = value {
                c.name = v;
            }
        }
        "customer_number" => c.customer_number = value,
        "email" => c.email = value,
        "phone" => c.phone = value,
        "vat_number" => c.vat_number = value,
        "coc_number" => c.coc_number = value,
        "street" => c.address.street = value,
        "postcode" => c.address.postcode = value,
        "city" => c.address.city = value,
        "contact_person" => c.contact_person = value,
        _ => {}
    }
}

/// One field's value as SuperOffice reads it.
fn crm_value(c: &RemoteCustomer, view: &FieldView<'_>) -> Option<String> {
    let raw = platform_value(c, view.def.platform)?;
    let raw = match view.def.key {
        "FIRSTNAME" => split_person(&raw).0,
        "LASTNAME" => split_person(&raw).1,
        _ => raw,
    };
    if raw.is_empty() {
        return None;
    }
    if view.list_name().is_some() {
        return Some(view.to_crm(&raw));
    }
    match view.def.field_type {
        FieldType::Integer => Some(match raw.trim().parse::<i64>() {
            Ok(n) => values::encode_int(n),
            Err(_) => raw,
        }),
        _ => Some(raw),
    }
}

pub fn person_key(customer_remote: &str) -> String {
    format!("{customer_remote}{PERSON_KEY_SUFFIX}")
}

/// The customer a Person ErpKey belongs to.
pub fn customer_of_person(erp_key: &str) -> Option<&str> {
    erp_key.trim().strip_suffix(PERSON_KEY_SUFFIX).filter(|r| !r.is_empty())
}

/// The actor of `kind` for one mirrored customer with its feed sequence number, carrying the
/// `selected` fields. `None` for a Person when the customer has no contact person.
pub fn to_actor(kind: ActorKind, seq: u64, c: &RemoteCustomer, selected: &[FieldView<'_>]) -> Option<Actor> {
    let fields: BTreeMap<String, String> =
        selected.iter().filter_map(|v| crm_value(c, v).map(|val| (v.def.key.to_string(), val))).collect();
    match kind {
        ActorKind::Customer => Some(Actor {
            actor_type: kind.name().into(),
            erp_key: c.remote_id.clone(),
            last_modified: last_modified(seq),
            parent_actor_type: String::new(),
            parent_erp_key: String::new(),
            fields,
        }),
        ActorKind::Person => platform_value(c, "contact_person").map(|_| Actor {
            actor_type: kind.name().into(),
            erp_key: person_key(&c.remote_id),
            last_modified: last_modified(seq),
            parent_actor_type: CUSTOMER.into(),
            parent_erp_key: c.remote_id.clone(),
            fields,
        }),
    }
}

/// The fields of the actor as text to search in (decoded, lower case), by key.
pub fn search_values(c: &RemoteCustomer, views: &[FieldView<'_>]) -> Vec<(&'static str, String)> {
    views
        .iter()
        .filter_map(|v| {
            let raw = platform_value(c, v.def.platform)?;
            let text = match v.def.key {
                "FIRSTNAME" => split_person(&raw).0,
                "LASTNAME" => split_person(&raw).1,
                _ => raw,
            };
            Some((v.def.key, text.to_lowercase()))
        })
        .collect()
}

/// What applying SuperOffice's field values did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Fields whose value changed.
    pub changed: Vec<String>,
    /// Fields not applied: unknown, switched off, or not writable from SuperOffice.
    pub ignored: Vec<String>,
}

/// How a write treats fields SuperOffice may not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// A new record: every visible field is taken (there is nothing to protect yet).
    Create,
    /// An existing record: only fields whose rule lets SuperOffice write.
    Save,
}

/// Apply SuperOffice's values of a `kind` actor to `c`. Values are decoded (`[I:…]` → digits)
/// and list keys mapped back.
pub fn apply(
    kind: ActorKind,
    fields: &BTreeMap<String, String>,
    views: &[FieldView<'_>],
    c: &mut RemoteCustomer,
    mode: WriteMode,
) -> Applied {
    let mut out = Applied::default();
    let mut person: Option<(String, String)> = None;
    for (key, raw) in fields {
        let Some(view) = super::fields::find(views, key) else {
            out.ignored.push(key.clone());
            continue;
        };
        let allowed = match mode {
            WriteMode::Create => !view.def.never_written,
            WriteMode::Save => view.writable(),
        };
        if !allowed {
            out.ignored.push(view.def.key.to_string());
            continue;
        }
        let value = view.from_crm(&decode(raw, view.def.field_type));
        if kind == ActorKind::Person {
            let current = platform_value(c, "contact_person").unwrap_or_default();
            let parts = person.get_or_insert_with(|| split_person(&current));
            match view.def.key {
                "FIRSTNAME" => parts.0 = value,
                "LASTNAME" => parts.1 = value,
                _ => {}
            }
            continue;
        }
        let before = platform_value(c, view.def.platform);
        set_platform_value(c, view.def.platform, Some(value));
        if platform_value(c, view.def.platform) != before {
            out.changed.push(view.def.key.to_string());
        }
    }
    if let Some((first, last)) = person {
        let before = platform_value(c, "contact_person");
        let joined = join_person(&first, &last);
        set_platform_value(c, "contact_person", Some(joined));
        if platform_value(c, "contact_person") != before {
            out.changed.push("FIRSTNAME/LASTNAME".into());
        }
    }
    out
}

/// Fill empty fields of a new customer with the rules' default values.
pub fn fill_defaults(views: &[FieldView<'_>], c: &mut RemoteCustomer) {
    for view in views {
        if let Some(default) = view.default_value()
            && platform_value(c, view.def.platform).is_none()
            && !view.def.never_written
            && view.def.platform != "contact_person"
        {
            set_platform_value(c, view.def.platform, Some(default.to_string()));
        }
    }
}

/// A SuperOffice value as plain text: integers without their brackets, anything unreadable as
/// it came.
fn decode(raw: &str, field_type: FieldType) -> String {
    match field_type {
        FieldType::Integer => values::decode_int(raw).map(|i| i.to_string()).unwrap_or_else(|_| raw.trim().to_string()),
        _ => match values::decode(raw) {
            Ok(values::Value::Int(i)) => i.to_string(),
            _ => raw.to_string(),
        },
    }
}

/// A new, empty customer to fill from SuperOffice.
pub fn blank_customer() -> RemoteCustomer {
    RemoteCustomer {
        remote_id: String::new(),
        modified_on: None,
        customer_number: None,
        name: String::new(),
        email: None,
        vat_number: None,
        coc_number: None,
        phone: None,
        address: Default::default(),
        is_customer: true,
        inactive: false,
        contact_person: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::link_rules::{Direction, FieldRule, LinkRules};
    use crate::erp::fields::visible;

    fn customer() -> RemoteCustomer {
        let mut c = blank_customer();
        c.remote_id = "r1".into();
        c.name = "Acme BV".into();
        c.customer_number = Some("1001".into());
        c.contact_person = Some("Jan de Vries".into());
        c
    }

    #[test]
    fn customers_and_persons_become_actors() {
        let views = visible(ActorKind::Customer, None);
        let a = to_actor(ActorKind::Customer, 7, &customer(), &views).expect("actor");
        assert_eq!(a.last_modified, "0000000000000007");
        assert_eq!(a.fields.get("NUMBER1").map(String::as_str), Some("[I:1001]"));
        assert_eq!(a.fields.get("NAME").map(String::as_str), Some("Acme BV"));
        assert!(!a.fields.contains_key("EMAIL"), "empty values are left out");
        let pviews = visible(ActorKind::Person, None);
        let p = to_actor(ActorKind::Person, 7, &customer(), &pviews).expect("person");
        assert_eq!((p.erp_key.as_str(), p.parent_erp_key.as_str()), ("r1~p", "r1"));
        assert_eq!(p.fields.get("FIRSTNAME").map(String::as_str), Some("Jan de"));
        let mut nobody = customer();
        nobody.contact_person = None;
        assert_eq!(to_actor(ActorKind::Person, 7, &nobody, &pviews), None);
        assert_eq!(customer_of_person("r1~p"), Some("r1"));
        assert_eq!(customer_of_person("r1"), None);
    }

    #[test]
    fn saving_applies_only_writable_fields() {
        let rules = LinkRules {
            fields: vec![
                FieldRule {
                    field: "phone".into(),
                    direction: Direction::Both,
                    default_value: None,
                    list_values: Default::default(),
                    order: 0,
                },
                FieldRule {
                    field: "contact_person".into(),
                    direction: Direction::ToProvider,
                    default_value: None,
                    list_values: Default::default(),
                    order: 0,
                },
            ],
            ..Default::default()
        };
        let views = visible(ActorKind::Customer, Some(&rules));
        let mut c = customer();
        let fields = BTreeMap::from([
            ("PHONE".to_string(), "020 123".to_string()),
            ("NAME".to_string(), "Other".to_string()),
            ("NOPE".to_string(), "x".to_string()),
        ]);
        let applied = apply(ActorKind::Customer, &fields, &views, &mut c, WriteMode::Save);
        assert_eq!(applied.changed, ["PHONE"]);
        assert_eq!(applied.ignored, ["NAME", "NOPE"]);
        assert_eq!((c.name.as_str(), c.phone.as_deref()), ("Acme BV", Some("020 123")));
        let created = apply(ActorKind::Customer, &fields, &views, &mut c, WriteMode::Create);
        assert_eq!(created.changed, ["NAME"]);

        let pviews = visible(ActorKind::Person, Some(&rules));
        let person = BTreeMap::from([("LASTNAME".to_string(), "Jansen".to_string())]);
        let applied = apply(ActorKind::Person, &person, &pviews, &mut c, WriteMode::Save);
        assert_eq!(applied.changed, ["FIRSTNAME/LASTNAME"]);
        assert_eq!(c.contact_person.as_deref(), Some("Jan de Jansen"));
    }
}
