//! The AdminPulse connector's requests against wiremock: the exact list and probe calls, page
//! tokens and the page math, the bearer it chooses, and rows it cannot use.

mod adminpulse_common;

use adminpulse_common::*;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, PageNext, RemoteRecord, SourceSession};
use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn the_probe_is_one_relation_and_names_no_office() {
    let fx = Fixture::new(400).await;
    Mock::given(method("GET"))
        .and(path("/relations"))
        .and(query_param("pageSize", "1"))
        .and(query_param_is_missing("page"))
        .and(header("Authorization", format!("Bearer {API_KEY}").as_str()))
        .respond_with(listing(1, 2, 0, 1, 37, 37))
        .expect(1)
        .mount(&fx.server)
        .await;
    let session = fx.session();
    let probe = session.probe().await;
    assert_eq!(probe.map(|p| p.account), Ok(None));
    assert_eq!(session.api_calls(), 1);
}

#[tokio::test]
async fn three_pages_continue_by_token_and_stop_at_the_page_count() {
    let fx = Fixture::new(2).await;
    fx.page(0, 2, listing(1, 3, 0, 2, 3, 6), 1).await;
    fx.page(1, 2, listing(3, 5, 1, 2, 3, 6), 1).await;
    fx.page(2, 2, listing(5, 7, 2, 2, 3, 6), 1).await;
    let session = fx.session();
    let mut token = None;
    let mut ids = Vec::new();
    for expected in [PageNext::Token("1".into()), PageNext::Token("2".into()), PageNext::End] {
        let page = match session.fetch_page(&request(token.as_deref())).await {
            Ok(p) => p,
            Err(e) => panic!("page: {e}"),
        };
        assert_eq!(page.next, expected);
        assert_eq!(page.raw_len, 2);
        ids.extend(page.records.into_iter().filter_map(|r| r.ok()).map(|r| r.remote_id().to_string()));
        token = match page.next {
            PageNext::Token(t) => Some(t),
            _ => None,
        };
    }
    assert_eq!(ids.len(), 6);
    assert_eq!(ids[5], "00000000-0000-4000-8000-000000000006");
    assert_eq!(session.api_calls(), 3, "an exact multiple of the page size costs no empty call");
}

#[tokio::test]
async fn a_short_page_ends_the_scan_even_without_a_page_count() {
    let fx = Fixture::new(400).await;
    let rows: Vec<_> = (1..4).map(relation).collect();
    fx.page(5, 400, ResponseTemplate::new(200).set_body_json(json!({"results": rows})), 1).await;
    let page = fx.session().fetch_page(&request(Some("5"))).await;
    assert_eq!(page.map(|p| (p.raw_len, p.next)), Ok((3, PageNext::End)));
}

#[tokio::test]
async fn relations_become_customers() {
    let fx = Fixture::new(400).await;
    fx.page(0, 400, listing(7, 8, 0, 400, 1, 1), 1).await;
    let page = fx.session().fetch_page(&request(None)).await;
    let Ok(mut page) = page else { panic!("page") };
    let Some(Ok(RemoteRecord::Customer(c))) = page.records.pop() else { panic!("a customer") };
    assert_eq!(c.remote_id, "00000000-0000-4000-8000-000000000007");
    assert_eq!(c.customer_number.as_deref(), Some("100007"));
    assert_eq!(c.name, "Klant 7 BV");
    assert_eq!(c.vat_number.as_deref(), Some("BE0200000007"));
    assert_eq!(c.email.as_deref(), Some("relatie7@example.be"));
    assert_eq!(c.modified_on, None);
}

#[tokio::test]
async fn bad_rows_are_record_problems_and_the_page_goes_on() {
    let fx = Fixture::new(400).await;
    let body = json!({"results": [
        relation(1), "not an object", {"uniqueIdentifier": "100002", "name": "Zonder id"},
        {"id": "x3", "name": "", "commercialName": null}, relation(5)
    ], "pageCount": 1});
    fx.page(0, 400, ResponseTemplate::new(200).set_body_json(body), 1).await;
    let Ok(page) = fx.session().fetch_page(&request(None)).await else { panic!("page") };
    assert_eq!(page.raw_len, 5);
    let oks = page.records.iter().filter(|r| r.is_ok()).count();
    let problems: Vec<_> = page.records.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!((oks, problems.len()), (2, 3));
    assert!(problems[1].reason.contains("100002"), "{:?}", problems[1]);
    assert_eq!(problems[2].remote_id.as_deref(), Some("x3"));
    assert_eq!(page.next, PageNext::End);
}

#[tokio::test]
async fn an_unreadable_list_is_a_parse_error() {
    let fx = Fixture::new(400).await;
    fx.page(0, 400, ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"), 1).await;
    fx.page(1, 400, ResponseTemplate::new(200).set_body_json(json!({"items": []})), 1).await;
    let session = fx.session();
    assert!(matches!(session.fetch_page(&request(None)).await, Err(ConnectorError::Parse { .. })));
    let e = session.fetch_page(&request(Some("1"))).await.err();
    assert!(matches!(&e, Some(ConnectorError::Parse { message, .. }) if message.contains("results")), "{e:?}");
}

#[tokio::test]
async fn the_access_token_is_sent_when_the_connection_has_one() {
    let fx = Fixture::new(400).await;
    relations(0, 400, ACCESS_TOKEN).respond_with(listing(1, 2, 0, 400, 1, 1)).expect(1).mount(&fx.server).await;
    let both = Credentials::new()
        .with("api_key", SecretString::from(API_KEY.to_string()))
        .with("access_token", SecretString::from(ACCESS_TOKEN.to_string()));
    let page = fx.session_with(&both).fetch_page(&request(None)).await;
    assert!(page.is_ok(), "{page:?}");
}

#[tokio::test]
async fn other_streams_are_refused_without_a_call() {
    let fx = Fixture::new(400).await;
    let session = fx.session();
    let mut invoices = request(None);
    invoices.stream = StreamKind::Invoices;
    let e = session.fetch_page(&invoices).await.err();
    assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })), "{e:?}");
    assert_eq!(session.api_calls(), 0);
}

#[tokio::test]
async fn no_bearer_is_a_missing_credential() {
    let fx = Fixture::new(400).await;
    let e = fx.factory.open_session(&Credentials::new().with("auth_mode", SecretString::from("api_key".to_string())));
    assert_eq!(e.err(), Some(ConnectorError::MissingCredential("api_key".into())));
}
