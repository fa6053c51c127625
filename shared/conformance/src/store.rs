//! Item-store conformance: what every [`ItemStore`] must do, DynamoDB and SQLite alike.
//!
//! [`run`] works in a fresh key namespace (`T#conformance-<ulid>…`), so it can run against a
//! shared table; it panics with a message naming the broken rule (`store: …`).

mod batch;
mod query;
mod range;

use std::future::Future;

use koppel_core::ports::{Cond, Item, ItemStore, StoreError};

/// Run every store check against `store`.
pub async fn run(store: &dyn ItemStore) {
    let ns = &Namespace::new();
    check("get of a missing item", get_missing(store, ns)).await;
    check("put/get round trip", round_trip(store, ns)).await;
    check("put IfAbsent", put_if_absent(store, ns)).await;
    check("put IfVersion", put_if_version(store, ns)).await;
    check("delete with conditions", delete_with_conditions(store, ns)).await;
    check("query by prefix", query::by_prefix(store, ns)).await;
    check("query prefix is literal", query::prefix_is_literal(store, ns)).await;
    check("query paging", query::paging(store, ns)).await;
    check("query bad page token", query::bad_page_token(store, ns)).await;
    check("batch_write more than one chunk", batch::batch_write(store, ns)).await;
    check("batch_get more than one chunk", batch::batch_get(store, ns)).await;
    check("transact all or nothing", batch::transact_all_or_nothing(store, ns)).await;
    check("transact limits", batch::transact_limits(store, ns)).await;
    check("TTL", ttl(store, ns)).await;
    check("query_from start is inclusive", range::start_is_inclusive(store, ns)).await;
    check("query_from stays inside the prefix", range::prefix_bounds_the_range(store, ns)).await;
    check("query_from paging", range::paging(store, ns)).await;
    check("query_from skips expired items", range::expiry(store, ns)).await;
    check("query_from empty results", range::empty(store, ns)).await;
}

/// Keys of one run: every partition key starts with this run's own tenant.
pub(crate) struct Namespace {
    tenant: String,
}

impl Namespace {
    fn new() -> Self {
        Self { tenant: format!("T#conformance-{}", ulid::Ulid::new()) }
    }
    /// A partition of this run, one per check so checks cannot see each other's items.
    pub(crate) fn pk(&self, check: &str) -> String {
        format!("{}#{check}", self.tenant)
    }
}

async fn check(name: &str, body: impl Future<Output = ()>) {
    eprintln!("store conformance: {name}");
    body.await;
}

/// Unwrap a result the check needs, naming the step when it failed.
pub(crate) fn ok<T>(result: Result<T, StoreError>, step: &str) -> T {
    result.unwrap_or_else(|e| panic!("store: {step} must succeed, got {e:?}"))
}

pub(crate) fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub(crate) async fn get(store: &dyn ItemStore, pk: &str, sk: &str) -> Option<Item> {
    ok(store.get(pk, sk).await, &format!("get {pk}/{sk}"))
}

async fn get_missing(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("missing");
    assert_eq!(get(store, &pk, "NOPE#1").await, None, "store: get of a missing item must be None");
}

async fn round_trip(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("roundtrip");
    let body = r##"{"name":"Bakkerij Ölçek & Zn.","amount":"12.50","lines":[1,2,3],"quote":"\"#1\""}"##;
    let expires = unix_now() + 3600;
    let item = Item::new(&pk, "CUS#01", body).with_version(7).with_expiry(expires);
    ok(store.put(item.clone(), Cond::None).await, "put");
    assert_eq!(
        get(store, &pk, "CUS#01").await,
        Some(item),
        "store: get must return the item exactly as put (body, version, expiry)"
    );
    let plain = Item::new(&pk, "CUS#02", "{}");
    ok(store.put(plain.clone(), Cond::None).await, "put without expiry");
    assert_eq!(get(store, &pk, "CUS#02").await, Some(plain), "store: an item without expiry keeps expires_at None");
    let replaced = Item::new(&pk, "CUS#02", r#"{"v":2}"#).with_version(u64::from(u32::MAX) + 1);
    ok(store.put(replaced.clone(), Cond::None).await, "unconditional overwrite");
    assert_eq!(get(store, &pk, "CUS#02").await, Some(replaced), "store: an unconditional put replaces the item");
}

async fn put_if_absent(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("ifabsent");
    let first = Item::new(&pk, "CONN#1", r#"{"n":1}"#).with_version(1);
    ok(store.put(first.clone(), Cond::IfAbsent).await, "put IfAbsent of a new key");
    let second = Item::new(&pk, "CONN#1", r#"{"n":2}"#).with_version(2);
    assert_eq!(
        store.put(second, Cond::IfAbsent).await,
        Err(StoreError::ConditionFailed),
        "store: IfAbsent on an existing item must fail"
    );
    assert_eq!(get(store, &pk, "CONN#1").await, Some(first), "store: a failed IfAbsent must change nothing");
}

async fn put_if_version(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("ifversion");
    let v1 = Item::new(&pk, "LEASE", r#"{"v":1}"#).with_version(1);
    ok(store.put(v1.clone(), Cond::None).await, "put v1");
    let stale = Item::new(&pk, "LEASE", r#"{"v":"stale"}"#).with_version(2);
    assert_eq!(
        store.put(stale, Cond::IfVersion(0)).await,
        Err(StoreError::ConditionFailed),
        "store: IfVersion with a stale version must fail"
    );
    assert_eq!(get(store, &pk, "LEASE").await, Some(v1), "store: a failed IfVersion must change nothing");
    let v2 = Item::new(&pk, "LEASE", r#"{"v":2}"#).with_version(2);
    ok(store.put(v2.clone(), Cond::IfVersion(1)).await, "IfVersion with the stored version");
    assert_eq!(get(store, &pk, "LEASE").await, Some(v2), "store: IfVersion with the right version must write");
    let ghost = Item::new(&pk, "GHOST", "{}").with_version(1);
    assert_eq!(
        store.put(ghost, Cond::IfVersion(0)).await,
        Err(StoreError::ConditionFailed),
        "store: IfVersion on a missing item must fail"
    );
    assert_eq!(get(store, &pk, "GHOST").await, None, "store: a failed IfVersion must not create the item");
}

async fn delete_with_conditions(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("delete");
    let item = Item::new(&pk, "RUN#1", "{}").with_version(3);
    ok(store.put(item.clone(), Cond::None).await, "put");
    assert_eq!(
        store.delete(&pk, "RUN#1", Cond::IfVersion(2)).await,
        Err(StoreError::ConditionFailed),
        "store: delete IfVersion with a stale version must fail"
    );
    assert_eq!(
        store.delete(&pk, "RUN#1", Cond::IfAbsent).await,
        Err(StoreError::ConditionFailed),
        "store: delete IfAbsent of an existing item must fail"
    );
    assert_eq!(get(store, &pk, "RUN#1").await, Some(item), "store: a failed conditional delete must keep the item");
    ok(store.delete(&pk, "RUN#1", Cond::IfVersion(3)).await, "delete IfVersion with the stored version");
    assert_eq!(get(store, &pk, "RUN#1").await, None, "store: delete IfVersion with the right version must delete");
    ok(store.delete(&pk, "RUN#1", Cond::None).await, "unconditional delete of a missing item (idempotent)");
    ok(store.delete(&pk, "RUN#1", Cond::IfAbsent).await, "delete IfAbsent of a missing item");
    assert_eq!(
        store.delete(&pk, "RUN#1", Cond::IfVersion(3)).await,
        Err(StoreError::ConditionFailed),
        "store: delete IfVersion of a missing item must fail"
    );
    ok(store.put(Item::new(&pk, "RUN#2", "{}"), Cond::None).await, "put");
    ok(store.delete(&pk, "RUN#2", Cond::None).await, "unconditional delete");
    assert_eq!(get(store, &pk, "RUN#2").await, None, "store: an unconditional delete must delete");
}

async fn ttl(store: &dyn ItemStore, ns: &Namespace) {
    let pk = ns.pk("ttl");
    let now = unix_now();
    let expired = Item::new(&pk, "WH#old", r#"{"old":true}"#).with_version(1).with_expiry(now - 60);
    let fresh = Item::new(&pk, "WH#new", r#"{"new":true}"#).with_version(1).with_expiry(now + 3600);
    ok(store.put(expired.clone(), Cond::None).await, "put an already expired item");
    ok(store.put(fresh.clone(), Cond::None).await, "put an item expiring in an hour");

    assert_eq!(get(store, &pk, "WH#old").await, None, "store: get must not return an expired item");
    assert_eq!(get(store, &pk, "WH#new").await, Some(fresh.clone()), "store: get must return an unexpired item");
    let page = ok(store.query(&pk, "WH#", 10, None).await, "query");
    assert_eq!(page.items, vec![fresh.clone()], "store: query must skip expired items and keep unexpired ones");
    let keys = vec![(pk.clone(), "WH#old".to_string()), (pk.clone(), "WH#new".to_string())];
    let got = ok(store.batch_get(&keys).await, "batch_get");
    assert_eq!(got, vec![fresh], "store: batch_get must skip expired items and keep unexpired ones");

    assert_eq!(
        store.put(Item::new(&pk, "WH#old", "{}").with_version(2), Cond::IfVersion(1)).await,
        Err(StoreError::ConditionFailed),
        "store: IfVersion on an expired item must fail (it is gone)"
    );
    let again = Item::new(&pk, "WH#old", r#"{"again":true}"#).with_version(1);
    ok(store.put(again.clone(), Cond::IfAbsent).await, "put IfAbsent over an expired item");
    assert_eq!(get(store, &pk, "WH#old").await, Some(again), "store: IfAbsent over an expired item must write");
}
