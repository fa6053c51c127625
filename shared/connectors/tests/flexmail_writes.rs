//! The write calls: exact request bodies, the create-id rule, and the statuses that count as done.

mod flexmail_common;

use flexmail_common::*;
use koppel_core::ports::newsletter::{ContactWrite, ImportRecord, NewsletterApi, RegisteredWebhook};
use koppel_core::ports::source::ConnectorError;
use serde_json::json;
use std::collections::BTreeMap;
use wiremock::ResponseTemplate;
use wiremock::matchers::{body_json, header};

const IMPORT: &str = "0b6a4c1e-9d2f-4f5e-8a7b-123456789abc";

fn an() -> ContactWrite {
    ContactWrite {
        email: "an@example.be".into(),
        first_name: Some("An".into()),
        name: Some("Peeters".into()),
        language: "nl".into(),
        custom_fields: BTreeMap::from([("city".into(), "Gent".into())]),
    }
}

fn create_body() -> serde_json::Value {
    json!({"email": "an@example.be", "first_name": "An", "name": "Peeters", "language": "nl", "source": 17,
        "custom_fields": {"city": "Gent"}})
}

#[tokio::test]
async fn create_reads_the_id_from_the_body() {
    let fx = Fixture::new().await;
    let answer =
        json_answer(201, json!({"id": 901, "email": "an@example.be"})).insert_header("Location", "/contacts/999");
    let create =
        call("POST", "/contacts").and(header("content-type", "application/json")).and(body_json(create_body()));
    fx.once(create, answer).await;
    let session = fx.session();
    assert_eq!(session.create_contact(&an(), "17").await, Ok(Some("901".to_string())));
    assert_eq!(session.api_calls(), 1);
}

#[tokio::test]
async fn create_falls_back_to_the_location_header() {
    let fx = Fixture::new().await;
    fx.once(call("POST", "/contacts"), ResponseTemplate::new(201).insert_header("Location", "/contacts/902")).await;
    assert_eq!(fx.session().create_contact(&an(), "17").await, Ok(Some("902".to_string())));
}

#[tokio::test]
async fn create_with_an_absolute_location() {
    let fx = Fixture::new().await;
    let location = format!("{}/contacts/903", fx.server.uri());
    let answer = ResponseTemplate::new(201).set_body_string("not json").insert_header("Location", location.as_str());
    fx.once(call("POST", "/contacts"), answer).await;
    assert_eq!(fx.session().create_contact(&an(), "17").await, Ok(Some("903".to_string())));
}

#[tokio::test]
async fn create_without_an_id_is_none() {
    let fx = Fixture::new().await;
    fx.once(call("POST", "/contacts"), ResponseTemplate::new(201)).await;
    assert_eq!(fx.session().create_contact(&an(), "17").await, Ok(None));
}

#[tokio::test]
async fn create_omits_empty_optional_fields() {
    let fx = Fixture::new().await;
    let bare = ContactWrite { first_name: None, name: None, custom_fields: BTreeMap::new(), ..an() };
    let body = json!({"email": "an@example.be", "language": "nl", "source": 17});
    fx.once(call("POST", "/contacts").and(body_json(body)), json_answer(201, json!({"id": 1}))).await;
    assert_eq!(fx.session().create_contact(&bare, "17").await, Ok(Some("1".to_string())));
}

#[tokio::test]
async fn update_patches_the_contact() {
    let fx = Fixture::new().await;
    let body = json!({"first_name": "An", "name": "Peeters", "language": "nl", "custom_fields": {"city": "Gent"}});
    fx.once(call("PATCH", "/contacts/901").and(body_json(body)), ResponseTemplate::new(204)).await;
    assert_eq!(fx.session().update_contact("901", &an()).await, Ok(()));
}

#[tokio::test]
async fn update_accepts_200_with_the_contact() {
    let fx = Fixture::new().await;
    fx.once(call("PATCH", "/contacts/901"), json_answer(200, contact_row(901))).await;
    assert_eq!(fx.session().update_contact("901", &an()).await, Ok(()));
}

#[tokio::test]
async fn subscribe_interest_posts_the_interest_id() {
    let fx = Fixture::new().await;
    let subscribe = call("POST", "/contacts/901/interest-subscriptions").and(body_json(json!({"interest_id": "i-1"})));
    fx.once(subscribe, ResponseTemplate::new(201)).await;
    assert_eq!(fx.session().subscribe_interest("901", "i-1").await, Ok(()));
}

#[tokio::test]
async fn subscribe_interest_409_means_already_subscribed() {
    let fx = Fixture::new().await;
    let answer = json_answer(409, json!({"message": "already subscribed"}));
    fx.once(call("POST", "/contacts/901/interest-subscriptions"), answer).await;
    assert_eq!(fx.session().subscribe_interest("901", "i-1").await, Ok(()));
}

#[tokio::test]
async fn unsubscribe_interest_deletes_and_404_is_done() {
    let fx = Fixture::new().await;
    fx.once(call("DELETE", "/contacts/901/interest-subscriptions/i-1"), ResponseTemplate::new(204)).await;
    fx.once(call("DELETE", "/contacts/902/interest-subscriptions/i-1"), json_answer(404, json!({"message": "gone"})))
        .await;
    let session = fx.session();
    assert_eq!(session.unsubscribe_interest("901", "i-1").await, Ok(()));
    assert_eq!(session.unsubscribe_interest("902", "i-1").await, Ok(()));
    assert_eq!(session.api_calls(), 2);
}

#[tokio::test]
async fn path_ids_are_percent_encoded() {
    let fx = Fixture::new().await;
    fx.once(call("DELETE", "/contacts/901/interest-subscriptions/a%2Fb%20c"), ResponseTemplate::new(204)).await;
    assert_eq!(fx.session().unsubscribe_interest("901", "a/b c").await, Ok(()));
}

#[tokio::test]
async fn blank_ids_are_refused_without_a_request() {
    let fx = Fixture::new().await;
    let session = fx.session();
    let err = session.update_contact(" ", &an()).await.err();
    assert!(matches!(err, Some(ConnectorError::Rejected { status: 0, .. })), "{err:?}");
    assert!(session.delete_webhook("").await.is_err());
    assert!(session.find_by_email("  ").await.is_err());
    assert_eq!(session.api_calls(), 0);
    assert!(fx.requests().await.is_empty());
}

#[tokio::test]
async fn an_import_is_created_filled_and_started() {
    let fx = Fixture::new().await;
    let create = json!({"id": IMPORT, "resubscribe_blacklisted_contacts": false});
    fx.once(call("POST", "/contacts/imports").and(body_json(create)), ResponseTemplate::new(201)).await;
    let records = json!([
        {"email": "an@example.be", "first_name": "An", "name": "Peeters", "language": "nl",
            "custom_fields": {"city": "Gent"}, "interest_labels": ["news"]},
        {"email": "bo@example.be", "language": "fr", "custom_fields": {}, "interest_labels": []}
    ]);
    let add = call("POST", &format!("/contacts/imports/{IMPORT}/records")).and(body_json(records));
    fx.once(add, ResponseTemplate::new(201)).await;
    let start = call("PATCH", &format!("/contacts/imports/{IMPORT}")).and(body_json(json!({"status": "queued"})));
    fx.once(start, ResponseTemplate::new(204)).await;

    let session = fx.session();
    assert_eq!(session.create_import(IMPORT).await, Ok(()));
    let bo = ContactWrite {
        email: "bo@example.be".into(),
        first_name: None,
        name: None,
        language: "fr".into(),
        custom_fields: BTreeMap::new(),
    };
    let records = [
        ImportRecord { contact: an(), interest_labels: vec!["news".into()] },
        ImportRecord { contact: bo, interest_labels: vec![] },
    ];
    assert_eq!(session.add_import_records(IMPORT, &records).await, Ok(()));
    assert_eq!(session.start_import(IMPORT).await, Ok(()));
    assert_eq!(session.api_calls(), 3);
}

#[tokio::test]
async fn more_than_500_records_are_refused_without_a_request() {
    let fx = Fixture::new().await;
    let records = vec![ImportRecord { contact: an(), interest_labels: vec![] }; 501];
    let session = fx.session();
    let err = session.add_import_records(IMPORT, &records).await.err();
    assert!(
        matches!(&err, Some(ConnectorError::Rejected { status: 0, message, .. }) if message.contains("501")),
        "{err:?}"
    );
    assert_eq!(session.api_calls(), 0);
}

#[tokio::test]
async fn a_webhook_is_registered() {
    let fx = Fixture::new().await;
    let body = json!({"event_name": "contact.unsubscribed", "target_url": "https://hooks.example/fm",
        "verification_token": "vt-123456"});
    let answer = json_answer(
        201,
        json!({"id": "wh-1", "event_name": "contact.unsubscribed",
        "target_url": "https://hooks.example/fm", "enabled": true}),
    );
    fx.once(call("POST", "/webhooks").and(body_json(body)), answer).await;
    let hook = fx.session().register_webhook("contact.unsubscribed", "https://hooks.example/fm", "vt-123456").await;
    let expected = RegisteredWebhook {
        id: "wh-1".into(),
        event_name: "contact.unsubscribed".into(),
        target_url: "https://hooks.example/fm".into(),
    };
    assert_eq!(hook, Ok(expected));
}

#[tokio::test]
async fn a_numeric_webhook_id_is_text() {
    let fx = Fixture::new().await;
    fx.once(call("POST", "/webhooks"), json_answer(201, json!({"id": 44, "enabled": true}))).await;
    let hook = fx.session().register_webhook("contact.clicked", "https://h/x", "vt-123456").await;
    assert_eq!(
        hook.map(|h| (h.id, h.event_name, h.target_url)),
        Ok(("44".into(), "contact.clicked".into(), "https://h/x".into()))
    );
}

#[tokio::test]
async fn a_webhook_answer_without_an_id_is_a_parse_error() {
    let fx = Fixture::new().await;
    fx.once(call("POST", "/webhooks"), json_answer(201, json!({"enabled": true}))).await;
    let err = fx.session().register_webhook("contact.clicked", "https://h/x", "vt-123456").await.err();
    assert!(matches!(err, Some(ConnectorError::Parse { .. })), "{err:?}");
}

#[tokio::test]
async fn the_verification_token_is_scrubbed_from_errors() {
    let fx = Fixture::new().await;
    let answer = json_answer(422, json!({"message": "bad token vt-123456", "errors": []}));
    fx.once(call("POST", "/webhooks"), answer).await;
    let err = fx.session().register_webhook("contact.clicked", "https://h/x", "vt-123456").await.err();
    assert!(
        matches!(&err, Some(ConnectorError::Rejected { status: 422, message, .. }) if message == "bad token ***"),
        "{err:?}"
    );
}

#[tokio::test]
async fn deleting_a_webhook_and_404_is_already_gone() {
    let fx = Fixture::new().await;
    fx.once(call("DELETE", "/webhooks/wh-1"), ResponseTemplate::new(204)).await;
    fx.once(call("DELETE", "/webhooks/wh-2"), ResponseTemplate::new(404)).await;
    let session = fx.session();
    assert_eq!(session.delete_webhook("wh-1").await, Ok(()));
    assert_eq!(session.delete_webhook("wh-2").await, Ok(()));
}

#[tokio::test]
async fn a_404_elsewhere_is_an_error() {
    let fx = Fixture::new().await;
    fx.once(call("PATCH", "/contacts/5"), json_answer(404, json!({"message": "Contact not found"}))).await;
    let err = fx.session().update_contact("5", &an()).await.err();
    assert_eq!(
        err,
        Some(ConnectorError::Rejected {
            provider: "Flexmail".into(),
            status: 404,
            message: "Contact not found".into()
        })
    );
}
