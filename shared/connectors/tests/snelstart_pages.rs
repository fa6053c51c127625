//! Page requests → OData queries, rows → records, against wiremock.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::{ConnectorError, PageRequest, RemoteRecord, SourceSession};
use serde_json::{Value, json};
use wiremock::ResponseTemplate;
use wiremock::matchers::{query_param, query_param_is_missing};

fn request(stream: StreamKind, skip: u64, top: u32) -> PageRequest {
    PageRequest {
        stream,
        start_date: NaiveDate::from_ymd_opt(2019, 5, 28).unwrap_or_default(),
        modified_after: None,
        skip,
        top,
        token: None,
    }
}

#[tokio::test]
async fn customers_first_run_reads_all_relaties_without_filter() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    api_mock("/relaties", TOKEN_1)
        .and(query_param("$top", "3"))
        .and(query_param("$skip", "6"))
        .and(query_param_is_missing("$filter"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([relatie(7), relatie(8)])))
        .expect(1)
        .mount(&fx.server)
        .await;
    let page = fx.session().fetch_page(&request(StreamKind::Customers, 6, 3)).await;
    let Ok(page) = page else { panic!("page reads: {page:?}") };
    assert_eq!(page.raw_len, 2, "a short page");
    let Some(Ok(RemoteRecord::Customer(c))) = page.records.first() else { panic!("first record is a customer") };
    assert_eq!(c.customer_number.as_deref(), Some("1007"));
    assert_eq!(c.email.as_deref(), Some("klant7@example.nl"));
}

#[tokio::test]
async fn customers_incremental_filter_on_modified_on() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    api_mock("/relaties", TOKEN_1)
        .and(query_param("$filter", "ModifiedOn gt 2024-01-02T03:04:05.678Z"))
        .and(query_param("$top", "500"))
        .and(query_param("$skip", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&fx.server)
        .await;
    let after = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).single().map(|t| t + chrono::Duration::milliseconds(678));
    let req = PageRequest { modified_after: after, ..request(StreamKind::Customers, 0, 500) };
    assert_eq!(fx.session().fetch_page(&req).await.map(|p| p.raw_len), Ok(0));
}

#[tokio::test]
async fn invoices_and_payments_read_verkoopfacturen_from_the_start_date() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    let rows = json!([factuur(1), factuur(2)]);
    api_mock("/verkoopfacturen", TOKEN_1)
        .and(query_param(
            "$filter",
            "factuurdatum ge 2019-05-28T00:00:00.000Z and ModifiedOn gt 2024-01-01T00:00:00.000Z",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(rows.clone()))
        .expect(1)
        .mount(&fx.server)
        .await;
    // Payments ignore modified_after: openstaandSaldo can change without modifiedOn moving.
    api_mock("/verkoopfacturen", TOKEN_1)
        .and(query_param("$filter", "factuurdatum ge 2019-05-28T00:00:00.000Z"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rows))
        .expect(1)
        .mount(&fx.server)
        .await;
    let session = fx.session();
    let after = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single();
    let invoices =
        session.fetch_page(&PageRequest { modified_after: after, ..request(StreamKind::Invoices, 0, 500) }).await;
    let Ok(invoices) = invoices else { panic!("invoices read") };
    assert!(
        matches!(invoices.records.first(), Some(Ok(RemoteRecord::Invoice(i))) if i.amount_cents == 12_100 && i.outstanding_cents == 2_150)
    );
    let payments =
        session.fetch_page(&PageRequest { modified_after: after, ..request(StreamKind::Payments, 0, 500) }).await;
    let Ok(payments) = payments else { panic!("payments read") };
    assert_eq!(payments.raw_len, 2);
    assert!(matches!(payments.records.first(), Some(Ok(RemoteRecord::Payment(p))) if p.invoice_number == "20240001"));
}

#[tokio::test]
async fn a_page_larger_than_max_top_is_split_into_calls() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    let many: Vec<Value> = (0..500).map(relatie).collect();
    for (skip, top, rows) in [("100", "500", json!(many)), ("600", "200", json!([relatie(1)]))] {
        api_mock("/relaties", TOKEN_1)
            .and(query_param("$skip", skip))
            .and(query_param("$top", top))
            .respond_with(ResponseTemplate::new(200).set_body_json(rows))
            .expect(1)
            .mount(&fx.server)
            .await;
    }
    let page = fx.session().fetch_page(&request(StreamKind::Customers, 100, 700)).await;
    assert_eq!(page.map(|p| p.raw_len), Ok(501), "second call came back short, so the page ends there");
}

#[tokio::test]
async fn unreadable_rows_are_problems_not_a_failed_page() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    let mut broken = factuur(2);
    broken["factuurbedrag"] = json!("twaalf");
    fx.api("/verkoopfacturen", TOKEN_1, 200, json!([factuur(1), broken, 42]), 1).await;
    let page = fx.session().fetch_page(&request(StreamKind::Invoices, 0, 500)).await;
    let Ok(page) = page else { panic!("page reads") };
    assert_eq!(page.raw_len, 3);
    assert!(page.records[0].is_ok());
    let Err(problem) = &page.records[1] else { panic!("broken row is a problem") };
    assert_eq!(problem.remote_id.as_deref(), Some("11111111-0000-4000-8000-000000000002"));
    assert!(problem.reason.contains("factuurbedrag"), "{}", problem.reason);
    assert!(matches!(&page.records[2], Err(p) if p.remote_id.is_none()));
}

#[tokio::test]
async fn an_answer_that_is_not_an_array_is_a_parse_error() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    fx.api("/relaties", TOKEN_1, 200, json!({"items": []}), 1).await;
    let err = fx.session().fetch_page(&request(StreamKind::Customers, 0, 500)).await.err();
    assert!(matches!(err, Some(ConnectorError::Parse { .. })), "{err:?}");
}
