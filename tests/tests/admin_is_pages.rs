//! The Admin IS connector's full import against the stand-in: `per_page` = `MaxRecordsPerPage`,
//! paging by the `link` header across pages (the position kept as the page token), records with
//! their addresses, a next link to another host refused, 404 "nothing found" as an empty page,
//! 5xx retried, and the office's own error text quoted.

use std::collections::BTreeSet;

use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::{ConnectorError, PageNext, PageRequest, RemoteRecord, SourceSession};
use koppel_sandbox::admin_is::{AdminIsConfig, AdminIsSandbox, RunningAdminIs, StandInClock};
use koppel_tests::admin_is::{Wired, credentials, wired};

async fn office(config: AdminIsConfig, wired: &Wired) -> RunningAdminIs {
    let clock = wired.clock.clone();
    let config =
        AdminIsConfig { clock: StandInClock::from_fn(move || koppel_core::ports::Clock::now(&*clock)), ..config };
    AdminIsSandbox::new(config).start_local().await.expect("stand-in")
}

fn request(token: Option<String>) -> PageRequest {
    PageRequest {
        stream: StreamKind::Customers,
        start_date: chrono::NaiveDate::default(),
        modified_after: None,
        skip: 0,
        top: 500,
        token,
    }
}

#[tokio::test]
async fn a_full_import_follows_the_link_header_across_pages() {
    let w = wired();
    let office =
        office(AdminIsConfig { customers: 23, max_per_page: 10, default_per_page: 4, ..Default::default() }, &w).await;
    let started = koppel_core::ports::Clock::now(&*w.clock);
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    let (mut seen, mut sizes, mut token) = (BTreeSet::new(), Vec::new(), None);
    loop {
        // Every page in a session of its own, as continuations do: the position is all that is kept.
        let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
        let page = session.fetch_page(&request(token.clone())).await.expect("page");
        sizes.push(page.raw_len);
        for record in page.records {
            let Ok(RemoteRecord::Customer(c)) = record else { panic!("a customer: {record:?}") };
            assert_eq!(c.modified_on, Some(started), "the pass start, so the change feed takes over from there");
            assert!(c.address.city.is_some() && c.address.street.is_some(), "address from customeraddresses: {c:?}");
            assert!(seen.insert(c.remote_id.clone()), "{} twice", c.remote_id);
        }
        match page.next {
            PageNext::Token(t) => {
                assert!(!t.contains(office.api_key()), "the position holds no secret");
                token = Some(t);
            }
            PageNext::End => break,
            PageNext::ByLength => panic!("Admin IS pages by link"),
        }
    }
    assert_eq!(sizes, vec![10, 10, 3], "MaxRecordsPerPage (10), not the default (4)");
    assert_eq!(seen.len(), office.data().len());
    let pages: Vec<String> = office
        .stats()
        .recent
        .iter()
        .filter(|r| r.path == "/api/v1/customers")
        .filter_map(|r| r.query.clone())
        .collect();
    assert_eq!(pages, vec!["per_page=10", "per_page=10&page=2", "per_page=10&page=3"]);
    drop(session);
}

#[tokio::test]
async fn inactive_customers_are_flagged_and_names_read() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 60, ..Default::default() }, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    let page = session.fetch_page(&request(None)).await.expect("page");
    assert_eq!(page.next, PageNext::End, "60 rows fit one page of 500");
    let data = office.data();
    let mut inactive = 0;
    for record in page.records {
        let Ok(RemoteRecord::Customer(c)) = record else { panic!("{record:?}") };
        let source = data.customer(c.remote_id.parse().unwrap_or_default()).expect("in the stand-in");
        assert_eq!(c.inactive, !source.is_active);
        assert_eq!(c.vat_number, source.vat_nr);
        assert_eq!(c.customer_number, source.cust_code);
        let expected = match (&source.firstname, source.is_company) {
            (Some(first), false) => format!("{first} {}", source.name),
            _ => source.name.clone(),
        };
        assert_eq!(c.name, expected);
        inactive += usize::from(c.inactive);
    }
    assert!(inactive > 0, "the generated office has inactive customers");
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 30, max_per_page: 10, ..Default::default() }, &w).await;
    office.faults().links_to(Some("evil.example:2100"));
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    let err = session.fetch_page(&request(None)).await.expect_err("refused");
    let ConnectorError::Parse { message, .. } = &err else { panic!("parse error, got {err:?}") };
    assert!(message.contains("http://evil.example:2100") && message.contains("does not send the token"), "{message}");
    // A position saved before cannot send the token elsewhere either.
    let forged =
        r#"{"kind":"full","started":"2026-11-21T09:00:00Z","next":"http://evil.example/api/v1/customers?page=2"}"#;
    let err = session.fetch_page(&request(Some(forged.into()))).await.expect_err("refused");
    assert!(matches!(err, ConnectorError::Parse { .. }), "{err:?}");
    assert_eq!(office.stats().calls("GET /api/v1/customers"), 1, "nothing more was asked");
}

#[tokio::test]
async fn nothing_found_is_an_empty_last_page() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 0, ..Default::default() }, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    let page = session.fetch_page(&request(None)).await.expect("empty is not an error");
    assert_eq!((page.records.len(), page.raw_len, page.next), (0, 0, PageNext::End));
    assert_eq!(office.stats().status(404), 1, "the office answered 404 Nothing found");
    assert_eq!(office.stats().calls("GET /api/v1/customeraddresses"), 0, "no addresses asked for no customers");
}

#[tokio::test]
async fn server_errors_are_retried_and_counted() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 5, ..Default::default() }, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    session.probe().await.expect("probe");
    office.faults().server_error(2, 503);
    let page = session.fetch_page(&request(None)).await.expect("page after two 503s");
    assert_eq!(page.raw_len, 5);
    assert_eq!(w.sleeper.waits().len(), 2, "two backoff waits through the sleeper");
    assert_eq!(session.api_calls(), 2 + 3 + 1, "token, settings, customers x3, addresses");

    office.faults().server_error(4, 500);
    let err = session.fetch_page(&request(None)).await.expect_err("still failing");
    assert!(matches!(err, ConnectorError::Server { status: 500, .. }), "{err:?}");
    assert!(err.is_transient());
}

#[tokio::test]
async fn the_offices_error_text_is_quoted() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 5, ..Default::default() }, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    // A position whose link the office does not understand: 400 with {"ErrorMessage": "..."}.
    let base = office.base_url();
    let odd = format!(
        r#"{{"kind":"full","started":"2026-11-21T09:00:00Z","next":"{base}/api/v1/customers?Filter=Unknown%20eq%201"}}"#
    );
    let err = session.fetch_page(&request(Some(odd))).await.expect_err("400");
    let ConnectorError::Rejected { status, message, .. } = &err else { panic!("rejected, got {err:?}") };
    assert_eq!((*status, message.as_str()), (400, "Filter field 'Unknown' does not exist"));
}
