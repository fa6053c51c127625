use super::*;
use koppel_core::ports::newsletter::ImportState;
use serde_json::json;

#[test]
fn contact_rows() {
    let row = json!({
        "id": 123, "email": "an@example.be", "first_name": "An", "name": null, "language": "nl",
        "custom_fields": {"city": "Gent", "age": 42, "score": 1.5, "vip": true, "gone": null},
        "subscribed": false, "_links": {"self": {"href": "/contacts/123"}}
    });
    let contact = contact(&row);
    let expected = RemoteContact {
        id: "123".into(),
        email: "an@example.be".into(),
        first_name: Some("An".into()),
        name: None,
        language: Some("nl".into()),
        custom_fields: [("age", "42"), ("city", "Gent"), ("score", "1.5"), ("vip", "true")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        subscribed: false,
    };
    assert_eq!(contact, Ok(expected));
}

#[test]
fn contact_defaults() {
    let parsed = contact(&json!({"id": "9", "email": "b@example.be"}));
    assert!(matches!(&parsed, Ok(c) if c.subscribed && c.custom_fields.is_empty() && c.language.is_none()));
    assert!(contact(&json!({"email": "b@example.be"})).is_err());
    assert!(contact(&json!({"id": 1})).is_err());
}

#[test]
fn custom_fields_and_interests() {
    let field = custom_field(&json!({"id": "cf1", "name": "Stad", "type": "text", "placeholder": "city"}));
    assert_eq!(field, Ok(CustomField { id: "cf1".into(), name: "Stad".into(), placeholder: "city".into() }));
    assert!(custom_field(&json!({"id": "cf1", "name": "Stad"})).is_err());
    let i = interest(&json!({"id": "i1", "name": "Nieuws", "label": "news", "visibility": "public"}));
    assert_eq!(i, Ok(Interest { id: "i1".into(), name: "Nieuws".into(), label: "news".into() }));
    let i = interest(&json!({"id": 5, "name": "Nieuws"}));
    assert_eq!(i, Ok(Interest { id: "5".into(), name: "Nieuws".into(), label: "Nieuws".into() }));
    assert!(interest(&json!({"id": 5})).is_err());
}

#[test]
fn import_statuses() {
    let body = json!({"id": "u", "status": "finished", "message": "ok",
        "report": {"total_added": 3, "total_updated": 2, "total_ignored": 1}});
    let status = import_status(&body);
    let expected =
        ImportStatus { state: ImportState::Done, added: 3, updated: 2, ignored: 1, message: Some("ok".into()) };
    assert_eq!(status, Ok(expected));
    let idle = import_status(&json!({"status": "idle"}));
    assert!(matches!(idle, Ok(ImportStatus { state: ImportState::Pending, added: 0, message: None, .. })));
    let failed = import_status(&json!({"status": "failed", "message": "bad file"}));
    assert!(matches!(failed, Ok(ImportStatus { state: ImportState::Failed, .. })));
    assert!(matches!(import_status(&json!({"status": "weird"})), Err(e) if e.contains("'weird'")));
    assert!(import_status(&json!({})).is_err());
}

#[test]
fn webhooks() {
    assert_eq!(webhook_events(&json!({"events": ["a", 1, "b"]})), Ok(vec!["a".to_string(), "b".to_string()]));
    assert!(webhook_events(&json!({})).is_err());
    let body = json!({"id": 7, "event_name": "contact.bounced", "target_url": "https://x/y", "enabled": true});
    let hook = registered_webhook(Some(&body), None, "e", "t");
    assert_eq!(
        hook,
        Ok(RegisteredWebhook {
            id: "7".into(),
            event_name: "contact.bounced".into(),
            target_url: "https://x/y".into()
        })
    );
    let hook = registered_webhook(None, Some("8".into()), "e", "t");
    assert_eq!(hook, Ok(RegisteredWebhook { id: "8".into(), event_name: "e".into(), target_url: "t".into() }));
    assert!(registered_webhook(Some(&json!({})), None, "e", "t").is_err());
}
