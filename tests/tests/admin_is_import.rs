//! The whole Admin IS flow through the engine: set up with the API key and the office's (http)
//! address — which warns — Test API, an import of every customer, a second run that reads the
//! change feed and writes nothing, a customer changed in Admin IS updated on the next run, a
//! deactivated one logged and kept, and the read-only newsletter flag never written.

use chrono::Duration;
use koppel_core::domain::stream::StreamKind;
use koppel_core::keys;
use koppel_core::usecases::{customers, runs};
use koppel_sandbox::admin_is::{AdminIsConfig, AdminIsSandbox, FIRST_CUSTOMER_ID, RunningAdminIs, StandInClock};
use koppel_tests::admin_is::{Wired, form, harness, wired};
use koppel_tests::harness::TENANT;

async fn office(config: AdminIsConfig, wired: &Wired) -> RunningAdminIs {
    let clock = wired.clock.clone();
    let config =
        AdminIsConfig { clock: StandInClock::from_fn(move || koppel_core::ports::Clock::now(&*clock)), ..config };
    AdminIsSandbox::new(config).start_local().await.expect("stand-in")
}

#[tokio::test]
async fn import_then_follow_the_change_feed() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 120, max_per_page: 50, ..Default::default() }, &w).await;
    let newsletter_before: Vec<bool> =
        office.data().ids().iter().filter_map(|id| office.data().customer(*id)).map(|c| c.newsletter).collect();
    let h = harness(&w);

    // Setup: the http address is accepted with a warning; Test API names the office and its limits.
    let conn = h.admin_is(form(&office.base_url(), office.api_key(), "customer_number")).await;
    assert_eq!(conn.settings.get("office_url"), Some(&office.base_url()));
    assert!(conn.warnings.iter().any(|w| w.contains("http://") && w.contains("unencrypted")), "{:?}", conn.warnings);
    let test = conn.last_test.clone().expect("tested");
    assert!(
        test.message.contains(&office.addr().to_string()) && test.message.contains("50 customers per page"),
        "{}",
        test.message
    );

    // First run: every customer imported, in pages of MaxRecordsPerPage.
    let first = h.import_customers(&conn.id).await;
    let c = &first.streams[0].counters;
    assert_eq!((c.records, c.created, c.failed, c.pages), (120, 120, 0, 3), "{c:?}");
    let one = FIRST_CUSTOMER_ID + 7;
    let platform_id = keys::derived_id("cus", TENANT, &conn.id, StreamKind::Customers, &one.to_string());
    let imported = customers::get(&h.deps, TENANT, &platform_id).await.expect("imported");
    let source = office.data().customer(one).expect("in Admin IS");
    assert_eq!(imported.customer_number, source.cust_code);
    assert_eq!(imported.email, source.email);
    let address = office.data().addresses(one).into_iter().find(|a| a.registered_office).expect("registered office");
    assert_eq!(imported.address.city.as_deref(), Some(address.city.as_str()));
    assert_eq!(imported.address.street.as_deref(), Some(address.street1.as_str()));
    assert!(first.api_calls >= 2 + 3 * 2, "token, settings, 3 pages with addresses: {}", first.api_calls);

    // Second run: the change feed since the first run's start (minus the overlap); nothing changed, nothing written.
    office.reset_stats();
    h.counts.reset();
    w.clock.advance(Duration::hours(1));
    let second = h.import_customers(&conn.id).await;
    assert_eq!(second.streams[0].counters.records, 0);
    assert_eq!(h.counts.record_writes(), 0, "no record written when nothing changed");
    let stats = office.stats();
    assert_eq!(stats.calls("GET /api/v1/customer/changes"), 1, "the feed, not a full read");
    assert_eq!(stats.calls("GET /api/v1/customers"), 0);

    // A customer changed in Admin IS is updated on the next run, and only it is fetched.
    w.clock.advance(Duration::minutes(30));
    assert!(office.data().update(one, |c| c.email = Some("boekhouding@nieuw.be".into())));
    office.reset_stats();
    let third = h.import_customers(&conn.id).await;
    let c = &third.streams[0].counters;
    assert_eq!((c.records, c.updated), (1, 1), "{c:?}");
    let updated = customers::get(&h.deps, TENANT, &platform_id).await.expect("still there");
    assert_eq!(updated.email.as_deref(), Some("boekhouding@nieuw.be"));
    assert!(office.stats().recent.iter().any(|r| r.path == "/api/v1/customers"
        && r.query.as_deref().is_some_and(|q| q.contains(&format!("CustomerId%20in%20({one})")))));

    // The same run again (within the overlap) re-reads that change and writes nothing.
    h.counts.reset();
    let fourth = h.import_customers(&conn.id).await;
    assert_eq!((fourth.streams[0].counters.records, fourth.streams[0].counters.unchanged), (1, 1));
    assert_eq!(h.counts.record_writes(), 0);

    // Deactivated in Admin IS: logged, and the platform customer is kept.
    w.clock.advance(Duration::minutes(30));
    let other = FIRST_CUSTOMER_ID + 8;
    assert!(office.data().deactivate(other));
    let fifth = h.import_customers(&conn.id).await;
    let (logs, _) = runs::logs(&h.deps, TENANT, &conn.id, &fifth.id, 1_000, None).await.expect("logs");
    let other_text = other.to_string();
    assert!(
        logs.iter().any(|l| l.remote_id.as_deref() == Some(other_text.as_str()) && l.message.contains("inactive")),
        "{logs:?}"
    );
    let other_id = keys::derived_id("cus", TENANT, &conn.id, StreamKind::Customers, &other.to_string());
    assert!(customers::get(&h.deps, TENANT, &other_id).await.is_ok(), "kept on the platform");

    // Read-only: Koppel never wrote to Admin IS, and the newsletter flags are as they were.
    assert_eq!(office.stats().writes, 0);
    let newsletter_after: Vec<bool> =
        office.data().ids().iter().filter_map(|id| office.data().customer(*id)).map(|c| c.newsletter).collect();
    assert_eq!(newsletter_before, newsletter_after);
}
