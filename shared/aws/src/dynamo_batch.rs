//! Batch plumbing as pure functions: chunking to DynamoDB's limits, and retrying what the
//! backend left unprocessed with a bounded backoff.

use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

use koppel_core::ports::{StoreError, WriteOp};

/// How often and how patiently unprocessed batch parts are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Calls in all, the first included.
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { attempts: 8, base_delay: Duration::from_millis(50), max_delay: Duration::from_secs(2) }
    }
}

impl RetryPolicy {
    /// The pause before call number `attempt` (0-based; the first call has none).
    pub fn delay(&self, attempt: u32) -> Duration {
        if attempt == 0 {
            return Duration::ZERO;
        }
        let factor = 1u32.checked_shl(attempt - 1).unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

fn write_key(op: &WriteOp) -> (&str, &str) {
    match op {
        WriteOp::Put(item) => (&item.pk, &item.sk),
        WriteOp::Delete { pk, sk } => (pk, sk),
    }
}

/// Split writes into calls of at most `max` parts, in order. A key that comes again starts a
/// new chunk (DynamoDB refuses a batch that touches one key twice), so later writes still win.
pub fn chunk_writes(ops: Vec<WriteOp>, max: usize) -> Vec<Vec<WriteOp>> {
    let max = max.max(1);
    let mut chunks: Vec<Vec<WriteOp>> = Vec::new();
    let mut current: Vec<WriteOp> = Vec::new();
    let mut keys: HashSet<(String, String)> = HashSet::new();
    for op in ops {
        let (pk, sk) = write_key(&op);
        let key = (pk.to_string(), sk.to_string());
        if current.len() == max || keys.contains(&key) {
            chunks.push(std::mem::take(&mut current));
            keys.clear();
        }
        keys.insert(key);
        current.push(op);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// Distinct keys in calls of at most `max` (DynamoDB refuses duplicate keys in one call).
pub fn chunk_keys(keys: &[(String, String)], max: usize) -> Vec<Vec<(String, String)>> {
    let mut seen = HashSet::new();
    let distinct: Vec<(String, String)> = keys.iter().filter(|k| seen.insert(*k)).cloned().collect();
    distinct.chunks(max.max(1)).map(<[_]>::to_vec).collect()
}

/// Call `call` with `pending` until it leaves nothing unprocessed, at most `policy.attempts`
/// times with backoff in between. `call` answers (results, unprocessed parts).
pub(crate) async fn drain<T, O, F, Fut>(
    pending: Vec<T>,
    policy: &RetryPolicy,
    what: &str,
    mut call: F,
) -> Result<Vec<O>, StoreError>
where
    F: FnMut(Vec<T>) -> Fut,
    Fut: Future<Output = Result<(Vec<O>, Vec<T>), StoreError>>,
{
    let mut results = Vec::new();
    let mut pending = pending;
    for attempt in 0..policy.attempts.max(1) {
        if attempt > 0 {
            tokio::time::sleep(policy.delay(attempt)).await;
        }
        let (mut got, left) = call(pending).await?;
        results.append(&mut got);
        if left.is_empty() {
            return Ok(results);
        }
        pending = left;
    }
    Err(StoreError::Unavailable(format!(
        "{what}: {} parts were still unprocessed after {} attempts",
        pending.len(),
        policy.attempts.max(1)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use koppel_core::ports::Item;
    use koppel_core::ports::store::{MAX_BATCH_GET, MAX_BATCH_WRITE};

    fn put(i: usize) -> WriteOp {
        WriteOp::Put(Item::new("T#a", format!("R#{i:03}"), "{}"))
    }

    #[test]
    fn writes_are_chunked_by_25_in_order() {
        let ops: Vec<WriteOp> = (0..60).map(put).collect();
        let chunks = chunk_writes(ops.clone(), MAX_BATCH_WRITE);
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), vec![25, 25, 10]);
        assert_eq!(chunks.concat(), ops);
        assert!(chunk_writes(Vec::new(), MAX_BATCH_WRITE).is_empty());
        assert_eq!(chunk_writes((0..25).map(put).collect(), MAX_BATCH_WRITE).len(), 1);
        assert_eq!(chunk_writes((0..26).map(put).collect(), MAX_BATCH_WRITE).len(), 2);
    }

    #[test]
    fn a_repeated_key_starts_a_new_chunk() {
        let ops = vec![put(1), put(2), WriteOp::Delete { pk: "T#a".into(), sk: "R#001".into() }, put(3)];
        let chunks = chunk_writes(ops.clone(), MAX_BATCH_WRITE);
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), vec![2, 2]);
        assert_eq!(chunks.concat(), ops);
    }

    #[test]
    fn keys_are_deduplicated_and_chunked_by_100() {
        let mut keys: Vec<(String, String)> = (0..250).map(|i| ("T#a".to_string(), format!("R#{i}"))).collect();
        keys.push(keys[0].clone());
        let chunks = chunk_keys(&keys, MAX_BATCH_GET);
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), vec![100, 100, 50]);
    }

    #[test]
    fn the_backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(0), Duration::ZERO);
        assert_eq!(p.delay(1), Duration::from_millis(50));
        assert_eq!(p.delay(2), Duration::from_millis(100));
        assert_eq!(p.delay(5), Duration::from_millis(800));
        assert_eq!(p.delay(7), Duration::from_secs(2));
        assert_eq!(p.delay(40), Duration::from_secs(2));
    }

    fn quick(attempts: u32) -> RetryPolicy {
        RetryPolicy { attempts, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2) }
    }

    #[tokio::test]
    async fn unprocessed_parts_are_retried_until_done() {
        let mut calls = Vec::new();
        let done = drain((0..10).collect::<Vec<u32>>(), &quick(5), "test", |batch| {
            calls.push(batch.len());
            // The backend takes the first three of every call.
            let (now, later) = batch.split_at(batch.len().min(3));
            let result = Ok((now.to_vec(), later.to_vec()));
            async move { result }
        })
        .await;
        assert_eq!(done, Ok((0..10).collect::<Vec<u32>>()));
        assert_eq!(calls, vec![10, 7, 4, 1]);
    }

    #[tokio::test]
    async fn retrying_gives_up_after_the_bounded_attempts() {
        let mut calls = 0;
        let result: Result<Vec<u32>, _> = drain(vec![1u32, 2], &quick(3), "BatchWriteItem", |batch| {
            calls += 1;
            async move { Ok((Vec::new(), batch)) }
        })
        .await;
        assert!(matches!(result, Err(StoreError::Unavailable(m)) if m.contains("2 parts") && m.contains("3 attempts")));
        assert_eq!(calls, 3);
    }

    #[tokio::test]
    async fn an_error_stops_the_retries() {
        let result: Result<Vec<u32>, _> =
            drain(vec![1u32], &quick(3), "x", |_| async { Err(StoreError::Unavailable("down".into())) }).await;
        assert_eq!(result, Err(StoreError::Unavailable("down".into())));
    }
}
