//! The read calls: request shapes (method, path, query, auth) and answer parsing.

mod flexmail_common;

use flexmail_common::*;
use koppel_core::ports::newsletter::{
    ContactPage, CustomField, ImportState, ImportStatus, Interest, NewsletterApi, RemoteContact,
};
use koppel_core::ports::source::ConnectorError;
use serde_json::json;
use std::collections::BTreeMap;
use wiremock::matchers::query_param;

fn contact(n: u64) -> RemoteContact {
    RemoteContact {
        id: n.to_string(),
        email: format!("contact{n}@example.be"),
        first_name: Some(format!("First{n}")),
        name: Some(format!("Last{n}")),
        language: Some("nl".into()),
        custom_fields: BTreeMap::from([("city".into(), "Gent".into()), ("number".into(), n.to_string())]),
        subscribed: true,
    }
}

#[tokio::test]
async fn probe_reads_one_source() {
    let fx = Fixture::new().await;
    fx.once(
        call("GET", "/sources").and(query_param("limit", "1")),
        json_answer(200, hal(3, vec![json!({"id": 1, "name": "API"})])),
    )
    .await;
    let session = fx.session();
    assert_eq!(session.probe().await, Ok(()));
    assert_eq!(query(&fx.only_request().await), "limit=1");
    assert_eq!(session.api_calls(), 1);
}

#[tokio::test]
async fn probe_accepts_an_account_without_sources() {
    let fx = Fixture::new().await;
    fx.once(call("GET", "/sources"), json_answer(200, json!({"total": 0, "limit": 1, "offset": 0}))).await;
    assert_eq!(fx.session().probe().await, Ok(()));
}

#[tokio::test]
async fn default_source_is_the_first_source() {
    let fx = Fixture::new().await;
    let sources = hal(2, vec![json!({"id": 17, "name": "Koppel"}), json!({"id": 18, "name": "Other"})]);
    fx.once(call("GET", "/sources").and(query_param("limit", "500")), json_answer(200, sources)).await;
    assert_eq!(fx.session().default_source().await, Ok("17".to_string()));
    assert_eq!(query(&fx.only_request().await), "limit=500");
}

#[tokio::test]
async fn no_source_is_a_clear_refusal() {
    let fx = Fixture::new().await;
    fx.once(call("GET", "/sources"), json_answer(200, json!({"total": 0}))).await;
    let err = fx.session().default_source().await.err();
    let Some(ConnectorError::Rejected { status: 0, message, .. }) = &err else { panic!("{err:?}") };
    assert!(message.contains("no contact source"), "{message}");
}

#[tokio::test]
async fn custom_fields_are_not_paged() {
    let fx = Fixture::new().await;
    let rows = vec![
        json!({"id": "cf-1", "name": "Stad", "type": "text", "placeholder": "city"}),
        json!({"id": "cf-2", "name": "Nummer", "type": "numeric", "placeholder": "number"}),
    ];
    fx.once(call("GET", "/custom-fields"), json_answer(200, hal(2, rows))).await;
    let fields = fx.session().custom_fields().await;
    let expected = vec![
        CustomField { id: "cf-1".into(), name: "Stad".into(), placeholder: "city".into() },
        CustomField { id: "cf-2".into(), name: "Nummer".into(), placeholder: "number".into() },
    ];
    assert_eq!(fields, Ok(expected));
    assert_eq!(query(&fx.only_request().await), "");
}

#[tokio::test]
async fn interests_ask_for_one_full_page() {
    let fx = Fixture::new().await;
    let rows = vec![json!({"id": "i-1", "name": "Nieuws", "label": "news", "description": "", "visibility": "public"})];
    let list = call("GET", "/interests").and(query_param("limit", "500")).and(query_param("offset", "0"));
    fx.once(list, json_answer(200, hal(1, rows))).await;
    let interests = fx.session().interests().await;
    assert_eq!(interests, Ok(vec![Interest { id: "i-1".into(), name: "Nieuws".into(), label: "news".into() }]));
    assert_eq!(query(&fx.only_request().await), "limit=500&offset=0");
}

#[tokio::test]
async fn contacts_page_reads_rows_and_total() {
    let fx = Fixture::new().await;
    let mut unsubscribed = contact_row(3);
    unsubscribed["subscribed"] = json!(false);
    let page = hal(1203, vec![contact_row(1), contact_row(2), unsubscribed]);
    let list = call("GET", "/contacts").and(query_param("limit", "3")).and(query_param("offset", "1200"));
    fx.once(list, json_answer(200, page)).await;
    let session = fx.session();
    let page = session.contacts_page(1200, 3).await;
    let third = RemoteContact { subscribed: false, ..contact(3) };
    assert_eq!(page, Ok(ContactPage { contacts: vec![contact(1), contact(2), third], total: 1203 }));
    assert_eq!(query(&fx.only_request().await), "limit=3&offset=1200");
    assert_eq!(session.api_calls(), 1);
}

#[tokio::test]
async fn an_empty_contact_list_has_no_embedded_key() {
    let fx = Fixture::new().await;
    fx.once(call("GET", "/contacts"), json_answer(200, json!({"total": 0, "limit": 500, "offset": 0, "_links": {}})))
        .await;
    assert_eq!(fx.session().contacts_page(0, 500).await, Ok(ContactPage { contacts: vec![], total: 0 }));
}

#[tokio::test]
async fn the_limit_is_capped_at_500() {
    let fx = Fixture::new().await;
    fx.once(call("GET", "/contacts").and(query_param("limit", "500")), json_answer(200, hal(0, vec![]))).await;
    assert!(fx.session().contacts_page(0, 10_000).await.is_ok());
}

#[tokio::test]
async fn a_page_past_the_end_keeps_the_total() {
    let fx = Fixture::new().await;
    fx.once(call("GET", "/contacts"), json_answer(200, json!({"total": 2, "limit": 500, "offset": 500}))).await;
    assert_eq!(fx.session().contacts_page(500, 500).await, Ok(ContactPage { contacts: vec![], total: 2 }));
}

#[tokio::test]
async fn an_unreadable_contact_row_fails_the_page() {
    let fx = Fixture::new().await;
    fx.once(call("GET", "/contacts"), json_answer(200, hal(2, vec![contact_row(1), json!({"id": 2})]))).await;
    let err = fx.session().contacts_page(0, 500).await.err();
    assert!(matches!(&err, Some(ConnectorError::Parse { message, .. }) if message.contains("no e-mail")), "{err:?}");
}

#[tokio::test]
async fn find_by_email_sends_the_address_as_a_filter() {
    let fx = Fixture::new().await;
    let mut row = contact_row(5);
    row["email"] = json!("A+B@Example.be");
    fx.once(call("GET", "/contacts").and(query_param("email", "a+b@example.be")), json_answer(200, hal(1, vec![row])))
        .await;
    let found = fx.session().find_by_email("a+b@example.be").await;
    assert_eq!(found, Ok(Some(RemoteContact { email: "A+B@Example.be".into(), ..contact(5) })));
    assert_eq!(query(&fx.only_request().await), "email=a%2Bb%40example.be");
}

#[tokio::test]
async fn find_by_email_without_a_match_is_none() {
    let fx = Fixture::new().await;
    fx.once(call("GET", "/contacts").and(query_param("email", "nobody@example.be")), json_answer(200, hal(0, vec![])))
        .await;
    assert_eq!(fx.session().find_by_email("nobody@example.be").await, Ok(None));
}

#[tokio::test]
async fn find_by_email_ignores_rows_for_another_address() {
    let fx = Fixture::new().await;
    fx.once(call("GET", "/contacts"), json_answer(200, hal(2, vec![contact_row(1), contact_row(2)]))).await;
    assert_eq!(fx.session().find_by_email("someone@example.be").await, Ok(None));
}

#[tokio::test]
async fn import_status_is_read() {
    let fx = Fixture::new().await;
    let id = "7f1d6c1e-2b7a-4a49-9c43-5d0d1f0e8a11";
    let body = json!({"id": id, "status": "finished", "message": null,
        "report": {"total_added": 10, "total_updated": 4, "total_ignored": 1}});
    fx.once(call("GET", &format!("/contacts/imports/{id}")), json_answer(200, body)).await;
    let status = fx.session().import_status(id).await;
    let expected = ImportStatus { state: ImportState::Done, added: 10, updated: 4, ignored: 1, message: None };
    assert_eq!(status, Ok(expected));
}

#[tokio::test]
async fn import_statuses_map_to_states() {
    let fx = Fixture::new().await;
    let session = fx.session();
    for (n, (status, state)) in [
        ("idle", ImportState::Pending),
        ("queued", ImportState::Pending),
        ("processing", ImportState::Pending),
        ("failed", ImportState::Failed),
    ]
    .into_iter()
    .enumerate()
    {
        let id = format!("import-{n}");
        fx.once(call("GET", &format!("/contacts/imports/{id}")), json_answer(200, json!({"id": id, "status": status})))
            .await;
        assert_eq!(session.import_status(&id).await.map(|s| s.state), Ok(state), "{status}");
    }
    fx.once(call("GET", "/contacts/imports/odd"), json_answer(200, json!({"status": "exploded"}))).await;
    let err = session.import_status("odd").await.err();
    assert!(matches!(&err, Some(ConnectorError::Parse { message, .. }) if message.contains("'exploded'")), "{err:?}");
    assert_eq!(session.api_calls(), 5);
}

#[tokio::test]
async fn webhook_events_are_listed() {
    let fx = Fixture::new().await;
    let body = json!({"events": ["contact.unsubscribed", "contact.clicked", "contact.bounced"]});
    fx.once(call("GET", "/webhook-events"), json_answer(200, body)).await;
    let events = fx.session().webhook_events().await;
    assert_eq!(events, Ok(vec!["contact.unsubscribed".into(), "contact.clicked".into(), "contact.bounced".into()]));
}
