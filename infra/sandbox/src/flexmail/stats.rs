//! What the stand-in counts: calls per endpoint (`"GET /contacts"`, by route pattern), the
//! total, answers per status, the 429s, injected faults, webhook deliveries, and the most
//! recent requests (method, path, query, status — never headers or bodies). Admin calls are
//! not counted.

use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

use crate::stats::RequestLine;

const RECENT: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FlexmailStatsSnapshot {
    /// Every API call that arrived, refused ones (401, 429, faults) included.
    pub total: u64,
    /// Calls per `"METHOD /route/{pattern}"`, refused ones included.
    pub by_endpoint: BTreeMap<String, u64>,
    /// Answered calls per status.
    pub by_status: BTreeMap<u16, u64>,
    /// 429s answered: by the rate limit and by injected faults.
    pub rate_limited: u64,
    /// 429s answered by the rate limit only.
    pub throttled: u64,
    /// Calls that passed auth, faults and the rate limit and reached an endpoint (what the
    /// rate limit counts).
    pub served: u64,
    pub faults_served: u64,
    /// Webhook deliveries attempted (one per registered webhook per fired event).
    pub webhooks_fired: u64,
    /// The last requests, oldest first (at most 1,000).
    pub recent: Vec<RequestLine>,
}

impl FlexmailStatsSnapshot {
    /// Calls to one endpoint, e.g. `calls("GET /contacts")`.
    pub fn calls(&self, endpoint: &str) -> u64 {
        self.by_endpoint.get(endpoint).copied().unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    snapshot: FlexmailStatsSnapshot,
    recent: VecDeque<RequestLine>,
}

impl Stats {
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

    pub fn throttled(&mut self) {
        self.snapshot.throttled += 1;
    }

    pub fn served(&mut self) {
        self.snapshot.served += 1;
    }

    pub fn fault_served(&mut self) {
        self.snapshot.faults_served += 1;
    }

    pub fn webhook_fired(&mut self) {
        self.snapshot.webhooks_fired += 1;
    }

    pub fn snapshot(&self) -> FlexmailStatsSnapshot {
        FlexmailStatsSnapshot { recent: self.recent.iter().cloned().collect(), ..self.snapshot.clone() }
    }

    pub fn reset(&mut self) {
        *self = Stats::default();
    }
}
