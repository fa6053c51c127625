//! Query checks: prefix, order, paging, tokens.

use std::collections::HashSet;

use koppel_core::ports::{Cond, Item, ItemStore, StoreError, WriteOp};

use super::{Namespace, ok};

async fn put_all(store: &dyn ItemStore, pk: &str, sks: &[&str]) {
    let ops = sks.iter().map(|sk| WriteOp::Put(Item::new(pk, *sk, format!(r#"{{"sk":"{sk}"}}"#)))).collect();
    ok(store.batch_write(ops).await, "batch_write of the query fixtures");
}

async fn sort_keys(store: &dyn ItemStore, pk: &str, prefix: &str) -> Vec<String> {
    let page = ok(store.query(pk, prefix, 100, None).await, &format!("query {prefix:?}"));
    assert_eq!(page.next, None, "store: a query that returns everything must not hand out a page token");
    page.items.into_iter().map(|i| i.sk).collect()
}

pub(crate) async fn by_prefix(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("query");
    let other_pk = ns.pk("query-other");
    put_all(store, &pk, &["R#2", "R#10", "RX#1", "R#1", "Q#9", "R$", "R#1#a", "S#1", "R"]).await;
    put_all(store, &other_pk, &["R#3"]).await;

    assert_eq!(
        sort_keys(store, &pk, "R#").await,
        ["R#1", "R#1#a", "R#10", "R#2"],
        "store: query must return exactly the items whose sort key starts with the prefix, ascending \
         (not RX#…, R$, R, nor another partition's R#3)"
    );
    assert_eq!(
        sort_keys(store, &pk, "R#1").await,
        ["R#1", "R#1#a", "R#10"],
        "store: a prefix that is itself a full key also matches longer keys"
    );
    assert!(sort_keys(store, &pk, "NONE#").await.is_empty(), "store: a prefix nothing has must return no items");
    let everything = sort_keys(store, &pk, "").await;
    assert_eq!(everything.len(), 9, "store: the empty prefix must return the whole partition");
    let mut sorted = everything.clone();
    sorted.sort();
    assert_eq!(everything, sorted, "store: query must return items in ascending sort-key order");
    let page = ok(store.query(&pk, "R#1", 100, None).await, "query");
    assert!(page.items.iter().all(|i| i.pk == pk), "store: queried items must carry their partition key");
    assert_eq!(page.items[0].body, r#"{"sk":"R#1"}"#, "store: queried items must carry their body");
}

/// `_` and `%` (SQL `LIKE` wildcards) and `#` in a prefix are plain characters.
pub(crate) async fn prefix_is_literal(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("literal");
    put_all(store, &pk, &["A_B#1", "AXB#1", "A%#1", "AB#1", "A#1"]).await;
    assert_eq!(sort_keys(store, &pk, "A_B#").await, ["A_B#1"], "store: `_` in a prefix must match only `_`");
    assert_eq!(sort_keys(store, &pk, "A%").await, ["A%#1"], "store: `%` in a prefix must match only `%`");
}

pub(crate) async fn paging(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("paging");
    let expected: Vec<String> = (0..7).map(|i| format!("P#{i:02}")).collect();
    let mut fixtures: Vec<&str> = expected.iter().map(String::as_str).collect();
    fixtures.extend(["O#1", "PZ#1", "Q#1"]);
    put_all(store, &pk, &fixtures).await;

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut token: Option<String> = None;
    for page_no in 0.. {
        assert!(page_no < 10, "store: paging 7 items by 3 must end (is the token advancing?)");
        let page = ok(store.query(&pk, "P#", 3, token.as_deref()).await, "query page");
        assert!(page.items.len() <= 3, "store: a page must hold at most `limit` items");
        sizes.push(page.items.len());
        seen.extend(page.items.into_iter().map(|i| i.sk));
        token = page.next;
        if token.is_none() {
            break;
        }
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "store: paging must not return an item twice: {seen:?}");
    assert_eq!(seen, expected, "store: paging must return every item once, in order, no gaps");
    assert_eq!(sizes, [3, 3, 1], "store: 7 items by 3 must come in pages of 3, 3 and 1");
    // A partition with no items in the prefix: one empty page.
    let page = ok(store.query(&pk, "NONE#", 3, None).await, "empty query");
    assert!(page.items.is_empty() && page.next.is_none(), "store: an empty result has no next page");
}

pub(crate) async fn bad_page_token(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("token");
    let other_pk = ns.pk("token-other");
    for p in [&pk, &other_pk] {
        for sk in ["T#1", "T#2", "T#3"] {
            ok(store.put(Item::new(p.as_str(), sk, "{}"), Cond::None).await, "put");
        }
    }
    for garbage in ["garbage!!", "", "eyJub3QiOiJhIHRva2VuIn0", "%%%"] {
        assert_eq!(
            store.query(&pk, "T#", 2, Some(garbage)).await.map(|p| p.items),
            Err(StoreError::BadPageToken),
            "store: a page token the store did not hand out ({garbage:?}) must be BadPageToken"
        );
    }
    let page = ok(store.query(&other_pk, "T#", 2, None).await, "query the other partition");
    let foreign = page.next.expect("store: 3 items by 2 must hand out a page token");
    assert_eq!(
        store.query(&pk, "T#", 2, Some(&foreign)).await.map(|p| p.items),
        Err(StoreError::BadPageToken),
        "store: a page token from another partition must be BadPageToken"
    );
    let next = ok(store.query(&other_pk, "T#", 2, Some(&foreign)).await, "the token on its own query");
    assert_eq!(next.items.len(), 1, "store: the token must continue its own query");
}
