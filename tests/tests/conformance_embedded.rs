//! Every port conformance suite against the embedded adapters: SQLite in a file and in memory,
//! the encrypted secrets file, the local scheduler table and the in-process bus.

use std::sync::Arc;

use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore, data_dir_paths};

#[tokio::test]
async fn sqlite_store_in_memory() {
    let store = SqliteStore::in_memory().expect("in-memory store");
    koppel_conformance::store::run(&store).await;
}

#[tokio::test]
async fn sqlite_store_in_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(data_dir_paths(dir.path()).sqlite).expect("file store");
    koppel_conformance::store::run(&store).await;
}

/// Separate connections to one file stand in for the separate processes of `cargo lambda
/// watch`: the suites run at the same time and must not disturb each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_store_shared_by_several_connections() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = data_dir_paths(dir.path()).sqlite;
    let runs: Vec<_> = (0..3)
        .map(|_| {
            let store = Arc::new(SqliteStore::open(&path).expect("file store"));
            tokio::spawn(async move { koppel_conformance::store::run(store.as_ref()).await })
        })
        .collect();
    for run in runs {
        run.await.expect("a suite run failed");
    }
}

#[tokio::test]
async fn sqlite_store_reopened_keeps_its_items() {
    use koppel_core::ports::{Cond, Item, ItemStore};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = data_dir_paths(dir.path()).sqlite;
    let item = Item::new("T#t1", "CONN#c1", r#"{"a":1}"#).with_version(4);
    SqliteStore::open(&path).expect("open").put(item.clone(), Cond::None).await.expect("put");
    let reopened = SqliteStore::open(&path).expect("reopen");
    assert_eq!(reopened.get("T#t1", "CONN#c1").await.expect("get"), Some(item));
}

#[tokio::test]
async fn local_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secrets = LocalSecrets::open(dir.path()).expect("secrets");
    koppel_conformance::secrets::run(&secrets).await;
}

#[tokio::test]
async fn local_scheduler_in_memory() {
    let scheduler = LocalScheduler::in_memory().expect("scheduler");
    koppel_conformance::scheduler::run(&scheduler).await;
}

/// The scheduler shares the SQLite file with the store, on its own connection.
#[tokio::test]
async fn local_scheduler_in_the_store_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = data_dir_paths(dir.path()).sqlite;
    let store = SqliteStore::open(&path).expect("store");
    let scheduler = LocalScheduler::open(&path).expect("scheduler");
    koppel_conformance::scheduler::run(&scheduler).await;
    koppel_conformance::store::run(&store).await;
}

#[tokio::test]
async fn in_process_bus() {
    let bus = InProcessBus::new();
    koppel_conformance::bus::run(&bus).await;
    let published = bus.published();
    assert_eq!(published.len(), 1, "only the valid event is recorded: {published:?}");
    assert_eq!(published[0].detail_type, koppel_core::ports::bus::SYNC_REQUESTED);
}

/// The suites must be able to fail: each broken adapter below breaks one rule.
mod broken_adapters_fail {
    use async_trait::async_trait;
    use koppel_core::ports::{BusError, Cond, DomainEvent, EventBus, Item, ItemStore, Page, StoreError, TxOp, WriteOp};
    use koppel_embedded::SqliteStore;

    #[derive(Clone, Copy)]
    enum Breakage {
        IgnoresConditions,
        DropsPageToken,
        WritesOneChunk,
        TransactsWithoutChecks,
        ReturnsExtraPrefixes,
    }

    struct Broken(SqliteStore, Breakage);

    #[async_trait]
    impl ItemStore for Broken {
        async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
            self.0.get(pk, sk).await
        }
        async fn batch_get(&self, keys: &[(String, String)]) -> Result<Vec<Item>, StoreError> {
            self.0.batch_get(keys).await
        }
        async fn put(&self, item: Item, cond: Cond) -> Result<(), StoreError> {
            match self.1 {
                Breakage::IgnoresConditions => self.0.put(item, Cond::None).await,
                _ => self.0.put(item, cond).await,
            }
        }
        async fn delete(&self, pk: &str, sk: &str, cond: Cond) -> Result<(), StoreError> {
            self.0.delete(pk, sk, cond).await
        }
        async fn query(&self, pk: &str, prefix: &str, limit: usize, token: Option<&str>) -> Result<Page, StoreError> {
            match self.1 {
                Breakage::DropsPageToken => self.0.query(pk, prefix, limit, None).await,
                // Like a `LIKE 'prefix%'` or a one-character-short prefix.
                Breakage::ReturnsExtraPrefixes => {
                    let shorter: String = prefix.chars().take(prefix.chars().count().saturating_sub(1)).collect();
                    self.0.query(pk, &shorter, limit, token).await
                }
                _ => self.0.query(pk, prefix, limit, token).await,
            }
        }
        async fn query_from(
            &self,
            pk: &str,
            prefix: &str,
            start: &str,
            limit: usize,
            token: Option<&str>,
        ) -> Result<Page, StoreError> {
            self.0.query_from(pk, prefix, start, limit, token).await
        }
        async fn batch_write(&self, mut ops: Vec<WriteOp>) -> Result<(), StoreError> {
            if let Breakage::WritesOneChunk = self.1 {
                ops.truncate(25);
            }
            self.0.batch_write(ops).await
        }
        async fn transact(&self, ops: Vec<TxOp>) -> Result<(), StoreError> {
            if let Breakage::TransactsWithoutChecks = self.1 {
                for op in ops {
                    match op {
                        TxOp::Put { item, cond } => self.0.put(item, cond).await.ok(),
                        TxOp::Delete { pk, sk, cond } => self.0.delete(&pk, &sk, cond).await.ok(),
                    };
                }
                return Ok(());
            }
            self.0.transact(ops).await
        }
    }

    async fn run_broken(breakage: Breakage) {
        let store = Broken(SqliteStore::in_memory().expect("store"), breakage);
        koppel_conformance::store::run(&store).await;
    }

    #[tokio::test]
    #[should_panic(expected = "store: IfAbsent on an existing item must fail")]
    async fn ignoring_conditions() {
        run_broken(Breakage::IgnoresConditions).await;
    }

    #[tokio::test]
    #[should_panic(expected = "store: paging 7 items by 3 must end")]
    async fn dropping_the_page_token() {
        run_broken(Breakage::DropsPageToken).await;
    }

    #[tokio::test]
    #[should_panic(expected = "store: every put of a batch_write larger than one chunk must land")]
    async fn writing_one_chunk_only() {
        run_broken(Breakage::WritesOneChunk).await;
    }

    #[tokio::test]
    #[should_panic(expected = "store: a transaction with one failing condition must be TransactionCancelled")]
    async fn transacting_part_by_part() {
        run_broken(Breakage::TransactsWithoutChecks).await;
    }

    #[tokio::test]
    #[should_panic(expected = "store: query must return exactly the items whose sort key starts with the prefix")]
    async fn matching_a_wider_prefix() {
        run_broken(Breakage::ReturnsExtraPrefixes).await;
    }

    struct AcceptsAnything;

    #[async_trait]
    impl EventBus for AcceptsAnything {
        async fn publish(&self, _event: DomainEvent) -> Result<(), BusError> {
            Ok(())
        }
    }

    #[tokio::test]
    #[should_panic(expected = "must be Rejected")]
    async fn a_bus_accepting_any_detail_type() {
        koppel_conformance::bus::run(&AcceptsAnything).await;
    }
}
