//! What the stand-in counts: calls per route (`"POST /api/v4/f/{firm}/companies/{company}/…"`),
//! the total, answers per status, what was created, updated and deleted, 429s, 401s, injected
//! faults and stalls, and the most recent requests (method, path, query, status — never headers
//! or bodies). Admin calls are not counted.

use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

use crate::stats::RequestLine;

const RECENT: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SilverfinStatsSnapshot {
    /// Every API call that arrived, refused ones included.
    pub total: u64,
    /// Calls per `"METHOD /route/{pattern}"`, refused ones included.
    pub by_endpoint: BTreeMap<String, u64>,
    /// Answered calls per status.
    pub by_status: BTreeMap<u16, u64>,
    pub remarks_created: u64,
    pub todos_created: u64,
    /// To-dos flagged done or open.
    pub remarks_flagged: u64,
    pub remarks_deleted: u64,
    pub documents_created: u64,
    pub documents_deleted: u64,
    /// 429s answered (all injected).
    pub rate_limited: u64,
    /// 401s (missing, unknown, expired or revoked token).
    pub unauthorized: u64,
    pub faults_served: u64,
    /// Writes that stored the item and then answered late (timeout after store).
    pub stalls: u64,
    /// The last requests, oldest first (at most 1,000).
    pub recent: Vec<RequestLine>,
}

impl SilverfinStatsSnapshot {
    /// Calls to one route, e.g. `calls("GET /api/v4/f/{firm}/companies")`.
    pub fn calls(&self, endpoint: &str) -> u64 {
        self.by_endpoint.get(endpoint).copied().unwrap_or_default()
    }
    /// Calls whose route ends with `suffix`, e.g. `calls_ending("/remarks")` (every method).
    pub fn calls_ending(&self, suffix: &str) -> u64 {
        self.by_endpoint.iter().filter(|(k, _)| k.ends_with(suffix)).map(|(_, v)| v).sum()
    }
    /// Answers with this status.
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or_default()
    }
    /// Items created (remarks of both kinds and documents).
    pub fn created(&self) -> u64 {
        self.remarks_created + self.todos_created + self.documents_created
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    pub snapshot: SilverfinStatsSnapshot,
    recent: VecDeque<RequestLine>,
}

impl Stats {
    pub fn arrived(&mut self, endpoint: &str) {
        self.snapshot.total += 1;
        *self.snapshot.by_endpoint.entry(endpoint.to_string()).or_default() += 1;
    }

    pub fn answered(&mut self, line: RequestLine) {
        *self.snapshot.by_status.entry(line.status).or_default() += 1;
        match line.status {
            429 => self.snapshot.rate_limited += 1,
            401 => self.snapshot.unauthorized += 1,
            _ => {}
        }
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(line);
    }

    pub fn snapshot(&self) -> SilverfinStatsSnapshot {
        SilverfinStatsSnapshot { recent: self.recent.iter().cloned().collect(), ..self.snapshot.clone() }
    }

    pub fn reset(&mut self) {
        *self = Stats::default();
    }
}
