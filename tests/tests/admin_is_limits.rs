//! The Admin IS connector and the install's limits, against the stand-in on the test clock: the
//! `RateLimit` from `/apisettings` self-throttled (no throttling 403 when honoured, the waits go
//! through the sleeper), the throttling 403 retried after a wait, the permission 403 a
//! `Forbidden` with what to do, and an import without addresses when those are not allowed.

use std::time::Duration;

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
async fn the_rate_limit_from_the_settings_is_kept_without_a_single_throttling_403() {
    let w = wired();
    let config = AdminIsConfig { customers: 60, max_per_page: 10, rate_limit: 5, ..Default::default() };
    let office = office(config, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    let (mut records, mut token) = (0, None);
    loop {
        let page = session.fetch_page(&request(token)).await.expect("page");
        records += page.records.len();
        match page.next {
            PageNext::Token(t) => token = Some(t),
            _ => break,
        }
    }
    assert_eq!(records, 60);
    let stats = office.stats();
    let addresses = stats.calls("GET /api/v1/customeraddresses");
    assert!(addresses >= 6, "a call (or more) per page for its addresses: {addresses}");
    let calls = 2 + 6 + addresses;
    assert_eq!((stats.total, session.api_calls()), (calls, calls), "token, settings, 6 pages and their addresses");
    assert_eq!(
        (stats.throttled, stats.status(403)),
        (0, 0),
        "no call over the limit reached the office (it enforces 5 a minute)"
    );
    let waits = w.sleeper.waits();
    assert!(waits.iter().all(|d| *d <= Duration::from_secs(61)), "{waits:?}");
    // Five calls per 61-second window: call n goes in window (n - 1) / 5.
    assert_eq!(w.sleeper.total(), Duration::from_secs(61 * ((calls - 1) / 5)), "{waits:?}");
}

#[tokio::test]
async fn a_throttling_403_is_retried_after_a_wait() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 4, ..Default::default() }, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    session.probe().await.expect("probe");
    office.faults().throttle(2);
    let page = session.fetch_page(&request(None)).await.expect("page after two throttling 403s");
    assert_eq!(page.raw_len, 4);
    assert_eq!(w.sleeper.waits(), vec![Duration::from_secs(20), Duration::from_secs(20)], "a wait per 403");
    assert_eq!(office.stats().status(403), 2);

    office.faults().throttle(10);
    let err = session.fetch_page(&request(None)).await.expect_err("throttled throughout");
    assert!(matches!(err, ConnectorError::RateLimited { retry_after_secs: Some(20), .. }), "{err:?}");
    assert!(err.is_transient(), "the next run continues");
}

#[tokio::test]
async fn a_permission_403_is_forbidden_with_what_to_do() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 4, ..Default::default() }, &w).await;
    office.faults().no_permission(1, "/api/v1/customers");
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    let err = session.fetch_page(&request(None)).await.expect_err("no permission");
    let ConnectorError::Forbidden { message, .. } = &err else { panic!("forbidden, got {err:?}") };
    assert!(message.contains("/api/v1/customers") && message.contains("Syneton management console"), "{message}");
    assert!(message.contains("no valid configuration for token"), "the office's words are quoted: {message}");
    assert!(!err.is_transient());
    assert!(w.sleeper.waits().is_empty(), "a permission 403 is not retried");
}

#[tokio::test]
async fn without_permission_for_addresses_customers_come_without_address() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 30, max_per_page: 10, ..Default::default() }, &w).await;
    office.faults().no_permission(100, "/api/v1/customeraddresses");
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    let first = session.fetch_page(&request(None)).await.expect("page");
    let PageNext::Token(token) = first.next else { panic!("more pages") };
    let second = session.fetch_page(&request(Some(token))).await.expect("page");
    for record in first.records.into_iter().chain(second.records) {
        let Ok(RemoteRecord::Customer(c)) = record else { panic!("{record:?}") };
        assert_eq!(c.address, Default::default());
    }
    assert_eq!(office.stats().calls("GET /api/v1/customeraddresses"), 1, "asked once, then not again this session");
}
