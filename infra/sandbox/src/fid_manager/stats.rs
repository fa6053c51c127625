//! What a push stand-in counts (shared by the Fid-Manager and Brokercloud stand-ins): calls per
//! endpoint (`"POST /api/v1/documents/to-approve"`), answers per status, sign-ins, 401s, 429s,
//! faults, writes answered late on purpose, and the items created, updated and deleted; the most
//! recent requests (method, path, query, status — never headers or bodies). Admin calls are not
//! counted.

use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

use crate::stats::RequestLine;

const RECENT: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushStatsSnapshot {
    /// Every API call that arrived, refused ones included.
    pub total: u64,
    /// Calls per `"METHOD /route"`, refused ones included.
    pub by_endpoint: BTreeMap<String, u64>,
    /// Answered calls per status (a call the client gave up on has none yet).
    pub by_status: BTreeMap<u16, u64>,
    /// Sign-ins that issued a session token (Fid-Manager).
    pub sign_ins: u64,
    /// Sign-ins refused (wrong user name, password or partner code).
    pub sign_ins_refused: u64,
    /// 401s on API calls (missing, unknown or expired token).
    pub unauthorized: u64,
    /// 429s answered (injected).
    pub rate_limited: u64,
    pub faults_served: u64,
    /// Writes that stored the item and then answered late on purpose ("timeout after store").
    pub stalled_after_store: u64,
    pub created: u64,
    pub updated: u64,
    pub deleted: u64,
    /// The last requests, oldest first (at most 1,000).
    pub recent: Vec<RequestLine>,
}

impl PushStatsSnapshot {
    /// Calls to one endpoint, e.g. `calls("POST /api/v1/documents/to-approve")`.
    pub fn calls(&self, endpoint: &str) -> u64 {
        self.by_endpoint.get(endpoint).copied().unwrap_or_default()
    }
    /// Answers with this status.
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct PushStats {
    snapshot: PushStatsSnapshot,
    recent: VecDeque<RequestLine>,
}

impl PushStats {
    pub fn arrived(&mut self, endpoint: &str) {
        self.snapshot.total += 1;
        *self.snapshot.by_endpoint.entry(endpoint.to_string()).or_default() += 1;
    }

    pub fn answered(&mut self, line: RequestLine) {
        *self.snapshot.by_status.entry(line.status).or_default() += 1;
        if line.status == 429 {
            self.snapshot.rate_limited += 1;
        }
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(line);
    }

    pub fn unauthorized(&mut self) {
        self.snapshot.unauthorized += 1;
    }
    pub fn signed_in(&mut self) {
        self.snapshot.sign_ins += 1;
    }
    pub fn sign_in_refused(&mut self) {
        self.snapshot.sign_ins_refused += 1;
    }
    pub fn fault_served(&mut self) {
        self.snapshot.faults_served += 1;
    }
    pub fn stalled(&mut self) {
        self.snapshot.stalled_after_store += 1;
    }
    pub fn created(&mut self) {
        self.snapshot.created += 1;
    }
    pub fn deleted(&mut self) {
        self.snapshot.deleted += 1;
    }

    pub fn snapshot(&self) -> PushStatsSnapshot {
        PushStatsSnapshot { recent: self.recent.iter().cloned().collect(), ..self.snapshot.clone() }
    }

    pub fn reset(&mut self) {
        *self = PushStats::default();
    }
}

/// Writes that store their item and then answer only after a delay (longer than the client's
/// timeout): the "timeout after the item was already stored" fault. First in, first out.
#[derive(Debug, Default)]
pub struct StallQueue {
    pending: VecDeque<(u32, std::time::Duration)>,
}

impl StallQueue {
    /// The next `count` writes answer `delay` late.
    pub fn push(&mut self, count: u32, delay: std::time::Duration) {
        if count > 0 {
            self.pending.push_back((count, delay));
        }
    }
    /// The delay for the write being answered now, if one is due (and counts it down).
    pub fn take(&mut self) -> Option<std::time::Duration> {
        let (count, delay) = self.pending.front_mut()?;
        let delay = *delay;
        *count -= 1;
        if *count == 0 {
            self.pending.pop_front();
        }
        Some(delay)
    }
    pub fn pending(&self) -> u32 {
        self.pending.iter().map(|(n, _)| n).sum()
    }
    pub fn clear(&mut self) {
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn stalls_count_down_in_order() {
        let mut q = StallQueue::default();
        q.push(2, Duration::from_secs(1));
        q.push(0, Duration::from_secs(9));
        q.push(1, Duration::from_secs(3));
        assert_eq!(q.pending(), 3);
        assert_eq!(
            [q.take(), q.take(), q.take(), q.take()],
            [Some(Duration::from_secs(1)), Some(Duration::from_secs(1)), Some(Duration::from_secs(3)), None]
        );
    }

    #[test]
    fn counts() {
        let mut s = PushStats::default();
        s.arrived("GET /x");
        s.answered(RequestLine { method: "GET".into(), path: "/x".into(), query: None, status: 429 });
        s.created();
        let snap = s.snapshot();
        assert_eq!(
            (snap.total, snap.calls("GET /x"), snap.status(429), snap.rate_limited, snap.created),
            (1, 1, 1, 1, 1)
        );
        s.reset();
        assert_eq!(s.snapshot(), PushStatsSnapshot::default());
    }
}
