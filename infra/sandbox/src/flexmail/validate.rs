//! Checking contact bodies (`POST /contacts`, `PATCH /contacts/{id}`) into store inputs; every
//! problem becomes one `{field, message}` of the 422 error shape.

use serde::Serialize;
use serde_json::{Map, Value};

use super::config::{LANGUAGES, language};
use super::store::{ContactPatch, NewContact, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Plain e-mail syntax: one `@`, a local part, a dotted domain, no spaces, at most 254 chars.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let labels_ok = domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    text.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && labels_ok
        && !text.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '<' | '>'))
}

pub fn new_contact(store: &Store, body: &Value) -> Result<NewContact, Vec<FieldError>> {
    let Some(body) = body.as_object() else {
        return Err(vec![FieldError::new("body", "The body must be a JSON object.")]);
    };
    let mut errors = Vec::new();
    let email = match body.get("email") {
        Some(Value::String(e)) if is_email(e.trim()) => e.trim().to_string(),
        Some(Value::String(_)) => {
            errors.push(FieldError::new("email", "This value is not a valid email address."));
            String::new()
        }
        _ => {
            errors.push(FieldError::new("email", "This value should not be blank."));
            String::new()
        }
    };
    let language = match body.get("language") {
        Some(Value::String(l)) => language_or_error(l, &mut errors),
        _ => {
            errors.push(FieldError::new("language", "This value should not be blank."));
            LANGUAGES[0]
        }
    };
    let source = match body.get("source") {
        Some(v) if source_id(v).is_some_and(|id| store.sources.iter().any(|s| s.id == id)) => {
            source_id(v).unwrap_or_default()
        }
        Some(Value::Null) | None => {
            errors.push(FieldError::new("source", "This value should not be blank."));
            0
        }
        Some(_) => {
            errors.push(FieldError::new("source", "This value is not a valid source id."));
            0
        }
    };
    let first_name = text(body, "first_name", &mut errors).flatten();
    let name = text(body, "name", &mut errors).flatten();
    let values = custom_fields(store, body, &mut errors);
    if errors.is_empty() { Ok(NewContact { email, first_name, name, language, source, values }) } else { Err(errors) }
}

pub fn patch(store: &Store, body: &Value) -> Result<ContactPatch, Vec<FieldError>> {
    let Some(body) = body.as_object() else {
        return Err(vec![FieldError::new("body", "The body must be a JSON object.")]);
    };
    let mut errors = Vec::new();
    let email = match body.get("email") {
        None => None,
        Some(Value::String(e)) if is_email(e.trim()) => Some(e.trim().to_string()),
        Some(_) => {
            errors.push(FieldError::new("email", "This value is not a valid email address."));
            None
        }
    };
    let language = match body.get("language") {
        None => None,
        Some(Value::String(l)) => Some(language_or_error(l, &mut errors)),
        Some(_) => {
            errors.push(FieldError::new("language", "This value should be a language code."));
            None
        }
    };
    let first_name = text(body, "first_name", &mut errors);
    let name = text(body, "name", &mut errors);
    let values = custom_fields(store, body, &mut errors);
    if errors.is_empty() { Ok(ContactPatch { email, first_name, name, language, values }) } else { Err(errors) }
}

fn language_or_error(text: &str, errors: &mut Vec<FieldError>) -> &'static str {
    language(text).unwrap_or_else(|| {
        let allowed = LANGUAGES.join(", ");
        errors.push(FieldError::new("language", format!("The language must be one of: {allowed}.")));
        LANGUAGES[0]
    })
}

fn source_id(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Absent → `None`; `null` → `Some(None)`; text → `Some(Some(text))`.
fn text(body: &Map<String, Value>, field: &str, errors: &mut Vec<FieldError>) -> Option<Option<String>> {
    match body.get(field)? {
        Value::Null => Some(None),
        Value::String(s) if s.chars().count() <= 255 => Some(Some(s.clone()).filter(|s| !s.trim().is_empty())),
        Value::String(_) => {
            errors.push(FieldError::new(field, "This value is too long (at most 255 characters)."));
            None
        }
        _ => {
            errors.push(FieldError::new(field, "This value should be of type string."));
            None
        }
    }
}

/// `custom_fields` by placeholder; unknown placeholders and non-scalar values are refused.
fn custom_fields(
    store: &Store,
    body: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) -> Vec<(usize, Option<Value>)> {
    match body.get("custom_fields") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => field_values(store, map.iter(), errors),
        Some(_) => {
            errors.push(FieldError::new("custom_fields", "This value should be an object."));
            Vec::new()
        }
    }
}

/// Custom field values by position; an empty text or `null` clears the field.
pub fn field_values<'a>(
    store: &Store,
    entries: impl Iterator<Item = (&'a String, &'a Value)>,
    errors: &mut Vec<FieldError>,
) -> Vec<(usize, Option<Value>)> {
    let mut values = Vec::new();
    for (placeholder, value) in entries {
        let field = format!("custom_fields.{placeholder}");
        let Some(index) = store.field_index(placeholder) else {
            errors.push(FieldError::new(field, "There is no custom field with this placeholder."));
            continue;
        };
        match value {
            Value::Null => values.push((index, None)),
            Value::String(s) if s.trim().is_empty() => values.push((index, None)),
            Value::String(_) | Value::Number(_) => values.push((index, Some(value.clone()))),
            _ => errors.push(FieldError::new(field, "This value should be text or a number.")),
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flexmail::generate;
    use serde_json::json;

    #[test]
    fn email_syntax() {
        for good in ["a@b.be", "first.last+tag@sub.example.be", "X@Y.CO"] {
            assert!(is_email(good), "{good}");
        }
        for bad in ["", "a", "a@", "@b.be", "a@b", "a@@b.be", "a b@c.be", "a@b..be", "a@-b.be", "a@b.be,c@d.be"] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn new_contact_collects_every_problem() {
        let store = generate::store(7, 0);
        let ok = new_contact(&store, &json!({"email": "a@b.be", "language": "FR", "source": 1, "first_name": "An"}));
        let Ok(ok) = ok else { panic!("valid") };
        assert_eq!((ok.language, ok.source, ok.first_name.as_deref()), ("fr", 1, Some("An")));
        let bad = json!({"email": "nope", "language": "es", "source": 9, "custom_fields": {"x": 1, "city": [1]}});
        let Err(errors) = new_contact(&store, &bad) else { panic!("invalid") };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "language", "source", "custom_fields.city", "custom_fields.x"]);
        let Err(errors) = new_contact(&store, &json!({})) else { panic!("invalid") };
        assert_eq!(errors.len(), 3);
    }

    #[test]
    fn patch_keeps_absent_fields_and_clears_nulls() {
        let store = generate::store(7, 0);
        let Ok(p) = patch(&store, &json!({"name": null, "custom_fields": {"city": "Gent", "company": null}})) else {
            panic!("valid")
        };
        assert_eq!((p.email, p.first_name, p.name, p.language), (None, None, Some(None), None));
        assert_eq!(p.values, vec![(2, Some(json!("Gent"))), (1, None)]);
    }
}
