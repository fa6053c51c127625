//! What the stand-in counts: calls per endpoint (`"POST /crm/v8/Notes"`, by route template), the
//! total, answers per status, 429s, 401s, injected faults, and the most recent requests (method,
//! path, query, status — never headers or bodies). Admin calls are not counted. Items created,
//! updated and deleted are counted by the store (`ZohoData::counts`) and copied in here.

use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

use super::model::Counts;
use crate::stats::RequestLine;

const RECENT: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ZohoStatsSnapshot {
    pub total: u64,
    pub by_endpoint: BTreeMap<String, u64>,
    pub by_status: BTreeMap<u16, u64>,
    pub rate_limited: u64,
    pub unauthorized: u64,
    pub faults_served: u64,
    /// Notes, tasks, attachments and WorkDrive files created / updated / deleted.
    pub items: Counts,
    /// The last requests, oldest first (at most 1,000).
    pub recent: Vec<RequestLine>,
}

impl ZohoStatsSnapshot {
    /// Calls to one endpoint, e.g. `calls("POST /crm/v8/Notes")`.
    pub fn calls(&self, endpoint: &str) -> u64 {
        self.by_endpoint.get(endpoint).copied().unwrap_or_default()
    }
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or_default()
    }
    /// Calls whose endpoint starts with `method` (`"POST"`, `"GET"` …).
    pub fn calls_with(&self, method: &str) -> u64 {
        self.by_endpoint.iter().filter(|(e, _)| e.split(' ').next() == Some(method)).map(|(_, n)| n).sum()
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    snapshot: ZohoStatsSnapshot,
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

    pub fn fault_served(&mut self) {
        self.snapshot.faults_served += 1;
    }

    pub fn snapshot(&self, items: Counts) -> ZohoStatsSnapshot {
        ZohoStatsSnapshot { recent: self.recent.iter().cloned().collect(), items, ..self.snapshot.clone() }
    }

    pub fn reset(&mut self) {
        *self = Stats::default();
    }
}
