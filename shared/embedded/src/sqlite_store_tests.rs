use super::*;
use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

struct MovableClock(AtomicI64);

impl Clock for MovableClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.0.load(Ordering::SeqCst), 0).unwrap()
    }
}

#[tokio::test]
async fn expiry_follows_the_injected_clock() {
    let clock = Arc::new(MovableClock(AtomicI64::new(1_000)));
    let store = SqliteStore::in_memory().unwrap().with_clock(clock.clone());
    let item = Item::new("T#t", "WH#1", "{}").with_expiry(1_010);
    store.put(item.clone(), Cond::IfAbsent).await.unwrap();
    clock.0.store(1_009, Ordering::SeqCst);
    assert_eq!(store.get("T#t", "WH#1").await.unwrap(), Some(item), "alive one second before expiry");
    clock.0.store(1_010, Ordering::SeqCst);
    assert_eq!(store.get("T#t", "WH#1").await.unwrap(), None, "gone at expires_at");
    assert_eq!(store.purge_expired().unwrap(), 1);
    assert_eq!(store.purge_expired().unwrap(), 0);
}

#[tokio::test]
async fn a_zero_limit_is_invalid() {
    let store = SqliteStore::in_memory().unwrap();
    assert!(matches!(store.query("T#t", "", 0, None).await, Err(StoreError::Invalid(_))));
}

#[tokio::test]
async fn versions_use_the_full_u64_range() {
    let store = SqliteStore::in_memory().unwrap();
    let item = Item::new("T#t", "A", "{}").with_version(u64::MAX);
    store.put(item.clone(), Cond::None).await.unwrap();
    assert_eq!(store.get("T#t", "A").await.unwrap(), Some(item));
    store.put(Item::new("T#t", "A", "{}").with_version(1), Cond::IfVersion(u64::MAX)).await.unwrap();
}

#[tokio::test]
async fn the_folder_of_a_new_file_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/koppel.sqlite3");
    SqliteStore::open(&path).unwrap();
    assert!(path.exists());
}

/// Compare-and-swap from several connections to one file (several processes under
/// `cargo lambda watch`): every increment that reports success is counted exactly once.
#[test]
fn conditional_writes_from_several_connections_do_not_lose_updates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("koppel.sqlite3");
    let seed = SqliteStore::open(&path).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(seed.put(Item::new("T#t", "COUNTER", "0"), Cond::IfAbsent)).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let store = SqliteStore::open(&path).unwrap();
                let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
                let mut won = 0u64;
                for _ in 0..50 {
                    let current = runtime.block_on(store.get("T#t", "COUNTER")).unwrap().unwrap();
                    let next = Item::new("T#t", "COUNTER", "x").with_version(current.version + 1);
                    match runtime.block_on(store.put(next, Cond::IfVersion(current.version))) {
                        Ok(()) => won += 1,
                        Err(StoreError::ConditionFailed) => {}
                        Err(other) => panic!("unexpected {other:?}"),
                    }
                }
                won
            })
        })
        .collect();
    let won: u64 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    let stored = runtime.block_on(seed.get("T#t", "COUNTER")).unwrap().unwrap();
    assert_eq!(stored.version, won, "each successful IfVersion put advanced the version once");
    assert!(won >= 50, "at least one thread's worth of increments succeeded: {won}");
}
