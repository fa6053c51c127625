//! Log lines of a run, written with the page they belong to.

use chrono::{DateTime, Utc};

use crate::domain::run::{LogLevel, LogLine};
use crate::domain::stream::StreamKind;
use crate::keys;
use crate::ports::WriteOp;
use crate::repo;

/// A run keeps at most this many lines; the rest are counted in a last line.
pub const MAX_LINES: u32 = 1000;

pub struct RunLog {
    tenant: String,
    conn: String,
    run_id: String,
    next_seq: u32,
    suppressed: u64,
    pending: Vec<LogLine>,
}

pub struct Entry<'a> {
    pub level: LogLevel,
    pub stream: Option<StreamKind>,
    pub remote_id: Option<&'a str>,
    pub record: Option<&'a str>,
    pub message: String,
    pub hint: Option<String>,
}

impl RunLog {
    pub fn new(tenant: &str, conn: &str, run_id: &str, already_written: u32) -> Self {
        Self {
            tenant: tenant.into(),
            conn: conn.into(),
            run_id: run_id.into(),
            next_seq: already_written,
            suppressed: 0,
            pending: Vec::new(),
        }
    }

    pub fn push(&mut self, at: DateTime<Utc>, e: Entry<'_>) {
        if self.next_seq >= MAX_LINES - 1 {
            self.suppressed += 1;
            return;
        }
        tracing::debug!(run = %self.run_id, level = ?e.level, stream = ?e.stream, remote_id = ?e.remote_id, "{}", e.message);
        self.pending.push(LogLine {
            seq: self.next_seq,
            at,
            level: e.level,
            stream: e.stream,
            remote_id: e.remote_id.map(str::to_string),
            record: e.record.map(str::to_string),
            message: e.message,
            hint: e.hint,
        });
        self.next_seq += 1;
    }

    pub fn written(&self) -> u32 {
        self.next_seq
    }

    /// Lines to write with the current page; the suppressed count becomes a last line at the end.
    pub fn drain(&mut self, at: DateTime<Utc>, final_flush: bool) -> Vec<WriteOp> {
        if final_flush && self.suppressed > 0 {
            self.pending.push(LogLine {
                seq: self.next_seq,
                at,
                level: LogLevel::Warning,
                stream: None,
                remote_id: None,
                record: None,
                message: format!("{} more lines were not kept (a run keeps {MAX_LINES}).", self.suppressed),
                hint: Some("Fix the problems above and run again to see the rest.".into()),
            });
            self.next_seq += 1;
            self.suppressed = 0;
        }
        let pk = keys::conn_pk(&self.tenant, &self.conn);
        self.pending
            .drain(..)
            .map(|l| WriteOp::Put(repo::encode(&pk, &keys::log_sk(&self.run_id, l.seq), &l, 0)))
            .collect()
    }
}
