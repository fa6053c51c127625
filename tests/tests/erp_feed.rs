//! The actor feed (docs/erp-feed.md) on the embedded store: numbers from the sync and from
//! SuperOffice writes, the backfill of mirrors written before the feed, stale change items,
//! concurrent allocation, and what a call costs.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::Duration;
use koppel_core::domain::records::RemoteCustomer;
use koppel_core::domain::run::Trigger;
use koppel_core::domain::stream::StreamKind;
use koppel_core::erp::feed::{self, CHANGE_PREFIX, FeedPage};
use koppel_core::ports::{Cond, Item, ItemStore, Page, StoreError, TxOp, WriteOp};
use koppel_core::sync::page::PageCtx;
use koppel_core::sync::runlog::RunLog;
use koppel_core::sync::{SyncOutcome, SyncRequest, customers as sync_customers, run_sync};
use koppel_core::{keys, ports::Clock};
use koppel_tests::fake_source::{FakeSources, customer};
use koppel_tests::harness::{Harness, TENANT, now};

fn store(h: &Harness) -> &dyn ItemStore {
    h.deps.store.as_ref()
}

fn customers(range: std::ops::RangeInclusive<u32>) -> Vec<RemoteCustomer> {
    range.map(|n| customer(n, Some(format!("NL{n:09}B01").as_str()), now() - Duration::days(3))).collect()
}

async fn setup(records: Vec<RemoteCustomer>) -> (Harness, FakeSources, String) {
    let src = FakeSources::default();
    src.with(|d| d.customers = records);
    let h = Harness::new(Arc::new(src.clone()));
    let conn = h.connection("vat_number", false).await;
    (h, src, conn.id)
}

/// What `stream_pass` does with one page: decide, take the writes (numbered), commit.
async fn sync_page(h: &Harness, conn_id: &str, records: Vec<RemoteCustomer>) -> Vec<WriteOp> {
    let conn = koppel_core::usecases::connections::load(store(h), TENANT, conn_id).await.expect("connection");
    let mut log = RunLog::new(TENANT, conn_id, "run-1", 0);
    let mut ctx = PageCtx::new(&h.deps, &conn, StreamKind::Customers, h.clock.now(), &mut log);
    sync_customers::process(&mut ctx, records).await.expect("process");
    let writes = ctx.take_writes().await.expect("take writes");
    store(h).batch_write(writes.clone()).await.expect("commit");
    writes
}

/// Every mirrored customer with its number, by remote id.
async fn numbers(h: &Harness, conn: &str) -> BTreeMap<String, u64> {
    let (mut out, mut token) = (BTreeMap::new(), None);
    loop {
        let (page, next) = feed::scan(store(h), TENANT, conn, token.as_deref(), 500).await.expect("scan");
        out.extend(page.into_iter().map(|(seq, c)| (c.remote_id, seq)));
        match next {
            Some(t) => token = Some(t),
            None => return out,
        }
    }
}

async fn change_keys(h: &Harness, conn: &str) -> Vec<(u64, String)> {
    let pk = keys::stream_pk(TENANT, conn, StreamKind::Customers);
    let items = koppel_core::repo::query_all(store(h), &pk, CHANGE_PREFIX).await.expect("query");
    items.iter().filter_map(|i| feed::parse_change_sk(&i.sk)).map(|(s, r)| (s, r.to_string())).collect()
}

async fn since(h: &Harness, conn: &str, from: u64, cap: usize) -> FeedPage {
    feed::changes_since(store(h), TENANT, conn, from, cap, h.clock.now()).await.expect("changes_since")
}

fn seqs(page: &FeedPage) -> Vec<u64> {
    page.records.iter().map(|(s, _)| *s).collect()
}

#[tokio::test]
async fn a_sync_after_enable_numbers_every_customer_it_writes() {
    let (h, src, conn) = setup(customers(1..=1_200)).await;
    feed::enable(store(&h), TENANT, &conn, h.clock.now()).await.expect("enable");
    let request = SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: conn.clone(),
        streams: vec![StreamKind::Customers],
        run_id: None,
        trigger: Trigger::Manual,
        with_interests: None,
    };
    let outcome = run_sync(&h.deps, request.clone(), h.no_deadline()).await.expect("run");
    assert!(matches!(outcome, SyncOutcome::Completed(_)), "{outcome:?}");
    let numbered = numbers(&h, &conn).await;
    assert_eq!(numbered.len(), 1_200);
    let unnumbered = numbered.values().filter(|s| **s == 0).count();
    assert_eq!(unnumbered, 0, "the sync numbers what it writes (stream_pass commits PageCtx::take_writes)");
    // Three pages of 500, in page order: rel-00001 … rel-01200 get 1 … 1200.
    let expected: BTreeMap<String, u64> = (1..=1_200u64).map(|n| (format!("rel-{n:05}"), n)).collect();
    assert_eq!(numbered, expected, "one number per customer, increasing across the pages");
    assert_eq!(change_keys(&h, &conn).await.len(), 1_200, "one change item per numbered customer");

    // A change in SnelStart: the next run gives it the next number; its old change item stays.
    h.clock.advance(Duration::hours(1));
    src.with(|d| {
        d.customers[4].name = "Klant 5 nieuw".into();
        d.customers[4].modified_on = Some(now() + Duration::minutes(30));
    });
    run_sync(&h.deps, request, h.no_deadline()).await.expect("second run");
    assert_eq!(numbers(&h, &conn).await["rel-00005"], 1_201);
    // The first call after `enable` also walks the mirrors once (the backfill: nothing left to
    // number here); with a cap of 100 that takes more than one call, so `more` says so.
    let page = since(&h, &conn, 1_200, 100).await;
    let names: Vec<(u64, &str)> = page.records.iter().map(|(s, c)| (*s, c.name.as_str())).collect();
    assert_eq!((names, page.more), (vec![(1_200, "Klant 1200"), (1_201, "Klant 5 nieuw")], true));
    let page = since(&h, &conn, 1_201, 2_000).await;
    assert_eq!((seqs(&page), page.more), (vec![1_201], false), "the backfill found nothing to number");
    let (state, _) = feed::load(store(&h), TENANT, &conn).await.expect("load").expect("on");
    assert_eq!((state.next_seq, state.backfill_done), (1_202, true));
}

#[tokio::test]
async fn numbers_strictly_increase_across_pages_and_superoffice_writes() {
    let (h, _src, conn) = setup(Vec::new()).await;
    feed::enable(store(&h), TENANT, &conn, h.clock.now()).await.expect("enable");
    sync_page(&h, &conn, customers(1..=3)).await;
    let mut written = customer(2, Some("NL000000002B01"), now());
    written.name = "Uit SuperOffice".into();
    let seq = feed::record_write(store(&h), TENANT, &conn, &written, None, h.clock.now()).await.expect("write");
    assert_eq!(seq, 4, "after the page's 1, 2, 3");
    let created = customer(50, None, now());
    assert_eq!(
        feed::record_write(store(&h), TENANT, &conn, &created, Some("cus_x"), h.clock.now()).await.ok(),
        Some(5)
    );
    sync_page(&h, &conn, customers(4..=5)).await;
    let numbered = numbers(&h, &conn).await;
    let order: Vec<(&str, u64)> = numbered.iter().map(|(r, s)| (r.as_str(), *s)).collect();
    assert_eq!(
        order,
        [("rel-00001", 1), ("rel-00002", 4), ("rel-00003", 3), ("rel-00004", 6), ("rel-00005", 7), ("rel-00050", 5)]
    );
    // The write kept the mirror's link and took the new content.
    let got = feed::get(store(&h), TENANT, &conn, &["rel-00002".into(), "nope".into(), "rel-00050".into()])
        .await
        .expect("get");
    let got: Vec<(u64, &str)> = got.iter().map(|(s, c)| (*s, c.name.as_str())).collect();
    assert_eq!(got, [(4, "Uit SuperOffice"), (5, "Klant 50")]);
    let mirror = store(&h)
        .get(&keys::stream_pk(TENANT, &conn, StreamKind::Customers), &keys::record_sk("rel-00002"))
        .await
        .expect("get")
        .expect("mirror");
    let body: serde_json::Value = serde_json::from_str(&mirror.body).expect("json");
    assert!(body["local_id"].as_str().is_some_and(|id| id.starts_with("cus_")), "{body}");
    // Page 1's change item of rel-00002 is stale now: the feed skips it.
    let page = since(&h, &conn, 0, 100).await;
    assert_eq!(seqs(&page), [1, 3, 4, 5, 6, 7]);
    assert_eq!(change_keys(&h, &conn).await.len(), 7, "a superseded change item stays for its first hour");
    h.clock.advance(Duration::hours(2));
    assert_eq!(seqs(&since(&h, &conn, 0, 100).await), [1, 3, 4, 5, 6, 7]);
    let left: Vec<u64> = change_keys(&h, &conn).await.iter().map(|(s, _)| *s).collect();
    assert_eq!(left, [1, 3, 4, 5, 6, 7], "then a reader passing it deletes it");
}

#[tokio::test]
async fn with_the_feed_off_a_page_writes_what_it_always_did_for_one_get() {
    let (h, _src, conn) = setup(Vec::new()).await;
    let conn_item = koppel_core::usecases::connections::load(store(&h), TENANT, &conn).await.expect("connection");
    let mut log = RunLog::new(TENANT, &conn, "run-1", 0);
    let mut ctx = PageCtx::new(&h.deps, &conn_item, StreamKind::Customers, h.clock.now(), &mut log);
    sync_customers::process(&mut ctx, customers(1..=3)).await.expect("process");
    let before = ctx.writes.clone();
    h.counts.reset();
    let after = ctx.take_writes().await.expect("take");
    assert_eq!(after, before, "the feed off changes no write");
    assert_eq!((h.counts.gets(), h.counts.queries(), h.counts.writes()), (1, 0, 0), "one get of the feed item");
    // A page without customer mirrors does not even look.
    let mut ctx = PageCtx::new(&h.deps, &conn_item, StreamKind::Invoices, h.clock.now(), &mut log);
    ctx.writes.push(WriteOp::Put(Item::new(keys::conn_pk(TENANT, &conn), "WAIT#x#invoices#y", "{}")));
    h.counts.reset();
    assert_eq!(ctx.take_writes().await.expect("take").len(), 1);
    assert_eq!(h.counts.reads(), 0);
    assert!(!feed::is_enabled(store(&h), TENANT, &conn).await.expect("is_enabled"));
}

#[tokio::test]
async fn a_call_after_the_last_change_reads_the_feed_item_and_nothing_else() {
    let (h, _src, conn) = setup(Vec::new()).await;
    feed::enable(store(&h), TENANT, &conn, h.clock.now()).await.expect("enable");
    sync_page(&h, &conn, customers(1..=10)).await;
    let all = since(&h, &conn, 0, 100).await;
    assert_eq!((seqs(&all), all.more), ((1..=10).collect(), false));
    let last = *seqs(&all).last().expect("a record");

    h.counts.reset();
    let after = since(&h, &conn, last + 1, 100).await;
    assert_eq!(after, FeedPage::default());
    let counts = (h.counts.gets(), h.counts.queries(), h.counts.batch_gets(), h.counts.writes());
    assert_eq!(counts, (1, 0, 0, 0), "one get of the feed item: no number ≥ last + 1 was handed out");

    // On the last change ("on or after"): it comes again, for one range read and one batch get.
    h.counts.reset();
    let at = since(&h, &conn, last, 100).await;
    assert_eq!((seqs(&at), at.more), (vec![last], false));
    let counts = (h.counts.gets(), h.counts.queries(), h.counts.batch_gets(), h.counts.writes());
    assert_eq!(counts, (1, 1, 1, 0));
}

/// Mirrors as a sync without the feed left them (no `seq`), written directly.
async fn unnumbered_mirrors(h: &Harness, conn: &str, n: u32) {
    let pk = keys::stream_pk(TENANT, conn, StreamKind::Customers);
    let ops = customers(1..=n)
        .into_iter()
        .map(|c| {
            let body = serde_json::json!({
                "remote_id": c.remote_id, "hash": "h", "local_id": null, "link": "none",
                "customer_remote_id": null, "owner_id": null, "modified_on": c.modified_on, "data": c,
            });
            WriteOp::Put(Item::new(pk.clone(), keys::record_sk(&c.remote_id), body.to_string()))
        })
        .collect();
    store(h).batch_write(ops).await.expect("mirrors");
}

#[tokio::test]
async fn the_backfill_returns_every_existing_record_once_over_successive_calls() {
    let (h, _src, conn) = setup(Vec::new()).await;
    unnumbered_mirrors(&h, &conn, 5_000).await;
    // The first call switches the feed on; each call numbers one chunk and returns at most the cap.
    let (cap, mut from, mut calls) = (700, 0, 0);
    let mut received: BTreeMap<String, u64> = BTreeMap::new();
    loop {
        calls += 1;
        assert!(calls <= 20, "the backfill must end");
        let page = since(&h, &conn, from, cap).await;
        assert!(page.records.len() <= cap);
        assert!(seqs(&page).windows(2).all(|w| w[0] < w[1]), "ascending");
        for (seq, c) in &page.records {
            // The boundary record may come again, with the same number.
            if let Some(before) = received.insert(c.remote_id.clone(), *seq) {
                assert_eq!((before, *seq), (from, from), "only the record at `from` may repeat");
            }
        }
        from = seqs(&page).last().copied().unwrap_or(from);
        if !page.more {
            break;
        }
    }
    assert_eq!(received.len(), 5_000, "every record, none missing");
    let distinct: HashSet<u64> = received.values().copied().collect();
    assert_eq!(distinct.len(), 5_000, "one number each");
    assert_eq!(numbers(&h, &conn).await, received, "the numbers received are the mirrors' numbers");
    let (state, _) = feed::load(store(&h), TENANT, &conn).await.expect("load").expect("enabled");
    assert!(state.backfill_done);
    assert_eq!(state.next_seq, 5_001);
    assert!(calls >= 5_000 / cap, "chunks, not all at once: {calls} calls");
    // Done: a later call numbers nothing more and returns nothing new.
    let page = since(&h, &conn, from + 1, cap).await;
    assert_eq!(page, FeedPage::default());
}

#[tokio::test]
async fn change_items_of_records_changed_again_are_skipped() {
    let (h, _src, conn) = setup(Vec::new()).await;
    let now = h.clock.now();
    let mut a = customer(1, None, now);
    let b = customer(2, None, now);
    assert_eq!(feed::record_write(store(&h), TENANT, &conn, &a, None, now).await.ok(), Some(1));
    assert_eq!(feed::record_write(store(&h), TENANT, &conn, &b, None, now).await.ok(), Some(2));
    a.name = "A twee".into();
    assert_eq!(feed::record_write(store(&h), TENANT, &conn, &a, None, now).await.ok(), Some(3));
    let page = since(&h, &conn, 0, 100).await;
    let got: Vec<(u64, &str)> = page.records.iter().map(|(s, c)| (*s, c.name.as_str())).collect();
    assert_eq!(got, [(2, "Klant 2"), (3, "A twee")], "the stale change 1 is dropped, a comes once");
    let left = |keys: Vec<(u64, String)>| keys.into_iter().map(|(s, _)| s).collect::<Vec<_>>();
    assert_eq!(left(change_keys(&h, &conn).await), [1, 2, 3], "kept while the change is recent");
    // A cap reached on a page of stale items still moves on: cap 2 from 1 returns 2 and 3.
    let page = since(&h, &conn, 1, 2).await;
    assert_eq!((seqs(&page), page.more), (vec![2, 3], false));
    let page = since(&h, &conn, 0, 1).await;
    assert_eq!((seqs(&page), page.more), (vec![2, 3], false), "a cap below 2 is taken as 2");
    // An hour on, a reader passing the superseded change deletes it; a reader after it does not.
    h.clock.advance(Duration::minutes(61));
    since(&h, &conn, 2, 100).await;
    assert_eq!(left(change_keys(&h, &conn).await), [1, 2, 3]);
    let page = since(&h, &conn, 0, 100).await;
    assert_eq!(seqs(&page), [2, 3]);
    assert_eq!(left(change_keys(&h, &conn).await), [2, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_allocations_never_hand_out_the_same_number() {
    let (h, _src, conn) = setup(Vec::new()).await;
    feed::enable(store(&h), TENANT, &conn, h.clock.now()).await.expect("enable");
    let (s1, s2, c1, c2) = (h.deps.store.clone(), h.deps.store.clone(), conn.clone(), conn.clone());
    let pages = tokio::spawn(async move {
        let mut got = Vec::new();
        for _ in 0..150 {
            got.extend(feed::allocate(s1.as_ref(), TENANT, &c1, 3).await.expect("allocate").expect("enabled"));
        }
        got
    });
    let at = h.clock.now();
    let writes = tokio::spawn(async move {
        let mut got = Vec::new();
        for n in 0..150 {
            let c = customer(n % 7, None, at);
            got.push(feed::record_write(s2.as_ref(), TENANT, &c2, &c, None, at).await.expect("record_write"));
        }
        got
    });
    let mut all = pages.await.expect("task");
    all.extend(writes.await.expect("task"));
    let distinct: HashSet<u64> = all.iter().copied().collect();
    assert_eq!(distinct.len(), 600, "450 + 150 numbers, no number twice");
    assert_eq!(distinct.iter().max(), Some(&600), "and no gap: 1 ..= 600");
}

/// A store on which "the sync" rewrites one mirror just before the first transaction.
struct SyncMeanwhile {
    inner: Arc<dyn ItemStore>,
    rewrite: std::sync::Mutex<Option<Item>>,
}

#[async_trait::async_trait]
impl ItemStore for SyncMeanwhile {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        self.inner.get(pk, sk).await
    }
    async fn batch_get(&self, keys: &[(String, String)]) -> Result<Vec<Item>, StoreError> {
        self.inner.batch_get(keys).await
    }
    async fn put(&self, item: Item, cond: Cond) -> Result<(), StoreError> {
        self.inner.put(item, cond).await
    }
    async fn delete(&self, pk: &str, sk: &str, cond: Cond) -> Result<(), StoreError> {
        self.inner.delete(pk, sk, cond).await
    }
    async fn query(&self, pk: &str, prefix: &str, limit: usize, token: Option<&str>) -> Result<Page, StoreError> {
        self.inner.query(pk, prefix, limit, token).await
    }
    async fn query_from(
        &self,
        pk: &str,
        prefix: &str,
        start: &str,
        limit: usize,
        token: Option<&str>,
    ) -> Result<Page, StoreError> {
        self.inner.query_from(pk, prefix, start, limit, token).await
    }
    async fn batch_write(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        self.inner.batch_write(ops).await
    }
    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), StoreError> {
        let rewrite = self.rewrite.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(item) = rewrite {
            self.inner.put(item, Cond::None).await?;
        }
        self.inner.transact(ops).await
    }
}

#[tokio::test]
async fn a_mirror_the_sync_rewrites_during_a_backfill_chunk_keeps_the_syncs_number() {
    let (h, _src, conn) = setup(Vec::new()).await;
    unnumbered_mirrors(&h, &conn, 10).await;
    let pk = keys::stream_pk(TENANT, &conn, StreamKind::Customers);
    let sk = keys::record_sk("rel-00004");
    let mut synced = store(&h).get(&pk, &sk).await.expect("get").expect("mirror");
    let mut body: serde_json::Value = serde_json::from_str(&synced.body).expect("json");
    body["seq"] = 99.into();
    body["data"]["name"] = "Klant 4 nieuw".into();
    synced.body = body.to_string();
    synced.version = 99;
    let racing = SyncMeanwhile { inner: h.deps.store.clone(), rewrite: std::sync::Mutex::new(Some(synced)) };

    let page = feed::changes_since(&racing, TENANT, &conn, 0, 100, h.clock.now()).await.expect("changes_since");
    assert!(!page.records.iter().any(|(_, c)| c.remote_id == "rel-00004"), "its backfill number was not used");
    assert_eq!(page.records.len(), 9);
    let numbered = numbers(&h, &conn).await;
    assert_eq!(numbered["rel-00004"], 99, "the sync's write is kept, not overwritten by the backfill");
    let got = feed::get(store(&h), TENANT, &conn, &["rel-00004".into()]).await.expect("get");
    assert_eq!(got[0].1.name, "Klant 4 nieuw");
    let others: HashSet<u64> = numbered.iter().filter(|(r, _)| *r != "rel-00004").map(|(_, s)| *s).collect();
    assert_eq!(others.len(), 9, "the others are numbered, each once");
    assert!(others.iter().all(|s| (1..=10).contains(s)));
    let changed: Vec<String> = change_keys(&h, &conn).await.into_iter().map(|(_, r)| r).collect();
    assert_eq!(changed.len(), 9);
    assert!(!changed.contains(&"rel-00004".to_string()), "no change item for the number it did not get");
}

#[tokio::test]
async fn a_manual_unlink_keeps_the_number() {
    let (h, _src, conn) = setup(Vec::new()).await;
    feed::enable(store(&h), TENANT, &conn, h.clock.now()).await.expect("enable");
    sync_page(&h, &conn, customers(1..=2)).await;
    koppel_core::usecases::link_customer::unlink(&h.deps, TENANT, &conn, "rel-00001").await.expect("unlink");
    // Not a change of the record: no new number, and its change item stays current.
    assert_eq!(numbers(&h, &conn).await["rel-00001"], 1, "the mirror keeps `seq` through a rewrite");
    assert_eq!(seqs(&since(&h, &conn, 0, 10).await), [1, 2]);
}
