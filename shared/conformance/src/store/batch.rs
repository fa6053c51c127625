//! Multi-item checks: batch_write, batch_get, transact.

use std::collections::BTreeSet;

use koppel_core::ports::store::{MAX_BATCH_GET, MAX_BATCH_WRITE, MAX_TRANSACT};
use koppel_core::ports::{Cond, Item, ItemStore, StoreError, TxOp, WriteOp};

use super::{Namespace, get, ok};

async fn all_sort_keys(store: &dyn ItemStore, pk: &str, prefix: &str) -> Vec<String> {
    let mut sks = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = ok(store.query(pk, prefix, 50, token.as_deref()).await, "query");
        sks.extend(page.items.into_iter().map(|i| i.sk));
        token = page.next;
        if token.is_none() {
            return sks;
        }
    }
}

pub(crate) async fn batch_write(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("batchwrite");
    let doomed: Vec<WriteOp> = (0..10).map(|i| WriteOp::Put(Item::new(&pk, format!("B#d{i}"), "{}"))).collect();
    ok(store.batch_write(doomed).await, "batch_write of 10 puts");

    // The same key twice: the later write wins.
    let mut ops = vec![
        WriteOp::Put(Item::new(&pk, "B#005", r#"{"i":"overwritten later"}"#)),
        WriteOp::Put(Item::new(&pk, "B#gone", "{}")),
    ];
    ops.extend((0..60).map(|i| WriteOp::Put(Item::new(&pk, format!("B#{i:03}"), format!(r#"{{"i":{i}}}"#)))));
    ops.extend((0..10).map(|i| WriteOp::Delete { pk: pk.clone(), sk: format!("B#d{i}") }));
    ops.push(WriteOp::Delete { pk: pk.clone(), sk: "B#never-existed".into() });
    ops.push(WriteOp::Delete { pk: pk.clone(), sk: "B#gone".into() });
    assert!(ops.len() > 2 * MAX_BATCH_WRITE, "the batch must span several backend chunks");
    ok(store.batch_write(ops).await, "batch_write of 62 puts and 12 deletes");

    let expected: Vec<String> = (0..60).map(|i| format!("B#{i:03}")).collect();
    assert_eq!(
        all_sort_keys(store, &pk, "B#").await,
        expected,
        "store: every put of a batch_write larger than one chunk must land, and every delete too"
    );
    let item = get(store, &pk, "B#059").await;
    assert_eq!(item.map(|i| i.body), Some(r#"{"i":59}"#.to_string()), "store: batch_write must store the body");
    let twice = get(store, &pk, "B#005").await;
    assert_eq!(
        twice.map(|i| i.body),
        Some(r#"{"i":5}"#.to_string()),
        "store: when a batch_write puts one key twice, the later put must win"
    );
    ok(store.batch_write(Vec::new()).await, "an empty batch_write");
}

pub(crate) async fn batch_get(store: &dyn ItemStore, ns: &Namespace) {
    let pk_a = ns.pk("batchget-a");
    let pk_b = ns.pk("batchget-b");
    let mut stored = Vec::new();
    for i in 0..110 {
        let pk = if i % 2 == 0 { &pk_a } else { &pk_b };
        stored.push(Item::new(pk.as_str(), format!("G#{i:03}"), format!(r#"{{"i":{i}}}"#)).with_version(i));
    }
    ok(store.batch_write(stored.iter().cloned().map(WriteOp::Put).collect()).await, "batch_write of 110 items");

    let mut keys: Vec<(String, String)> = stored.iter().map(|i| (i.pk.clone(), i.sk.clone())).collect();
    keys.extend((0..10).map(|i| (pk_a.clone(), format!("G#missing{i}"))));
    // Asking twice for a key returns it once.
    keys.extend(stored.iter().take(5).map(|i| (i.pk.clone(), i.sk.clone())));
    assert!(keys.len() > MAX_BATCH_GET, "the request must span several backend chunks");
    let got = ok(store.batch_get(&keys).await, "batch_get of 125 keys");

    let as_set = |items: Vec<Item>| -> BTreeSet<(String, String, String, u64)> {
        items.into_iter().map(|i| (i.pk, i.sk, i.body, i.version)).collect()
    };
    assert_eq!(got.len(), 110, "store: batch_get must return each found item once and leave missing ones out");
    assert_eq!(as_set(got), as_set(stored), "store: batch_get must return every stored item with its body and version");
    assert!(ok(store.batch_get(&[]).await, "an empty batch_get").is_empty());
}

pub(crate) async fn transact_all_or_nothing(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("transact");
    let a = Item::new(&pk, "A", r#"{"a":1}"#).with_version(1);
    let b = Item::new(&pk, "B", r#"{"b":1}"#).with_version(1);
    ok(store.put(a.clone(), Cond::None).await, "put A");
    ok(store.put(b.clone(), Cond::None).await, "put B");

    let parts = |b_cond: Cond| {
        vec![
            TxOp::Put { item: Item::new(&pk, "C", r#"{"c":1}"#).with_version(1), cond: Cond::IfAbsent },
            TxOp::Put { item: Item::new(&pk, "A", r#"{"a":2}"#).with_version(2), cond: Cond::IfVersion(1) },
            TxOp::Put { item: Item::new(&pk, "D", r#"{"d":1}"#), cond: Cond::None },
            TxOp::Delete { pk: pk.clone(), sk: "B".into(), cond: b_cond },
        ]
    };
    let refused = store.transact(parts(Cond::IfVersion(5))).await;
    assert!(
        matches!(refused, Err(StoreError::TransactionCancelled(_))),
        "store: a transaction with one failing condition must be TransactionCancelled, got {refused:?}"
    );
    assert_eq!(get(store, &pk, "C").await, None, "store: a cancelled transaction must not write its IfAbsent put");
    assert_eq!(get(store, &pk, "D").await, None, "store: a cancelled transaction must not write its plain put");
    assert_eq!(get(store, &pk, "A").await, Some(a), "store: a cancelled transaction must not update");
    assert_eq!(get(store, &pk, "B").await, Some(b), "store: a cancelled transaction must not delete");

    let taken = vec![TxOp::Put { item: Item::new(&pk, "A", "{}"), cond: Cond::IfAbsent }];
    assert!(
        matches!(store.transact(taken).await, Err(StoreError::TransactionCancelled(_))),
        "store: a transaction putting IfAbsent over an existing item must be TransactionCancelled"
    );

    ok(store.transact(parts(Cond::IfVersion(1))).await, "a transaction whose conditions all hold");
    assert_eq!(get(store, &pk, "A").await.map(|i| i.version), Some(2), "store: a transaction must update A");
    assert_eq!(get(store, &pk, "B").await, None, "store: a transaction must delete B");
    assert!(get(store, &pk, "C").await.is_some(), "store: a transaction must put C");
    assert!(get(store, &pk, "D").await.is_some(), "store: a transaction must put D");
}

pub(crate) async fn transact_limits(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("transact-limits");
    let too_many: Vec<TxOp> = (0..=MAX_TRANSACT)
        .map(|i| TxOp::Put { item: Item::new(&pk, format!("X#{i:03}"), "{}"), cond: Cond::None })
        .collect();
    let result = store.transact(too_many).await;
    assert!(
        matches!(result, Err(StoreError::Invalid(_))),
        "store: a transaction of more than {MAX_TRANSACT} parts must be Invalid, got {result:?}"
    );
    assert_eq!(get(store, &pk, "X#000").await, None, "store: an Invalid transaction must write nothing");

    let twice = vec![
        TxOp::Put { item: Item::new(&pk, "Y", "{}"), cond: Cond::None },
        TxOp::Delete { pk: pk.clone(), sk: "Y".into(), cond: Cond::None },
    ];
    let result = store.transact(twice).await;
    assert!(
        matches!(result, Err(StoreError::Invalid(_))),
        "store: a transaction touching one key twice must be Invalid, got {result:?}"
    );
    assert_eq!(get(store, &pk, "Y").await, None, "store: an Invalid transaction must write nothing");

    let exactly_max: Vec<TxOp> = (0..MAX_TRANSACT)
        .map(|i| TxOp::Put { item: Item::new(&pk, format!("Z#{i:03}"), "{}"), cond: Cond::IfAbsent })
        .collect();
    ok(store.transact(exactly_max).await, "a transaction of exactly MAX_TRANSACT parts");
    assert!(get(store, &pk, "Z#099").await.is_some(), "store: all parts of a full transaction must land");
}
