//! The Admin IS connector against the stand-in: the token first, then the token header (and the
//! JSON UTF-8 content type) on every call; renewal before `TimeToLive` and once on a 401; a
//! refused key with a hint; and neither the key nor a token in any error or log line.

use std::io::Write;
use std::sync::{Arc, Mutex};

use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::{ConnectorError, PageRequest, SourceSession};
use koppel_sandbox::admin_is::{AdminIsConfig, AdminIsSandbox, RunningAdminIs, StandInClock};
use koppel_tests::admin_is::{Wired, credentials, wired};

async fn office(config: AdminIsConfig, wired: &Wired) -> RunningAdminIs {
    let clock = wired.clock.clone();
    let config =
        AdminIsConfig { clock: StandInClock::from_fn(move || koppel_core::ports::Clock::now(&*clock)), ..config };
    AdminIsSandbox::new(config).start_local().await.expect("stand-in")
}

fn first_page() -> PageRequest {
    PageRequest {
        stream: StreamKind::Customers,
        start_date: chrono::NaiveDate::default(),
        modified_after: None,
        skip: 0,
        top: 500,
        token: None,
    }
}

#[tokio::test]
async fn the_token_comes_first_then_its_header_on_every_call() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 12, max_per_page: 50, ..Default::default() }, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    let info = session.probe().await.expect("probe");
    let account = info.account.unwrap_or_default();
    assert!(account.contains("120 calls a minute") && account.contains("50 customers per page"), "{account}");
    let page = session.fetch_page(&first_page()).await.expect("page");
    assert_eq!(page.raw_len, 12);

    let stats = office.stats();
    let order: Vec<&str> = stats.recent.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        order,
        vec!["/api/v1/token/{key}", "/api/v1/apisettings", "/api/v1/customers", "/api/v1/customeraddresses"],
        "token first, settings once, then the data"
    );
    assert_eq!(stats.token_calls, 1);
    assert_eq!(stats.status(401), 0, "every call after the token carried it");
    assert_eq!(stats.without_json_utf8, 0, "Content-Type: application/json;charset=UTF-8 on every call");
    assert_eq!(session.api_calls(), stats.total, "every call counted, the token call included");
}

#[tokio::test]
async fn the_token_is_renewed_before_it_expires() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 3, ..Default::default() }, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    session.probe().await.expect("probe");
    // 20 minutes of token life; 19 min 31 s later it is due (30 s early).
    w.clock.advance(chrono::Duration::seconds(19 * 60 + 31));
    session.fetch_page(&first_page()).await.expect("page");
    let stats = office.stats();
    assert_eq!(stats.token_calls, 2, "renewed ahead of TimeToLive");
    assert_eq!(stats.status(401), 0, "never sent an expired token");
}

#[tokio::test]
async fn a_401_fetches_one_new_token_and_a_second_401_is_unauthorized() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 3, ..Default::default() }, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    session.probe().await.expect("probe");

    office.faults().expire_tokens();
    let page = session.fetch_page(&first_page()).await.expect("page after renewal");
    assert_eq!(page.raw_len, 3);
    let stats = office.stats();
    assert_eq!((stats.status(401), stats.token_calls), (1, 2), "one 401, one new token, then on");

    office.faults().unauthorized(2);
    let err = session.fetch_page(&first_page()).await.expect_err("401 twice");
    let ConnectorError::Unauthorized { what, hint, .. } = &err else { panic!("unauthorized, got {err:?}") };
    assert!(what.contains("freshly issued token") && hint.contains("management console"), "{what} / {hint}");
    assert_eq!(office.stats().token_calls, 3, "exactly one renewal for the two 401s");
}

#[tokio::test]
async fn a_wrong_key_or_an_inactive_software_is_refused_with_a_hint() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 1, ..Default::default() }, &w).await;
    let wrong = w.factory.open_session(&credentials(&office.base_url(), "not-the-key-123")).expect("session");
    let err = wrong.probe().await.expect_err("wrong key");
    let ConnectorError::Unauthorized { what, hint, .. } = &err else { panic!("unauthorized, got {err:?}") };
    assert_eq!(what, "the API key");
    assert!(hint.contains("API key is not valid") && hint.contains("set active"), "{hint}");
    assert!(!hint.contains("not-the-key-123"));

    office.faults().set_vendor_active(false);
    let inactive = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    let err = inactive.probe().await.expect_err("software inactive");
    assert!(matches!(&err, ConnectorError::Unauthorized { hint, .. } if hint.contains("not active")), "{err:?}");
    assert_eq!(inactive.api_calls(), 1, "a refused key is not retried");
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn neither_the_key_nor_a_token_appears_in_errors_or_logs() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let w = wired();
    let office = office(AdminIsConfig { customers: 8, max_per_page: 3, ..Default::default() }, &w).await;
    let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
    office.faults().server_error(1, 503);
    office.faults().throttle(1);
    session.probe().await.expect("probe through a 503 and a throttling 403");
    office.faults().expire_tokens();
    let mut errors = Vec::new();
    let mut request = first_page();
    loop {
        let page = session.fetch_page(&request).await.expect("page");
        match page.next {
            koppel_core::ports::source::PageNext::Token(t) => request.token = Some(t),
            _ => break,
        }
    }
    office.faults().no_permission(1, "/api/v1/customers");
    errors.push(session.fetch_page(&first_page()).await.expect_err("permission").to_string());
    office.faults().unauthorized(2);
    let refused = session.fetch_page(&first_page()).await.expect_err("unauthorized");
    errors.push(format!("{refused} {}", refused.hint()));
    let wrong = w.factory.open_session(&credentials(&office.base_url(), "wrong-key-987654")).expect("session");
    let refused = wrong.probe().await.expect_err("wrong key");
    errors.push(format!("{refused} {} {refused:?}", refused.hint()));
    errors.push(format!("{session:?}"));

    let text = String::from_utf8_lossy(&logs.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    assert!(text.contains("Admin IS answered 401"), "the logs were captured");
    let tokens = office.data().issued_tokens();
    assert!(tokens.len() >= 3, "{tokens:?}");
    let everything = format!("{text}\n{}", errors.join("\n"));
    for secret in tokens.iter().map(String::as_str).chain([office.api_key(), "wrong-key-987654"]) {
        assert!(!everything.contains(secret), "a secret appeared in the logs or an error");
    }
    let recent = office.stats().recent;
    assert!(recent.iter().all(|r| !r.path.contains(office.api_key())), "the stand-in does not keep the key either");
}
