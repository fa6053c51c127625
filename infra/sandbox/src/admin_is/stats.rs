//! What the stand-in counts: every API call (refused ones included) by endpoint pattern and by
//! status, token calls, throttling 403s, 414s, write attempts (the API is read-only here), and the
//! last requests (method, path, query, status — never headers).

use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

use crate::stats::RequestLine;

const RECENT: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AdminIsStatsSnapshot {
    pub total: u64,
    /// Calls per `"GET /api/v1/customers"` (route pattern).
    pub by_endpoint: BTreeMap<String, u64>,
    pub by_status: BTreeMap<u16, u64>,
    pub token_calls: u64,
    /// Throttling 403s by the rate limit (not by injected faults).
    pub throttled: u64,
    pub uri_too_long: u64,
    pub faults_served: u64,
    /// Requests other than GET (none is served: the stand-in is read-only).
    pub writes: u64,
    /// Calls the rate limit counted.
    pub served: u64,
    /// Calls without `Content-Type: application/json;charset=UTF-8` (accents get mangled without it).
    pub without_json_utf8: u64,
    pub recent: Vec<RequestLine>,
}

impl AdminIsStatsSnapshot {
    pub fn calls(&self, endpoint: &str) -> u64 {
        self.by_endpoint.get(endpoint).copied().unwrap_or_default()
    }
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    pub snapshot: AdminIsStatsSnapshot,
    recent: VecDeque<RequestLine>,
}

impl Stats {
    pub fn arrived(&mut self, endpoint: &str, write: bool) {
        self.snapshot.total += 1;
        *self.snapshot.by_endpoint.entry(endpoint.to_string()).or_default() += 1;
        if write {
            self.snapshot.writes += 1;
        }
    }

    pub fn answered(&mut self, line: RequestLine) {
        *self.snapshot.by_status.entry(line.status).or_default() += 1;
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(line);
    }

    pub fn snapshot(&self) -> AdminIsStatsSnapshot {
        AdminIsStatsSnapshot { recent: self.recent.iter().cloned().collect(), ..self.snapshot.clone() }
    }

    pub fn reset(&mut self) {
        *self = Stats::default();
    }
}
