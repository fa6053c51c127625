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
    /// Stopped at the connection's monthly call cap; the next run after the cap allows calls resumes.
    Stopped,
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
    /// Newsletter runs (Flexmail): what was sent, skipped and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newsletter: Option<NewsletterReport>,
    /// What the run is waiting for while it runs, in a sentence (e.g. the provider is not
    /// ready for a new link yet and Koppel asks again at a given time). Cleared when it goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// Since when the provider has answered "not ready" (the wait gives up after a while).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_since: Option<DateTime<Utc>>,
    #[serde(default)]
    pub version: u64,
}

/// The newsletter part of a run summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewsletterReport {
    /// Whether interests were sent in this run.
    pub interests_included: bool,
    pub sent_created: u64,
    pub sent_updated: u64,
    /// Sent through Flexmail's bulk import (counted in the two above as far as known).
    pub sent_by_import: u64,
    pub unchanged: u64,
    pub skipped_duplicate: u64,
    /// Addresses shared by more than one contact (each listed in the log).
    pub duplicate_addresses: u64,
    pub skipped_no_newsletter: u64,
    pub skipped_inactive: u64,
    pub skipped_no_email: u64,
    pub failed: u64,
    /// Newsletter flags turned off because the contact unsubscribed in Flexmail.
    pub unsubscribes_applied: u64,
    /// Platform contacts created from Flexmail (opt-in).
    pub platform_created: u64,
    /// Flexmail contacts read by the reconciliation.
    pub remote_read: u64,
    /// 429 answers: each means the configured budget is higher than Flexmail allows.
    pub rate_limited: u64,
    /// Calls used this month after the run.
    pub month_calls: u64,
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
