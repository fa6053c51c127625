//! Flexmail rows and answers → the newsletter port's types. Each function says what is wrong
//! when a row cannot be read (`Err(reason)`); the session turns that into a `Parse` error.

use koppel_core::ports::newsletter::{CustomField, ImportStatus, Interest, RegisteredWebhook, RemoteContact};
use serde_json::Value;
use std::collections::BTreeMap;

use super::assumptions;
use super::hal::{id_text, text};

/// `{"id": 123, "email", "first_name", "name", "language", "custom_fields": {...}, "subscribed"}`.
pub fn contact(row: &Value) -> Result<RemoteContact, String> {
    let id = id_text(row.get("id")).ok_or("a contact has no id")?;
    let email = text(row, "email").ok_or_else(|| format!("contact {id} has no e-mail address"))?;
    Ok(RemoteContact {
        id,
        email,
        first_name: text(row, "first_name"),
        name: text(row, "name"),
        language: text(row, "language"),
        custom_fields: custom_values(row.get("custom_fields")),
        subscribed: assumptions::subscribed(row),
    })
}

/// Custom field values as text: strings as they are, numbers as written, booleans as
/// `true`/`false`, other JSON as compact JSON; `null` is dropped.
fn custom_values(value: Option<&Value>) -> BTreeMap<String, String> {
    let Some(Value::Object(map)) = value else {
        return BTreeMap::new();
    };
    map.iter()
        .filter_map(|(key, value)| {
            let text = match value {
                Value::Null => return None,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((key.clone(), text))
        })
        .collect()
}

/// `{"id": "...", "name", "type", "placeholder"}`; a missing name falls back to the placeholder.
pub fn custom_field(row: &Value) -> Result<CustomField, String> {
    let id = id_text(row.get("id")).ok_or("a custom field has no id")?;
    let placeholder = text(row, "placeholder").ok_or_else(|| format!("custom field {id} has no placeholder"))?;
    let name = text(row, "name").unwrap_or_else(|| placeholder.clone());
    Ok(CustomField { id, name, placeholder })
}

/// `{"id": "...", "name", "label", ...}`; a missing label falls back to the name and vice versa.
pub fn interest(row: &Value) -> Result<Interest, String> {
    let id = id_text(row.get("id")).ok_or("an interest has no id")?;
    let name = text(row, "name");
    let label = text(row, "label");
    let (name, label) = match (name, label) {
        (Some(n), Some(l)) => (n, l),
        (Some(n), None) => (n.clone(), n),
        (None, Some(l)) => (l.clone(), l),
        (None, None) => return Err(format!("interest {id} has neither name nor label")),
    };
    Ok(Interest { id, name, label })
}

/// A source row's id (`{"id": 1, "name"}`).
pub fn source_id(row: &Value) -> Result<String, String> {
    id_text(row.get("id")).ok_or_else(|| "a source has no id".into())
}

/// `{"id", "status", "message", "report": {"total_added", "total_updated", "total_ignored"}}`.
pub fn import_status(body: &Value) -> Result<ImportStatus, String> {
    let status = text(body, "status").ok_or("the import answer has no status")?;
    let state = assumptions::import_state(&status)
        .ok_or_else(|| format!("the import has status '{}', which Koppel does not know", clip(&status)))?;
    let report = body.get("report");
    let count = |key: &str| report.and_then(|r| r.get(key)).and_then(Value::as_u64).unwrap_or(0);
    Ok(ImportStatus {
        state,
        added: count("total_added"),
        updated: count("total_updated"),
        ignored: count("total_ignored"),
        message: text(body, "message").map(|m| clip(&m)),
    })
}

/// `{"events": ["contact.unsubscribed", ...]}`; entries that are not strings are skipped.
pub fn webhook_events(body: &Value) -> Result<Vec<String>, String> {
    let events = body.get("events").and_then(Value::as_array).ok_or("the answer has no `events` list")?;
    Ok(events.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

/// `{"id", "event_name", "target_url", "enabled"}`; `id` comes from the body, else `fallback_id`
/// (from `Location`). Names missing from the answer are the ones sent.
pub fn registered_webhook(
    body: Option<&Value>,
    fallback_id: Option<String>,
    event_name: &str,
    target_url: &str,
) -> Result<RegisteredWebhook, String> {
    let id = body.and_then(|b| id_text(b.get("id"))).or(fallback_id).ok_or("the new webhook's id is missing")?;
    Ok(RegisteredWebhook {
        id,
        event_name: body.and_then(|b| text(b, "event_name")).unwrap_or_else(|| event_name.to_string()),
        target_url: body.and_then(|b| text(b, "target_url")).unwrap_or_else(|| target_url.to_string()),
    })
}

/// Provider text quoted in an error or status: at most 300 characters.
fn clip(text: &str) -> String {
    text.chars().take(super::errors::MAX_MESSAGE).collect()
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
