//! What the stand-in counts: calls per route (`"POST /json/2/res.partner/message_post"`), answers
//! per status, 401s, 429s, injected faults, records created / updated / deleted per model, and the
//! most recent requests (method, path, status — never headers or bodies). Admin calls are not
//! counted.

use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

use super::store::Changes;
use crate::stats::RequestLine;

const RECENT: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OdooStatsSnapshot {
    /// Every call that arrived, refused ones included.
    pub total: u64,
    /// Calls per `"METHOD /path"`.
    pub by_route: BTreeMap<String, u64>,
    pub by_status: BTreeMap<u16, u64>,
    pub unauthorized: u64,
    pub rate_limited: u64,
    pub faults_served: u64,
    /// Records created / updated / deleted per model, over every database.
    pub changes: BTreeMap<String, Changes>,
    /// The last requests, oldest first (at most 1,000).
    pub recent: Vec<RequestLine>,
}

impl OdooStatsSnapshot {
    /// Calls to one route, e.g. `calls("POST /json/2/mail.activity/create")`.
    pub fn calls(&self, route: &str) -> u64 {
        self.by_route.get(route).copied().unwrap_or_default()
    }
    /// Calls to `{model}/{method}` (`"mail.activity/create"`).
    pub fn rpc(&self, model_method: &str) -> u64 {
        self.calls(&format!("POST /json/2/{model_method}"))
    }
    pub fn status(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or_default()
    }
    pub fn created(&self, model: &str) -> u64 {
        self.changes.get(model).map(|c| c.created).unwrap_or_default()
    }
    pub fn updated(&self, model: &str) -> u64 {
        self.changes.get(model).map(|c| c.updated).unwrap_or_default()
    }
    pub fn deleted(&self, model: &str) -> u64 {
        self.changes.get(model).map(|c| c.deleted).unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    snapshot: OdooStatsSnapshot,
    recent: VecDeque<RequestLine>,
}

impl Stats {
    pub fn arrived(&mut self, route: &str) {
        self.snapshot.total += 1;
        *self.snapshot.by_route.entry(route.to_string()).or_default() += 1;
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

    pub fn snapshot(&self, changes: BTreeMap<String, Changes>) -> OdooStatsSnapshot {
        OdooStatsSnapshot { recent: self.recent.iter().cloned().collect(), changes, ..self.snapshot.clone() }
    }

    pub fn reset(&mut self) {
        *self = Stats::default();
    }
}
