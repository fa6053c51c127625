//! A sync run: its progress while it runs, its summary after, and its log lines.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stream::StreamKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Requested; the sync function has not picked it up yet.
    Queued,
    Running,
    /// Stopped at its time budget; a continuation resumes from the last saved page.
    Paused,
    Completed,
    /// Stopped on an error; the next run resumes from the last saved page.
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Manual,
    Schedule,
    Continuation,
}

/// Counts of one stream or of the whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Counters {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub unmatched: u64,
    /// Provider records that are not for this stream (e.g. suppliers among relations).
    pub skipped: u64,
    pub failed: u64,
    pub pages: u64,
    pub records: u64,
}

impl Counters {
    pub fn add(&mut self, other: &Counters) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.unmatched += other.unmatched;
        self.skipped += other.skipped;
        self.failed += other.failed;
        self.pages += other.pages;
        self.records += other.records;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StreamProgress {
    pub stream: StreamKind,
    pub done: bool,
    pub counters: Counters,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Run {
    pub id: String,
    pub connection_id: String,
    pub trigger: Trigger,
    pub status: RunStatus,
    pub streams: Vec<StreamProgress>,
    /// Sum over the streams.
    pub totals: Counters,
    pub api_calls: u64,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Wall time spent running, summed over continuations.
    pub duration_ms: u64,
    /// Why the run stopped, when it failed.
    pub error: Option<String>,
    pub log_lines: u32,
    #[serde(default)]
    pub version: u64,
}

impl Run {
    pub fn current_stream(&self) -> Option<StreamKind> {
        self.streams.iter().find(|s| !s.done).map(|s| s.stream)
    }
    pub fn recount_totals(&mut self) {
        let mut totals = Counters::default();
        for s in &self.streams {
            totals.add(&s.counters);
        }
        self.totals = totals;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Info,
    Warning,
    Error,
}

/// A line a user can act on: which record, what happened, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LogLine {
    pub seq: u32,
    pub at: DateTime<Utc>,
    pub level: LogLevel,
    pub stream: Option<StreamKind>,
    /// The provider's id of the record concerned.
    pub remote_id: Option<String>,
    /// A label the user recognises (customer name, invoice number).
    pub record: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}
