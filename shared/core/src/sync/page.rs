//! What one page's processing needs and produces.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::runlog::{Entry, RunLog};
use crate::domain::connection::Connection;
use crate::domain::run::{Counters, LogLevel};
use crate::domain::stream::StreamKind;
use crate::ports::WriteOp;
use crate::{AppError, Deps};

pub struct PageCtx<'a> {
    pub deps: &'a Deps,
    pub conn: &'a Connection,
    pub tenant: &'a str,
    pub stream: StreamKind,
    pub now: DateTime<Utc>,
    pub log: &'a mut RunLog,
    pub counters: Counters,
    pub writes: Vec<WriteOp>,
    /// Customers created earlier in this page, by matching-key value, so two provider
    /// records with the same key in one page do not make two platform customers.
    pub created_by_key: HashMap<String, String>,
}

impl<'a> PageCtx<'a> {
    pub fn new(
        deps: &'a Deps,
        conn: &'a Connection,
        stream: StreamKind,
        now: DateTime<Utc>,
        log: &'a mut RunLog,
    ) -> Self {
        Self {
            deps,
            conn,
            tenant: &conn.tenant_id,
            stream,
            now,
            log,
            counters: Counters::default(),
            writes: Vec::new(),
            created_by_key: HashMap::new(),
        }
    }

    pub fn line(
        &mut self,
        level: LogLevel,
        remote_id: Option<&str>,
        record: Option<&str>,
        message: String,
        hint: Option<String>,
    ) {
        let stream = Some(self.stream);
        self.log.push(self.now, Entry { level, stream, remote_id, record, message, hint });
    }

    /// The page's writes, ready to commit: when the connection's actor feed is on, every
    /// customer mirror among them carries its sequence number, followed by its change item
    /// (`erp::feed::stamp_page`). With the feed off this costs one `get` for a page that writes
    /// customer mirrors, nothing for any other page, and the writes are unchanged.
    pub async fn take_writes(&mut self) -> Result<Vec<WriteOp>, AppError> {
        let mut writes = std::mem::take(&mut self.writes);
        let store = self.deps.store.as_ref();
        crate::erp::feed::stamp_page(store, self.tenant, &self.conn.id, &mut writes, self.now).await?;
        Ok(writes)
    }

    pub fn fail(&mut self, remote_id: Option<&str>, record: Option<&str>, message: String, hint: &str) {
        self.counters.failed += 1;
        self.line(LogLevel::Error, remote_id, record, message, Some(hint.to_string()));
    }
}
