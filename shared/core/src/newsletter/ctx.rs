//! The state of one newsletter run invocation, and its checkpoint: after every page (or
//! every send batch) the cursor, the run's progress, the log lines and the call budget are
//! saved, so a run stopped anywhere resumes there.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::caller::{Caller, Stop};
use crate::domain::connection::Connection;
use crate::domain::newsletter::NewsletterSettings;
use crate::domain::run::{Counters, LogLevel, NewsletterReport, Run};
use crate::domain::stream::StreamKind;
use crate::ports::WriteOp;
use crate::sync::lease::Lease;
use crate::sync::run_item;
use crate::sync::runlog::{Entry, RunLog};
use crate::{AppError, Deps, keys, repo};

/// Where a newsletter stream stands (`CURSOR#{stream}` under the connection).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// Contacts: the store page token of the first contact not yet sent.
    #[serde(default)]
    pub token: Option<String>,
    /// Reconciliation: the provider offset of the next page.
    #[serde(default)]
    pub offset: u64,
    /// Contacts: the duplicate addresses were listed in this run's log.
    #[serde(default)]
    pub duplicates_listed: bool,
    /// The run this place belongs to (a new run starts over).
    #[serde(default)]
    pub run_id: String,
}

/// How a stream ended in this invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    Done,
    OutOfTime,
    MonthSpent,
}

pub struct Ctx<'a> {
    pub deps: &'a Deps,
    pub conn: &'a Connection,
    pub settings: &'a NewsletterSettings,
    pub caller: Caller<'a>,
    pub run: Run,
    pub log: RunLog,
    pub lease: Lease,
    pub report: NewsletterReport,
    pub interests_on: bool,
    /// Whether this invocation saved any progress (it always makes some before pausing).
    pub progressed: bool,
    pub deadline: DateTime<Utc>,
    /// The run's calls before this invocation.
    pub run_calls_before: u64,
    /// Flexmail interest ids by label and name, read once per invocation when needed.
    pub interest_ids: Option<std::collections::HashMap<String, String>>,
    /// The contact source for creates, when the connection test did not store one.
    pub source: Option<String>,
}

impl Ctx<'_> {
    pub fn now(&self) -> DateTime<Utc> {
        self.deps.clock.now()
    }

    pub fn out_of_time(&self) -> bool {
        self.progressed && self.now() >= self.deadline
    }

    pub async fn place(&self, stream: StreamKind) -> Result<Place, AppError> {
        let pk = keys::conn_pk(&self.conn.tenant_id, &self.conn.id);
        let place = repo::get::<Place>(self.deps.store.as_ref(), &pk, &keys::cursor_sk(stream)).await?;
        Ok(place
            .map(|(p, _)| p)
            .filter(|p| p.run_id == self.run.id)
            .unwrap_or_else(|| Place { run_id: self.run.id.clone(), ..Place::default() }))
    }

    pub fn log(
        &mut self,
        level: LogLevel,
        stream: StreamKind,
        record: Option<&str>,
        message: String,
        hint: Option<String>,
    ) {
        let now = self.now();
        self.log.push(now, Entry { level, stream: Some(stream), remote_id: None, record, message, hint });
    }

    /// Add a batch's counts to the stream's progress.
    pub fn count(&mut self, stream: StreamKind, c: &Counters) {
        if let Some(p) = self.run.streams.iter_mut().find(|s| s.stream == stream) {
            p.counters.add(c);
        }
    }

    /// Save `extra` writes, the place, the log, the run and the budget; renew the lease.
    pub async fn checkpoint(
        &mut self,
        stream: StreamKind,
        place: &Place,
        mut extra: Vec<WriteOp>,
    ) -> Result<(), AppError> {
        let store = self.deps.store.as_ref();
        let now = self.now();
        let pk = keys::conn_pk(&self.conn.tenant_id, &self.conn.id);
        extra.push(WriteOp::Put(repo::encode(&pk, &keys::cursor_sk(stream), place, 0)));
        extra.extend(self.log.drain(now, false));
        store.batch_write(extra).await?;
        self.caller.save(store).await?;
        self.sync_report();
        self.run.recount_totals();
        self.run.log_lines = self.log.written();
        self.run.updated_at = now;
        run_item::save(store, &self.conn.tenant_id, &mut self.run).await?;
        self.lease.renew(store, now).await?;
        self.progressed = true;
        Ok(())
    }

    /// Copy the counters that live outside the report into it.
    pub fn sync_report(&mut self) {
        self.report.rate_limited = self.caller.budget.state.rate_limited;
        self.report.month_calls = self.caller.budget.month_calls();
        self.run.api_calls = self.run_calls_before + self.caller.calls;
        self.run.newsletter = Some(self.report.clone());
    }

    /// What a stopped call means for the stream: a pause, the cap, a failed record, or a failed run.
    pub fn classify(&mut self, stop: Stop) -> Result<Outcome, AppError> {
        match stop {
            Stop::OutOfTime => Ok(Outcome::End(StreamEnd::OutOfTime)),
            Stop::MonthSpent => Ok(Outcome::End(StreamEnd::MonthSpent)),
            Stop::App(e) => Err(e),
            Stop::Provider(e) if e.is_transient() => Err(AppError::Connector(e)),
            Stop::Provider(e @ crate::ports::ConnectorError::Rejected { .. }) => Ok(Outcome::Record(e)),
            Stop::Provider(e) => Err(AppError::Connector(e)),
        }
    }
}

/// A stop that concerns one record (the provider refused it) or the whole stream.
pub enum Outcome {
    Record(crate::ports::ConnectorError),
    End(StreamEnd),
}
