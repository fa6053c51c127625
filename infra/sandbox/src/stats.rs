//! Request counts per path, token calls, and the most recent requests (method, path, query,
//! status) — what tests and the benchmark assert on. Never headers or bodies.

use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

const RECENT: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestLine {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatsSnapshot {
    pub total: u64,
    pub by_path: BTreeMap<String, u64>,
    /// Answered requests per status (a request the client abandoned has no status).
    pub by_status: BTreeMap<u16, u64>,
    /// `POST /b2b/token` calls, refused ones included.
    pub token_calls: u64,
    pub tokens_issued: u64,
    pub faults_served: u64,
    /// The last requests, oldest first (at most 1,000).
    pub recent: Vec<RequestLine>,
}

impl StatsSnapshot {
    /// Requests whose path starts with `prefix`.
    pub fn count(&self, prefix: &str) -> u64 {
        self.by_path.iter().filter(|(p, _)| p.starts_with(prefix)).map(|(_, n)| n).sum()
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    snapshot: StatsSnapshot,
    recent: VecDeque<RequestLine>,
}

impl Stats {
    /// Counts a request when it arrives (so one the client gives up on still counts).
    pub fn arrived(&mut self, path: &str) {
        let s = &mut self.snapshot;
        s.total += 1;
        *s.by_path.entry(path.to_string()).or_default() += 1;
        if path == "/b2b/token" {
            s.token_calls += 1;
        }
    }

    /// Records an answered request in `by_status` and `recent`.
    pub fn answered(&mut self, line: RequestLine) {
        *self.snapshot.by_status.entry(line.status).or_default() += 1;
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(line);
    }

    pub fn token_issued(&mut self) {
        self.snapshot.tokens_issued += 1;
    }

    pub fn fault_served(&mut self) {
        self.snapshot.faults_served += 1;
    }

    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot { recent: self.recent.iter().cloned().collect(), ..self.snapshot.clone() }
    }

    pub fn reset(&mut self) {
        *self = Stats::default();
    }
}
