//! What the stand-in counts: calls per endpoint (`"GET /relations"`), the total, answers per
//! status, 429s, "not ready" answers, 401s, injected faults, items created / updated / deleted
//! per kind (`interaction`, `note`, `document`, `todo`), and the most recent requests (method,
//! path, query, status — never headers or bodies). Admin calls are not counted.

use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

use crate::stats::RequestLine;

const RECENT: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AdminPulseStatsSnapshot {
    /// Every API call that arrived, refused ones (401, 409, 429, faults) included.
    pub total: u64,
    /// Calls per `"METHOD /route"`, refused ones included.
    pub by_endpoint: BTreeMap<String, u64>,
    /// Answered calls per status.
    pub by_status: BTreeMap<u16, u64>,
    /// 429s answered: by the rate limit and by injected faults.
    pub rate_limited: u64,
    /// 429s answered by the rate limit only.
    pub throttled: u64,
    /// "Not ready yet" answers.
    pub not_ready: u64,
    /// 401s (unknown, revoked or missing bearer).
    pub unauthorized: u64,
    /// Calls that passed faults, auth, the rate limit and readiness and reached an endpoint.
    pub served: u64,
    pub faults_served: u64,
    /// 429s of `documents/add`'s own 50 a minute (also in `throttled`).
    pub documents_throttled: u64,
    /// Items stored per kind (`interaction`, `note`, `document`, `todo`).
    pub items_created: BTreeMap<String, u64>,
    /// Items changed in place per kind.
    pub items_updated: BTreeMap<String, u64>,
    /// Items deleted per kind.
    pub items_deleted: BTreeMap<String, u64>,
    /// The last requests, oldest first (at most 1,000).
    pub recent: Vec<RequestLine>,
}

impl AdminPulseStatsSnapshot {
    /// Calls to one endpoint, e.g. `calls("GET /relations")`.
    pub fn calls(&self, endpoint: &str) -> u64 {
        self.by_endpoint.get(endpoint).copied().unwrap_or_default()
    }
    /// Answers with this status.
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or_default()
    }
    /// Items of `kind` stored (`interaction`, `note`, `document`, `todo`).
    pub fn created(&self, kind: &str) -> u64 {
        self.items_created.get(kind).copied().unwrap_or_default()
    }
    pub fn updated(&self, kind: &str) -> u64 {
        self.items_updated.get(kind).copied().unwrap_or_default()
    }
    pub fn deleted(&self, kind: &str) -> u64 {
        self.items_deleted.get(kind).copied().unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    snapshot: AdminPulseStatsSnapshot,
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

    pub fn throttled(&mut self) {
        self.snapshot.throttled += 1;
    }

    pub fn not_ready(&mut self) {
        self.snapshot.not_ready += 1;
    }

    pub fn served(&mut self) {
        self.snapshot.served += 1;
    }

    pub fn fault_served(&mut self) {
        self.snapshot.faults_served += 1;
    }

    pub fn documents_throttled(&mut self) {
        self.snapshot.documents_throttled += 1;
    }

    pub fn item_created(&mut self, kind: &str) {
        *self.snapshot.items_created.entry(kind.to_string()).or_default() += 1;
    }

    pub fn item_updated(&mut self, kind: &str) {
        *self.snapshot.items_updated.entry(kind.to_string()).or_default() += 1;
    }

    pub fn item_deleted(&mut self, kind: &str) {
        *self.snapshot.items_deleted.entry(kind.to_string()).or_default() += 1;
    }

    pub fn snapshot(&self) -> AdminPulseStatsSnapshot {
        AdminPulseStatsSnapshot { recent: self.recent.iter().cloned().collect(), ..self.snapshot.clone() }
    }

    pub fn reset(&mut self) {
        *self = Stats::default();
    }
}
