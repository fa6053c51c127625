//! Range-read checks (`query_from`): inclusive start, the prefix as the upper bound, paging,
//! expiry, empty results.

use koppel_core::ports::{Cond, Item, ItemStore, StoreError, WriteOp};

use super::{Namespace, ok, unix_now};

async fn put_all(store: &dyn ItemStore, pk: &str, sks: &[&str]) {
    let ops = sks.iter().map(|sk| WriteOp::Put(Item::new(pk, *sk, format!(r#"{{"sk":"{sk}"}}"#)))).collect();
    ok(store.batch_write(ops).await, "batch_write of the range fixtures");
}

async fn range(store: &dyn ItemStore, pk: &str, prefix: &str, start: &str) -> Vec<String> {
    let page = ok(store.query_from(pk, prefix, start, 100, None).await, &format!("query_from {prefix:?} {start:?}"));
    assert_eq!(page.next, None, "store: a range read that returns everything must not hand out a page token");
    page.items.into_iter().map(|i| i.sk).collect()
}

/// The fixtures sit on both sides of the prefix (`CHF…` below, `CHG$`, `CHH`, `R#` above), so
/// a range that forgets the prefix's end, or starts at the partition's start, shows it.
const FIXTURES: [&str; 9] =
    ["CHF#9", "CHG#01#a", "CHG#02#b", "CHG#02#c", "CHG#05#a", "CHG#10#d", "CHG$", "CHH#0", "R#1"];

pub(crate) async fn start_is_inclusive(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("range");
    put_all(store, &pk, &FIXTURES).await;
    put_all(store, &ns.pk("range-other"), &["CHG#03#x"]).await;
    assert_eq!(
        range(store, &pk, "CHG#", "CHG#02#b").await,
        ["CHG#02#b", "CHG#02#c", "CHG#05#a", "CHG#10#d"],
        "store: query_from must start at start_sk itself (inclusive), ascending, within the prefix"
    );
    assert_eq!(
        range(store, &pk, "CHG#", "CHG#02").await,
        ["CHG#02#b", "CHG#02#c", "CHG#05#a", "CHG#10#d"],
        "store: a start that is no stored key starts at the first key after it"
    );
    assert_eq!(
        range(store, &pk, "CHG#", "CHG#03").await,
        ["CHG#05#a", "CHG#10#d"],
        "store: query_from must skip every key below start_sk (and another partition's CHG#03)"
    );
    let page = ok(store.query_from(&pk, "CHG#", "CHG#10", 100, None).await, "query_from");
    assert_eq!(page.items.len(), 1, "store: query_from at the last key returns it");
    assert_eq!(page.items[0].pk, pk, "store: range items must carry their partition key");
    assert_eq!(page.items[0].body, r#"{"sk":"CHG#10#d"}"#, "store: range items must carry their body");
}

pub(crate) async fn prefix_bounds_the_range(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("range-bound");
    put_all(store, &pk, &FIXTURES).await;
    assert_eq!(
        range(store, &pk, "CHG#", "").await,
        ["CHG#01#a", "CHG#02#b", "CHG#02#c", "CHG#05#a", "CHG#10#d"],
        "store: a start below the prefix reads from the prefix's first item, never below it (CHF#9)"
    );
    assert_eq!(
        range(store, &pk, "CHG#", "CHG#05").await,
        ["CHG#05#a", "CHG#10#d"],
        "store: query_from must stop at the end of the prefix (not CHG$, CHH#0 or R#1)"
    );
    assert_eq!(
        range(store, &pk, "CHG#0", "CHG#02#c").await,
        ["CHG#02#c", "CHG#05#a"],
        "store: a longer prefix narrows the range (not CHG#10#d)"
    );
    assert_eq!(
        range(store, &pk, "", "CHG$").await,
        ["CHG$", "CHH#0", "R#1"],
        "store: the empty prefix reads from start_sk to the end of the partition"
    );
}

pub(crate) async fn paging(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("range-paging");
    let all: Vec<String> = (0..9).map(|i| format!("CHG#{i:02}")).collect();
    let mut fixtures: Vec<&str> = all.iter().map(String::as_str).collect();
    fixtures.extend(["CHF#99", "CHG$", "CHH#00"]);
    put_all(store, &pk, &fixtures).await;

    let expected = &all[2..];
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut token: Option<String> = None;
    for page_no in 0.. {
        assert!(page_no < 10, "store: paging a range of 7 items by 3 must end (is the token advancing?)");
        let page = ok(store.query_from(&pk, "CHG#", "CHG#02", 3, token.as_deref()).await, "query_from page");
        assert!(page.items.len() <= 3, "store: a range page must hold at most `limit` items");
        sizes.push(page.items.len());
        seen.extend(page.items.into_iter().map(|i| i.sk));
        token = page.next;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, expected, "store: paging a range must return every item once, in order, from the start");
    assert_eq!(sizes, [3, 3, 1], "store: 7 items by 3 must come in pages of 3, 3 and 1");

    let page = ok(store.query_from(&pk, "CHG#", "CHG#06", 3, None).await, "query_from");
    let exact: Vec<String> = page.items.into_iter().map(|i| i.sk).collect();
    assert_eq!(exact, ["CHG#06", "CHG#07", "CHG#08"], "store: a range of exactly `limit` items");
    assert_eq!(page.next, None, "store: a range of exactly `limit` items must not hand out a page token");

    assert_eq!(
        store.query_from(&pk, "CHG#", "CHG#02", 3, Some("not a token")).await.map(|p| p.items),
        Err(StoreError::BadPageToken),
        "store: a page token the store did not hand out must be BadPageToken"
    );
    assert!(
        matches!(store.query_from(&pk, "CHG#", "CHG#02", 0, None).await, Err(StoreError::Invalid(_))),
        "store: a range read with limit 0 must be Invalid"
    );
}

pub(crate) async fn expiry(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("range-ttl");
    let now = unix_now();
    let live = Item::new(&pk, "CHG#02", "{}").with_version(1).with_expiry(now + 3600);
    ok(store.put(Item::new(&pk, "CHG#01", "{}").with_expiry(now - 60), Cond::None).await, "put expired");
    ok(store.put(live.clone(), Cond::None).await, "put live");
    ok(store.put(Item::new(&pk, "CHG#03", "{}").with_expiry(now - 1), Cond::None).await, "put expired");
    ok(store.put(Item::new(&pk, "CHG#04", "{}"), Cond::None).await, "put without expiry");
    let page = ok(store.query_from(&pk, "CHG#", "CHG#01", 10, None).await, "query_from");
    let sks: Vec<&str> = page.items.iter().map(|i| i.sk.as_str()).collect();
    assert_eq!(sks, ["CHG#02", "CHG#04"], "store: query_from must never return expired items");
    assert_eq!(page.items[0], live, "store: a range item comes back exactly as put (version, expiry)");
}

pub(crate) async fn empty(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("range-empty");
    put_all(store, &pk, &["CHG#01", "CHG#02", "R#1"]).await;
    for (prefix, start, why) in [
        ("CHG#", "CHG#03", "a start after the last key of the prefix"),
        ("CHG#", "CHG$", "a start at the prefix's end"),
        ("CHG#", "S", "a start far past the prefix"),
        ("NONE#", "", "a prefix nothing has"),
    ] {
        let page = ok(store.query_from(&pk, prefix, start, 5, None).await, why);
        assert!(page.items.is_empty() && page.next.is_none(), "store: {why} must give one empty page, no token");
    }
    let page = ok(store.query_from(&ns.pk("range-nothing"), "CHG#", "CHG#", 5, None).await, "empty partition");
    assert!(page.items.is_empty() && page.next.is_none(), "store: an empty partition gives one empty page");
}
