//! The sync engine end to end on the embedded adapters, with a scripted provider: matching,
//! waiting, manual links, unchanged re-runs, resuming, one run at a time.

use std::sync::Arc;

use koppel_core::ports::Clock;

use chrono::Duration;
use koppel_core::domain::run::{RunStatus, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::sync::{SyncOutcome, SyncRequest, lease, run_sync};
use koppel_core::usecases::{customers, link_customer, runs, unmatched};
use koppel_tests::fake_source::{FakeSources, customer, invoice};
use koppel_tests::harness::{Harness, TENANT, TestClock, now};

fn request(conn: &str, run_id: Option<&str>) -> SyncRequest {
    SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: conn.into(),
        streams: StreamKind::ALL.to_vec(),
        run_id: run_id.map(str::to_string),
        trigger: Trigger::Manual,
        with_interests: None,
    }
}

async fn platform_customer(h: &Harness, name: &str, vat: &str) -> String {
    let form = customers::NewCustomer {
        name: name.into(),
        customer_number: None,
        vat_number: Some(vat.into()),
        email: None,
        phone: None,
        coc_number: None,
        address: Default::default(),
    };
    customers::create(&h.deps, TENANT, form).await.expect("platform customer").id
}

/// Platform: A (NL001), B1 and B2 (both NL002). SnelStart: c1 NL001, c2 NL002, c3 NL003,
/// c4 without VAT, c5 a supplier; one invoice each for c1, c2, c3.
async fn scenario(link_only: bool) -> (Harness, FakeSources, String, [String; 3]) {
    let src = FakeSources::default();
    let h = Harness::new(Arc::new(src.clone()));
    let a = platform_customer(&h, "Bakkerij A", "NL 001").await;
    let b1 = platform_customer(&h, "Garage B", "NL002").await;
    let b2 = platform_customer(&h, "Garage B (dubbel)", "nl002").await;
    let t = now() - Duration::days(30);
    src.with(|d| {
        d.customers = vec![
            customer(1, Some("NL001"), t),
            customer(2, Some("NL002"), t),
            customer(3, Some("NL003"), t),
            customer(4, None, t),
            {
                let mut s = customer(5, Some("NL005"), t);
                s.is_customer = false;
                s
            },
        ];
        d.invoices =
            vec![invoice(1, "rel-00001", t, 0), invoice(2, "rel-00002", t, 12_100), invoice(3, "rel-00003", t, 100)];
    });
    let conn = h.connection("vat_number", link_only).await;
    (h, src, conn.id, [a, b1, b2])
}

async fn completed(h: &Harness, req: SyncRequest) -> koppel_core::domain::run::Run {
    match run_sync(&h.deps, req, h.no_deadline()).await.expect("run") {
        SyncOutcome::Completed(run) => run,
        other => panic!("expected a completed run, got {other:?}"),
    }
}

fn stream(run: &koppel_core::domain::run::Run, s: StreamKind) -> &koppel_core::domain::run::Counters {
    &run.streams.iter().find(|p| p.stream == s).expect("stream").counters
}

#[tokio::test]
async fn first_run_links_creates_and_queues_what_it_cannot_match() {
    let (h, _src, conn, [a, _, _]) = scenario(false).await;
    let run = completed(&h, request(&conn, None)).await;
    let c = stream(&run, StreamKind::Customers);
    assert_eq!((c.created, c.updated, c.unmatched, c.skipped, c.failed), (1, 1, 2, 1, 0), "{c:?}");
    let i = stream(&run, StreamKind::Invoices);
    assert_eq!((i.created, i.unmatched), (2, 1), "the invoice of the ambiguous customer waits: {i:?}");
    let p = stream(&run, StreamKind::Payments);
    assert_eq!((p.created, p.unmatched), (2, 1), "{p:?}");
    assert!(run.api_calls >= 3, "one call per stream at least");

    let (waiting, _) = unmatched::list(&h.deps, TENANT, &conn, 100, None).await.unwrap();
    let mut reasons: Vec<_> = waiting.iter().map(|u| (u.remote_id.as_str(), u.reason.as_str())).collect();
    reasons.sort();
    assert_eq!(reasons[0].0, "rel-00002");
    assert!(reasons[0].1.contains("2 platform customers have VAT number NL002"), "{reasons:?}");
    assert_eq!(reasons[1].0, "rel-00004");
    assert!(reasons[1].1.contains("has no VAT number"), "{reasons:?}");

    let invoices = customers::invoices(&h.deps, TENANT, &a).await.unwrap();
    assert_eq!(invoices.iter().map(|i| i.number.as_str()).collect::<Vec<_>>(), vec!["F00001"]);
    let logs = runs::logs(&h.deps, TENANT, &conn, &run.id, 100, None).await.unwrap().0;
    assert!(logs.iter().any(|l| l.message.contains("waits for a manual link") && l.hint.is_some()), "{logs:?}");
}

#[tokio::test]
async fn link_only_connections_never_create_customers() {
    let (h, _src, conn, _) = scenario(true).await;
    let run = completed(&h, request(&conn, None)).await;
    let c = stream(&run, StreamKind::Customers);
    assert_eq!((c.created, c.unmatched), (0, 3), "{c:?}");
}

#[tokio::test]
async fn a_manual_link_attaches_waiting_records_and_is_kept_by_later_runs() {
    let (h, src, conn, [_, b1, _]) = scenario(false).await;
    completed(&h, request(&conn, None)).await;
    let req = link_customer::LinkRequest { remote_id: "rel-00002".into(), customer_id: b1.clone() };
    let outcome = link_customer::link(&h.deps, TENANT, &conn, req).await.unwrap();
    assert_eq!(outcome.attached, 2, "its invoice and its payment");
    assert_eq!(customers::invoices(&h.deps, TENANT, &b1).await.unwrap().len(), 1);
    assert_eq!(customers::payments(&h.deps, TENANT, &b1).await.unwrap().len(), 1);
    let (waiting, _) = unmatched::list(&h.deps, TENANT, &conn, 100, None).await.unwrap();
    assert!(waiting.iter().all(|u| u.remote_id != "rel-00002"));

    // The customer changes in SnelStart: matching would still find two, the manual link stays.
    h.clock.advance(Duration::hours(1));
    src.with(|d| {
        d.customers[1].name = "Garage B nieuw".into();
        d.customers[1].modified_on = Some(now() + Duration::minutes(30));
    });
    let run = completed(&h, request(&conn, None)).await;
    assert_eq!(stream(&run, StreamKind::Customers).updated, 1);
    assert_eq!(customers::get(&h.deps, TENANT, &b1).await.unwrap().name, "Garage B nieuw");
    assert!(
        unmatched::list(&h.deps, TENANT, &conn, 100, None).await.unwrap().0.iter().all(|u| u.remote_id != "rel-00002")
    );

    // Unlink: back in the list, and automatic matching leaves it alone.
    link_customer::unlink(&h.deps, TENANT, &conn, "rel-00002").await.unwrap();
    let (waiting, _) = unmatched::list(&h.deps, TENANT, &conn, 100, None).await.unwrap();
    assert!(waiting.iter().any(|u| u.remote_id == "rel-00002" && u.reason.contains("unlinked")));
}

#[tokio::test]
async fn a_second_run_of_unchanged_data_writes_no_record_and_asks_only_for_changes() {
    let (h, src, conn, _) = scenario(false).await;
    completed(&h, request(&conn, None)).await;
    h.counts.reset();
    h.clock.advance(Duration::hours(1));
    let before = src.requests().len();
    let run = completed(&h, request(&conn, None)).await;
    assert_eq!(h.counts.record_writes(), 0, "no record may be written when nothing changed");
    assert_eq!(run.totals.created + run.totals.updated, 0, "{:?}", run.totals);
    let asked = &src.requests()[before..];
    let customers_req = asked.iter().find(|r| r.stream == StreamKind::Customers).unwrap();
    assert!(customers_req.modified_after.is_some(), "customers are incremental after the first run");
    let payments_req = asked.iter().find(|r| r.stream == StreamKind::Payments).unwrap();
    assert!(payments_req.modified_after.is_none(), "payments re-read in full (openstaandSaldo is computed)");
}

fn many(src: &FakeSources, n: u32) {
    let t = now() - Duration::days(10);
    src.with(|d| d.customers = (1..=n).map(|i| customer(i, Some(&format!("NL{i:05}")), t)).collect());
}

#[tokio::test]
async fn a_paused_run_resumes_from_its_last_page_without_duplicates() {
    let clock = Arc::new(TestClock::at(now()));
    let src = FakeSources { tick: Some(clock.clone()), ..FakeSources::default() };
    let h = Harness::with_clock(clock.clone(), Arc::new(src.clone()));
    many(&src, 1_200);
    let conn = h.connection("vat_number", false).await;
    // Every page call takes a (fake) minute; the budget is 90 seconds: two pages, then a pause.
    let deadline = clock.now() + Duration::seconds(90);
    let run = match run_sync(&h.deps, request(&conn.id, None), deadline).await.unwrap() {
        SyncOutcome::Paused(run) => run,
        other => panic!("expected a pause, got {other:?}"),
    };
    assert_eq!(run.status, RunStatus::Paused);
    assert_eq!(stream(&run, StreamKind::Customers).records, 1_000, "two pages of 500 before the budget ran out");
    let cont = SyncRequest { trigger: Trigger::Continuation, ..request(&conn.id, Some(&run.id)) };
    let run = completed(&h, cont).await;
    assert_eq!(stream(&run, StreamKind::Customers).created, 1_200);
    let skips: Vec<u64> = src.requests().iter().filter(|r| r.stream == StreamKind::Customers).map(|r| r.skip).collect();
    assert_eq!(skips, vec![0, 500, 1_000], "the continuation starts at the saved page");
    assert_eq!(count_customers(&h).await, 1_200, "no platform customer twice");
}

async fn count_customers(h: &Harness) -> usize {
    let mut total = 0;
    let mut token: Option<String> = None;
    loop {
        let (page, next) = customers::list(&h.deps, TENANT, 500, token.as_deref()).await.unwrap();
        total += page.len();
        match next {
            Some(t) => token = Some(t),
            None => return total,
        }
    }
}

#[tokio::test]
async fn a_failed_run_says_why_and_the_next_run_resumes_at_the_saved_page() {
    let src = FakeSources::default();
    let h = Harness::new(Arc::new(src.clone()));
    many(&src, 1_200);
    let conn = h.connection("vat_number", false).await;
    src.with(|d| d.fail_after = Some(1));
    let failed = match run_sync(&h.deps, request(&conn.id, None), h.no_deadline()).await.unwrap() {
        SyncOutcome::Failed(run) => run,
        other => panic!("expected a failed run, got {other:?}"),
    };
    assert!(failed.error.as_deref().unwrap_or("").contains("server error"), "{:?}", failed.error);
    assert_eq!(stream(&failed, StreamKind::Customers).created, 500, "the first page was kept");
    let logs = runs::logs(&h.deps, TENANT, &conn.id, &failed.id, 100, None).await.unwrap().0;
    assert!(logs.iter().any(|l| l.hint.as_deref().unwrap_or("").contains("resumes")), "{logs:?}");
    let run = completed(&h, request(&conn.id, None)).await;
    assert_eq!(stream(&run, StreamKind::Customers).created, 700, "the next run starts at the saved page");
    let skips: Vec<u64> = src.requests().iter().filter(|r| r.stream == StreamKind::Customers).map(|r| r.skip).collect();
    assert_eq!(skips, vec![0, 500, 500, 1_000]);
    assert_eq!(count_customers(&h).await, 1_200);
}

#[tokio::test]
async fn only_one_run_per_connection_at_a_time() {
    let (h, _src, conn, _) = scenario(false).await;
    let held = lease::acquire(h.deps.store.as_ref(), TENANT, &conn, "other-run", h.clock.now()).await.unwrap();
    assert!(matches!(held, lease::Acquired::Yes(_)));
    match run_sync(&h.deps, request(&conn, None), h.no_deadline()).await.unwrap() {
        SyncOutcome::Busy { other_run } => assert_eq!(other_run, "other-run"),
        other => panic!("expected busy, got {other:?}"),
    }
    // A crashed holder frees the connection once its lease expires.
    h.clock.advance(Duration::minutes(lease::LEASE_MINUTES + 1));
    completed(&h, request(&conn, None)).await;
}

#[tokio::test]
async fn a_schedule_does_not_run_an_inactive_connection() {
    let (h, _src, conn, _) = scenario(false).await;
    let req = SyncRequest { trigger: Trigger::Schedule, ..request(&conn, None) };
    assert!(matches!(run_sync(&h.deps, req, h.no_deadline()).await.unwrap(), SyncOutcome::Skipped { .. }));
}

#[tokio::test]
async fn merging_duplicates_moves_links_and_records_and_the_next_run_matches() {
    use koppel_core::usecases::merge_customers::{MergeRequest, merge};
    let (h, src, conn, [_, b1, b2]) = scenario(false).await;
    completed(&h, request(&conn, None)).await;
    // Link the waiting customer to the duplicate, then merge the duplicate into b1.
    let req = link_customer::LinkRequest { remote_id: "rel-00002".into(), customer_id: b2.clone() };
    link_customer::link(&h.deps, TENANT, &conn, req).await.unwrap();
    let kept = merge(&h.deps, TENANT, MergeRequest { keep_id: b1.clone(), duplicate_id: b2.clone() }).await.unwrap();
    assert_eq!(kept.id, b1);
    assert_eq!(customers::invoices(&h.deps, TENANT, &b1).await.unwrap().len(), 1, "the invoice moved");
    assert!(customers::invoices(&h.deps, TENANT, &b2).await.unwrap().is_empty());
    assert_eq!(customers::get(&h.deps, TENANT, &b2).await.unwrap().merged_into.as_deref(), Some(b1.as_str()));
    // Merging again is harmless; the merged customer cannot be linked any more.
    merge(&h.deps, TENANT, MergeRequest { keep_id: b1.clone(), duplicate_id: b2.clone() }).await.unwrap();
    let again = link_customer::LinkRequest { remote_id: "rel-00004".into(), customer_id: b2.clone() };
    assert!(link_customer::link(&h.deps, TENANT, &conn, again).await.is_err());
    // A new SnelStart customer with NL002 now matches exactly one platform customer.
    h.clock.advance(Duration::hours(1));
    src.with(|d| d.customers.push(customer(6, Some("NL002"), now() + Duration::minutes(10))));
    let run = completed(&h, request(&conn, None)).await;
    assert_eq!(stream(&run, StreamKind::Customers).updated, 1, "linked to the kept customer");
}
