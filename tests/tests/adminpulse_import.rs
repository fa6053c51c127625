//! AdminPulse end to end: an API-key connection set up and tested as a user would, right after
//! which AdminPulse is "not ready yet" (the run waits on the test clock, says so, and completes);
//! relations become platform customers (matched ones linked, those without a VAT number wait); a
//! second run with nothing changed writes no record; a relation renamed in AdminPulse is updated.

use std::sync::Arc;
use std::time::Duration;

use koppel_core::domain::records::Customer;
use koppel_core::domain::run::RunStatus;
use koppel_core::ports::Clock;
use koppel_core::sync::SyncOutcome;
use koppel_core::usecases::customers::{self, NewCustomer};
use koppel_core::usecases::{runs, unmatched};
use koppel_sandbox::adminpulse::{
    AdminPulseConfig, AdminPulseSandbox, DEMO_API_KEY, SandboxClock, generated_vat, has_vat, is_duplicate,
};
use koppel_tests::adminpulse::harness;
use koppel_tests::harness::{TENANT, TestClock, now};

const RELATIONS: usize = 60;
const SEED: u64 = 7;

#[tokio::test]
async fn relations_are_imported_after_the_not_ready_wait_and_later_runs_update_them() {
    let clock = Arc::new(TestClock::at(now()));
    let c = clock.clone();
    let config = AdminPulseConfig {
        relations: RELATIONS,
        seed: SEED,
        // Ready three minutes after the key's first call (the connection test).
        not_ready_after_first_use: Some(Duration::from_secs(180)),
        clock: SandboxClock::from_fn(move || c.now()),
        ..AdminPulseConfig::default()
    };
    let ap = match AdminPulseSandbox::new(config).start_local().await {
        Ok(s) => s,
        Err(e) => panic!("stand-in starts: {e}"),
    };
    let h = harness(&ap.base_url(), clock.clone());

    // Platform customers for the firms of relations 1..=10 that have a VAT number.
    let mut platform = Vec::new();
    for i in (1..=10).filter(|i| has_vat(SEED, *i) && !is_duplicate(*i)) {
        let form = NewCustomer {
            name: format!("Platform klant {i}"),
            customer_number: None,
            vat_number: Some(generated_vat(i)),
            email: None,
            phone: None,
            coc_number: None,
            address: Default::default(),
        };
        platform.push((i, customers::create(&h.deps, TENANT, form).await.expect("platform customer")));
    }
    assert!(platform.len() >= 5, "enough matches to see: {}", platform.len());

    let conn = h.adminpulse(DEMO_API_KEY, "vat_number").await;
    assert_eq!(ap.stats().not_ready, 1, "the test met 'not ready yet' and passed: the key was accepted");

    // A first invocation of 30 s: AdminPulse is not ready; the run waits, says so and pauses.
    let deadline = clock.now() + chrono::Duration::seconds(30);
    let SyncOutcome::Paused(paused) = h.import_once(&conn.id, None, deadline).await else { panic!("paused") };
    let stored = runs::get(&h.deps, TENANT, &conn.id, &paused.id).await.expect("run");
    assert_eq!(stored.status, RunStatus::Paused);
    let notice = stored.notice.clone().unwrap_or_default();
    assert!(notice.contains("AdminPulse is not ready") && notice.contains("by itself"), "{notice}");

    // The continuation waits on (the test clock moves) until AdminPulse is ready, then imports.
    let calls_before = ap.stats().calls("GET /relations");
    let outcome = h.import_once(&conn.id, Some(paused.id.clone()), h.no_deadline()).await;
    let SyncOutcome::Completed(first) = outcome else { panic!("completed, got {outcome:?}") };
    assert_eq!((first.notice.as_deref(), first.error.as_deref()), (None, None));
    let c = &first.streams[0].counters;
    let with_vat: Vec<usize> = (1..=RELATIONS).filter(|i| has_vat(SEED, *i)).collect();
    let matched = |i: usize| platform.iter().any(|(p, _)| *p == i || (is_duplicate(i) && *p == i - 1));
    let created = with_vat.iter().filter(|i| !is_duplicate(**i) && !matched(**i)).count() as u64;
    assert_eq!(c.records, RELATIONS as u64);
    assert_eq!(c.unmatched, (RELATIONS - with_vat.len()) as u64, "relations without a VAT number wait");
    assert_eq!(c.created, created, "a new platform customer per firm not on the platform yet");
    assert_eq!(c.updated, with_vat.len() as u64 - created, "matched ones (and duplicates) are linked");
    assert_eq!(c.failed, 0);
    // Every call is on the run: the paused invocation's one "not ready" answer, then the
    // continuation's three more and the page.
    assert_eq!(ap.stats().calls("GET /relations") - calls_before, 4);
    assert_eq!(first.api_calls, 5);

    // A matched platform customer now carries AdminPulse's name (the provider wins).
    let (i, linked) = &platform[0];
    let after: Customer = customers::get(&h.deps, TENANT, &linked.id).await.expect("customer");
    let relation = ap.data().relations()[*i - 1].clone();
    assert_eq!(after.name, relation.name);
    assert_eq!(after.customer_number, Some(relation.unique_identifier.clone()));
    let (waiting, _) = unmatched::list(&h.deps, TENANT, &conn.id, 500, None).await.expect("unmatched");
    assert_eq!(waiting.len() as u64, c.unmatched);
    assert!(waiting.iter().all(|u| u.reason.contains("VAT number")), "{waiting:?}");

    // Nothing changed: a full scan again, and not one record written.
    h.counts.reset();
    let second = h.import(&conn.id).await;
    let c2 = &second.streams[0].counters;
    assert_eq!((c2.records, c2.created, c2.updated, c2.unchanged), (RELATIONS as u64, 0, 0, RELATIONS as u64));
    assert_eq!(h.counts.record_writes(), 0, "an unchanged relation costs no write");

    // A relation renamed in AdminPulse is updated on the platform.
    assert!(ap.data().rename(&relation.id, "Hernoemd Kantoor BV"));
    let third = h.import(&conn.id).await;
    assert_eq!(third.streams[0].counters.updated, 1);
    let renamed = customers::get(&h.deps, TENANT, &linked.id).await.expect("customer");
    assert_eq!(renamed.name, "Hernoemd Kantoor BV");
    assert_eq!(ap.stats().rate_limited, 0, "never over 480 a minute");
}
