//! Request bodies, exactly as the wire contract fixes them. Optional fields the caller left
//! empty are omitted rather than sent as `null`, so an update or an import never clears a
//! value in Flexmail by accident.

use koppel_core::ports::newsletter::{ContactWrite, ImportRecord};
use serde_json::{Map, Value, json};

/// Imports never resubscribe blacklisted or unsubscribed contacts: doing so needs fresh consent
/// (§2.9), which Koppel does not collect.
pub const RESUBSCRIBE_BLACKLISTED_CONTACTS: bool = false;

/// `POST /contacts`: `{email, first_name?, name?, language, source: <number>, custom_fields?}`.
/// A source id that is not a number is sent as text (Flexmail then says what it thinks of it).
pub fn create_contact(contact: &ContactWrite, source_id: &str) -> Value {
    let mut body = Map::new();
    body.insert("email".into(), json!(contact.email));
    names(&mut body, contact);
    body.insert("language".into(), json!(contact.language));
    let source = source_id.trim().parse::<u64>().map_or_else(|_| json!(source_id), |n| json!(n));
    body.insert("source".into(), source);
    if !contact.custom_fields.is_empty() {
        body.insert("custom_fields".into(), json!(contact.custom_fields));
    }
    Value::Object(body)
}

/// `PATCH /contacts/{id}`: `{first_name?, name?, language?, custom_fields?}` (the e-mail address
/// is the key and is not changed).
pub fn update_contact(contact: &ContactWrite) -> Value {
    let mut body = Map::new();
    names(&mut body, contact);
    if !contact.language.trim().is_empty() {
        body.insert("language".into(), json!(contact.language));
    }
    if !contact.custom_fields.is_empty() {
        body.insert("custom_fields".into(), json!(contact.custom_fields));
    }
    Value::Object(body)
}

/// `POST /contacts/{id}/interest-subscriptions`: `{"interest_id": "<id>"}`.
pub fn interest_subscription(interest_id: &str) -> Value {
    json!({ "interest_id": interest_id })
}

/// `POST /contacts/imports`: `{"id": "<uuid>", "resubscribe_blacklisted_contacts": false}`.
pub fn create_import(import_id: &str) -> Value {
    json!({ "id": import_id, "resubscribe_blacklisted_contacts": RESUBSCRIBE_BLACKLISTED_CONTACTS })
}

/// `POST /contacts/imports/{id}/records`: an array of `{email, first_name?, name?, language,
/// custom_fields{}, interest_labels[]}`.
pub fn import_records(records: &[ImportRecord]) -> Value {
    Value::Array(records.iter().map(import_record).collect())
}

fn import_record(record: &ImportRecord) -> Value {
    let contact = &record.contact;
    let mut body = Map::new();
    body.insert("email".into(), json!(contact.email));
    names(&mut body, contact);
    body.insert("language".into(), json!(contact.language));
    body.insert("custom_fields".into(), json!(contact.custom_fields));
    body.insert("interest_labels".into(), json!(record.interest_labels));
    Value::Object(body)
}

/// `PATCH /contacts/imports/{id}`: `{"status": "queued"}`.
pub fn start_import() -> Value {
    json!({ "status": super::assumptions::IMPORT_QUEUED })
}

/// `POST /webhooks`: `{event_name, target_url, verification_token}`.
pub fn register_webhook(event_name: &str, target_url: &str, verification_token: &str) -> Value {
    json!({ "event_name": event_name, "target_url": target_url, "verification_token": verification_token })
}

fn names(body: &mut Map<String, Value>, contact: &ContactWrite) {
    if let Some(first_name) = &contact.first_name {
        body.insert("first_name".into(), json!(first_name));
    }
    if let Some(name) = &contact.name {
        body.insert("name".into(), json!(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn an() -> ContactWrite {
        ContactWrite {
            email: "an@example.be".into(),
            first_name: Some("An".into()),
            name: None,
            language: "nl".into(),
            custom_fields: BTreeMap::from([("city".to_string(), "Gent".to_string())]),
        }
    }

    #[test]
    fn contact_bodies() {
        assert_eq!(
            create_contact(&an(), "42"),
            json!({"email": "an@example.be", "first_name": "An", "language": "nl", "source": 42,
                "custom_fields": {"city": "Gent"}})
        );
        let bare = ContactWrite { first_name: None, custom_fields: BTreeMap::new(), ..an() };
        assert_eq!(
            create_contact(&bare, "src-x"),
            json!({"email": "an@example.be", "language": "nl", "source": "src-x"})
        );
        assert_eq!(
            update_contact(&an()),
            json!({"first_name": "An", "language": "nl", "custom_fields": {"city": "Gent"}})
        );
    }

    #[test]
    fn import_bodies() {
        let record = ImportRecord { contact: an(), interest_labels: vec!["news".into()] };
        assert_eq!(
            import_records(&[record]),
            json!([{"email": "an@example.be", "first_name": "An", "language": "nl",
                "custom_fields": {"city": "Gent"}, "interest_labels": ["news"]}])
        );
        assert_eq!(create_import("u-1"), json!({"id": "u-1", "resubscribe_blacklisted_contacts": false}));
        assert_eq!(start_import(), json!({"status": "queued"}));
    }
}
