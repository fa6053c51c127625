//! The checks the engine applies to every answer, as pure functions returning the problems
//! found (none = fine).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;

use super::types::{ACCESS, Actor, FIELD_TYPES, FieldMeta, Outcome};
use super::values::{Value, check_for_type, decode};

/// A `LastModified` read as something comparable: digits (or `[I:n]`) or a `[DT:…]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stamp {
    Number(u128),
    Time(NaiveDateTime),
}

pub fn stamp(raw: &str) -> Option<Stamp> {
    let t = raw.trim();
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        return t.parse::<u128>().ok().map(Stamp::Number);
    }
    match decode(t).ok()? {
        Value::Int(n) => u128::try_from(n).ok().map(Stamp::Number),
        Value::DateTime(d) => Some(Stamp::Time(d)),
        _ => None,
    }
}

/// Compare two stamps of the same kind (`None` when they cannot be compared).
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    match (stamp(a)?, stamp(b)?) {
        (Stamp::Number(x), Stamp::Number(y)) => Some(x.cmp(&y)),
        (Stamp::Time(x), Stamp::Time(y)) => Some(x.cmp(&y)),
        _ => None,
    }
}

/// A call that must have worked.
pub fn ok(op: &str, o: &Outcome) -> Vec<String> {
    let mut p = Vec::new();
    if !o.consistent() {
        p.push(format!("{op}: IsOk and State disagree ({})", o.summary()));
    }
    if !o.ok() {
        p.push(format!("{op} did not succeed: {}", o.summary()));
    }
    p
}

/// A call that must have been refused in the response (not a fault): State Error, IsOk false,
/// an explanation, and the error code when one is expected.
pub fn refused(op: &str, o: &Outcome, code: Option<&str>) -> Vec<String> {
    let mut p = Vec::new();
    if !o.error() {
        p.push(format!("{op} should report an Error: {}", o.summary()));
    }
    if o.user_explanation.trim().is_empty() && o.tech_explanation.trim().is_empty() {
        p.push(format!("{op}: the error explains nothing"));
    }
    match code {
        Some(c) if o.error_code != c => p.push(format!("{op}: ErrorCode {:?}, expected {c:?}", o.error_code)),
        None if o.error_code.trim().is_empty() => p.push(format!("{op}: no ErrorCode")),
        _ => {}
    }
    p
}

/// A config form or an actor type's fields.
pub fn field_metas(what: &str, metas: &[FieldMeta]) -> Vec<String> {
    let mut p = Vec::new();
    if metas.is_empty() {
        p.push(format!("{what}: no fields"));
    }
    let mut keys = BTreeSet::new();
    for m in metas {
        let k = &m.field_key;
        if k.trim().is_empty() {
            p.push(format!("{what}: a field without a FieldKey"));
        }
        if !keys.insert(k.to_ascii_uppercase()) {
            p.push(format!("{what}: FieldKey {k} twice"));
        }
        if !FIELD_TYPES.contains(&m.field_type.as_str()) {
            p.push(format!("{what}: {k} has FieldType {:?}", m.field_type));
        }
        if !m.access.is_empty() && !ACCESS.contains(&m.access.as_str()) {
            p.push(format!("{what}: {k} has Access {:?}", m.access));
        }
        if m.field_type == "List" && m.list_name.trim().is_empty() {
            p.push(format!("{what}: list field {k} names no list"));
        }
        if let Err(e) = check_for_type(&m.field_type, &m.default_value) {
            p.push(format!("{what}: {k} DefaultValue: {e}"));
        }
        if !m.max_length.is_empty() && m.max_length.parse::<u32>().is_err() {
            p.push(format!("{what}: {k} MaxLength {:?}", m.max_length));
        }
    }
    p
}

/// Field key → FieldType.
pub fn types_of(metas: &[FieldMeta]) -> BTreeMap<String, String> {
    metas.iter().map(|m| (m.field_key.clone(), m.field_type.clone())).collect()
}

/// One actor of `actor_type` answered for `requested` field keys (empty = any of the type's).
pub fn actor(actor_type: &str, a: &Actor, types: &BTreeMap<String, String>, requested: &[String]) -> Vec<String> {
    let mut p = Vec::new();
    let who = format!("{actor_type} {:?}", a.erp_key);
    if a.actor_type != actor_type {
        p.push(format!("{who}: ActorType {:?}", a.actor_type));
    }
    if a.erp_key.trim().is_empty() {
        p.push(format!("{who}: no ErpKey"));
    }
    if stamp(&a.last_modified).is_none() {
        p.push(format!("{who}: LastModified {:?} is not a number or a [DT:] value", a.last_modified));
    }
    if actor_type == "Person" && (a.parent_actor_type.is_empty() || a.parent_erp_key.is_empty()) {
        p.push(format!("{who}: a person without its parent"));
    }
    for (k, v) in &a.fields {
        match types.get(k) {
            None => p.push(format!("{who}: field {k} is not one of the type's fields")),
            Some(t) => {
                if let Err(e) = check_for_type(t, v) {
                    p.push(format!("{who}: {k}: {e}"));
                }
            }
        }
        if !requested.is_empty() && !requested.iter().any(|r| r == k) {
            p.push(format!("{who}: field {k} was not asked for"));
        }
    }
    p
}

/// `LastModified` values that compare the same way as text and as numbers (SuperOffice may do
/// either): numeric stamps of one length.
pub fn comparable_as_text(stamps: &[&str]) -> Vec<String> {
    let lengths: BTreeSet<usize> =
        stamps.iter().filter(|s| matches!(stamp(s), Some(Stamp::Number(_)))).map(|s| s.trim().len()).collect();
    if lengths.len() > 1 {
        vec![format!("LastModified values of lengths {lengths:?}: text order differs from number order")]
    } else {
        Vec::new()
    }
}

/// The greatest of some stamps (by [`compare`]); the first when none compare.
pub fn highest<'a>(stamps: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    stamps.into_iter().fold(None, |best: Option<&'a str>, s| match best {
        Some(b) if compare(s, b) != Some(Ordering::Greater) => Some(b),
        _ => Some(s),
    })
}
