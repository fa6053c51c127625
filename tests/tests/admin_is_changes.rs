//! The Admin IS connector's incremental pages against the stand-in: the change feed from
//! `modified_after`, then only the changed customers by `CustomerId in (…)` in chunks that keep
//! every address short (a 414 splits them further); `modified_on` = the newest `DateAction`;
//! deleted customers skipped; nothing changed = one feed call and an empty last page; a feed
//! that reaches its row cap is read on from the newest change.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use koppel_core::domain::records::RemoteCustomer;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::Clock;
use koppel_core::ports::source::{PageNext, PageRequest, RemoteRecord, SourceSession};
use koppel_sandbox::admin_is::{AdminIsConfig, AdminIsSandbox, FIRST_CUSTOMER_ID, RunningAdminIs, StandInClock};
use koppel_tests::admin_is::{Wired, credentials, wired};

async fn office(config: AdminIsConfig, wired: &Wired) -> RunningAdminIs {
    let clock = wired.clock.clone();
    let config = AdminIsConfig { clock: StandInClock::from_fn(move || clock.now()), ..config };
    AdminIsSandbox::new(config).start_local().await.expect("stand-in")
}

/// Every page of an incremental pass from `after`, each in a session of its own.
async fn changed_since(w: &Wired, office: &RunningAdminIs, after: DateTime<Utc>) -> (Vec<RemoteCustomer>, usize) {
    let (mut out, mut pages, mut token) = (Vec::new(), 0, None);
    loop {
        let session = w.factory.open_session(&credentials(&office.base_url(), office.api_key())).expect("session");
        let request = PageRequest {
            stream: StreamKind::Customers,
            start_date: chrono::NaiveDate::default(),
            modified_after: Some(after),
            skip: 0,
            top: 500,
            token: token.take(),
        };
        let page = session.fetch_page(&request).await.expect("page");
        pages += 1;
        assert_eq!(page.raw_len, page.records.len());
        for record in page.records {
            let Ok(RemoteRecord::Customer(c)) = record else { panic!("{record:?}") };
            out.push(c);
        }
        match page.next {
            PageNext::Token(t) => token = Some(t),
            PageNext::End => return (out, pages),
            PageNext::ByLength => panic!("Admin IS pages by token"),
        }
    }
}

/// The `CustomerId in (…)` lists the connector asked for.
fn asked_ids(office: &RunningAdminIs, path: &str) -> Vec<Vec<u64>> {
    office
        .stats()
        .recent
        .iter()
        .filter(|r| r.path == path && r.status == 200)
        .filter_map(|r| r.query.clone())
        .filter_map(|q| {
            let list = q.split("CustomerId%20in%20(").nth(1)?.split(')').next()?.to_string();
            Some(list.split(",%20").filter_map(|id| id.parse().ok()).collect())
        })
        .collect()
}

#[tokio::test]
async fn only_the_changed_customers_are_fetched_with_their_newest_change_time() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 200, ..Default::default() }, &w).await;
    let data = office.data();
    let since = w.clock.now();
    w.clock.advance(Duration::minutes(10));
    let (a, b, c) = (FIRST_CUSTOMER_ID + 3, FIRST_CUSTOMER_ID + 50, FIRST_CUSTOMER_ID + 51);
    assert!(data.update(a, |x| x.email = Some("nieuw@example.be".into())));
    w.clock.advance(Duration::minutes(1));
    assert!(data.deactivate(b));
    assert!(data.update(a, |x| x.phone = Some("+32 9 000 00 00".into())), "a second change of the same customer");
    assert!(data.delete(c));
    let inserted = data.insert(koppel_sandbox::admin_is::generated_customer(7, 999, w.clock.now()), None);

    let (changed, pages) = changed_since(&w, &office, since).await;
    assert_eq!(pages, 1);
    let ids: BTreeSet<String> = changed.iter().map(|c| c.remote_id.clone()).collect();
    let expected: BTreeSet<String> = [a, b, inserted].iter().map(u64::to_string).collect();
    assert_eq!(ids, expected, "changed and new customers; the deleted one is skipped");
    let newest = Some(w.clock.now());
    for c in &changed {
        assert_eq!(
            c.modified_on.map(|t| t.timestamp()),
            newest.map(|t| t.timestamp()),
            "{}: newest DateAction",
            c.remote_id
        );
    }
    let by_id = |id: u64| changed.iter().find(|c| c.remote_id == id.to_string());
    assert_eq!(by_id(a).and_then(|c| c.email.clone()).as_deref(), Some("nieuw@example.be"));
    assert!(by_id(b).is_some_and(|c| c.inactive), "deactivated in Admin IS → inactive");
    let mut asked: Vec<u64> = asked_ids(&office, "/api/v1/customers").concat();
    asked.sort_unstable();
    assert_eq!(asked, vec![a, b, inserted], "only the changed customers were fetched");
}

#[tokio::test]
async fn nothing_changed_costs_one_feed_call_and_gives_an_empty_page() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 50, ..Default::default() }, &w).await;
    let (changed, pages) = changed_since(&w, &office, w.clock.now() - Duration::minutes(5)).await;
    assert_eq!((changed.len(), pages), (0, 1));
    let stats = office.stats();
    assert_eq!(stats.calls("GET /api/v1/customer/changes"), 1);
    assert_eq!(stats.calls("GET /api/v1/customers"), 0);
    assert_eq!(stats.total, 3, "token, settings, feed");
    let feed = stats.recent.iter().find(|r| r.path == "/api/v1/customer/changes").and_then(|r| r.query.clone());
    let expected = (w.clock.now() - Duration::minutes(5)).format("%Y-%m-%d%%20%H:%M:%S").to_string();
    assert_eq!(
        feed.as_deref(),
        Some(
            format!("Filter=TableName%20in%20(%27CUSTOMER%27)%20and%20DateAction%20ge%20%27{expected}%27&per_page=500")
                .as_str()
        )
    );
}

#[tokio::test]
async fn many_changed_ids_go_in_short_chunks_and_a_414_splits_them() {
    let w = wired();
    // The office takes addresses of at most 400 characters: the connector's own 2,000 is too long.
    let config = AdminIsConfig { customers: 700, max_per_page: 500, max_url_len: 400, ..Default::default() };
    let office = office(config, &w).await;
    let since = w.clock.now();
    w.clock.advance(Duration::minutes(1));
    let ids = office.data().ids();
    for id in ids.iter().take(300) {
        office.data().touch(*id);
    }
    let (changed, _) = changed_since(&w, &office, since).await;
    let got: BTreeSet<String> = changed.iter().map(|c| c.remote_id.clone()).collect();
    let want: BTreeSet<String> = ids.iter().take(300).map(u64::to_string).collect();
    assert_eq!(got, want, "every changed customer once");
    let stats = office.stats();
    assert!(stats.uri_too_long > 0, "the office refused the long lists");
    let chunks = asked_ids(&office, "/api/v1/customers");
    assert!(chunks.len() >= 4, "split until they fit: {} chunks", chunks.len());
    let mut all: Vec<u64> = chunks.concat();
    all.sort_unstable();
    assert_eq!(all.len(), 300, "no id asked twice once answered");
    for line in stats.recent.iter().filter(|r| r.status == 200) {
        let length = line.path.len() + line.query.as_ref().map_or(0, |q| q.len() + 1);
        assert!(length <= 400, "{length}");
    }
}

#[tokio::test]
async fn without_a_414_the_connectors_own_limit_keeps_every_address_short() {
    let w = wired();
    let office = office(AdminIsConfig { customers: 600, ..Default::default() }, &w).await;
    let since = w.clock.now();
    w.clock.advance(Duration::minutes(1));
    for id in office.data().ids().iter().take(450) {
        office.data().touch(*id);
    }
    let (changed, _) = changed_since(&w, &office, since).await;
    assert_eq!(changed.len(), 450);
    let stats = office.stats();
    assert_eq!(stats.uri_too_long, 0);
    let chunks = asked_ids(&office, "/api/v1/customers");
    assert!(chunks.len() >= 2, "450 ids do not fit one address of 2,000 characters");
    let base = office.base_url().len();
    for line in stats.recent.iter().filter(|r| r.path == "/api/v1/customers") {
        let length = base + line.path.len() + line.query.as_ref().map_or(0, |q| q.len() + 1);
        assert!(length <= 2_000, "{length}");
    }
}

#[tokio::test]
async fn a_feed_at_its_row_cap_is_read_on_from_the_newest_change() {
    let w = wired();
    let config = AdminIsConfig { customers: 1_100, max_per_page: 500, ..Default::default() };
    let office = office(config, &w).await;
    let since = w.clock.now();
    for id in office.data().ids() {
        w.clock.advance(Duration::seconds(1));
        office.data().touch(id);
    }
    let (changed, pages) = changed_since(&w, &office, since).await;
    let got: BTreeSet<String> = changed.iter().map(|c| c.remote_id.clone()).collect();
    assert_eq!(got.len(), 1_100, "every change, though one query gives at most 1,000 rows");
    assert!(pages >= 3, "two pages of the first window and the rest from the newest change: {pages}");
    let feed_calls = office.stats().calls("GET /api/v1/customer/changes");
    assert_eq!(feed_calls, 3);
}
