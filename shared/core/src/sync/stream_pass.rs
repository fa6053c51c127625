//! One stream, page by page: fetch, decide, write, then save the cursor and the progress.

use chrono::{DateTime, Utc};

use super::page::PageCtx;
use super::runlog::RunLog;
use super::{PAGE_SIZE, cursor, customers, records, run_item};
use crate::domain::connection::Connection;
use crate::domain::run::{LogLevel, Run};
use crate::domain::stream::StreamKind;
use crate::ports::source::{PageNext, PageRequest, RemoteRecord, SourceSession};
use crate::{AppError, Deps};

pub enum PassEnd {
    Done,
    OutOfTime,
}

pub struct Pass<'a> {
    pub deps: &'a Deps,
    pub conn: &'a Connection,
    pub session: &'a dyn SourceSession,
    pub run: &'a mut Run,
    pub log: &'a mut RunLog,
    pub lease: &'a mut super::lease::Lease,
    pub deadline: DateTime<Utc>,
    /// API calls the run had made before this invocation.
    pub calls_before: u64,
    /// Whether this invocation has processed a page yet: every invocation processes at least
    /// one, so a short deadline can never make a continuation loop without progress.
    pub progressed: bool,
}

impl Pass<'_> {
    pub async fn run_stream(&mut self, stream: StreamKind) -> Result<PassEnd, AppError> {
        let store = self.deps.store.as_ref();
        let (tenant, conn_id) = (self.conn.tenant_id.as_str(), self.conn.id.as_str());
        let mut cursor = cursor::load(store, tenant, conn_id, stream).await?;
        let pass = cursor.begin(&self.run.id, stream);
        loop {
            if self.progressed && self.deps.clock.now() >= self.deadline {
                return Ok(PassEnd::OutOfTime);
            }
            let (skip, token) = cursor.pass.as_ref().map_or((pass.skip, None), |p| (p.skip, p.token.clone()));
            let request = PageRequest {
                stream,
                start_date: self.conn.start_date,
                modified_after: pass.modified_after,
                skip,
                top: PAGE_SIZE,
                token,
            };
            let Some(page) = super::not_ready::fetch(self, &request).await? else {
                return Ok(PassEnd::OutOfTime);
            };
            let now = self.deps.clock.now();
            let newest = page.records.iter().filter_map(|r| r.as_ref().ok().and_then(RemoteRecord::modified_on)).max();
            let raw_len = page.raw_len as u64;
            let mut ctx = PageCtx::new(self.deps, self.conn, stream, now, self.log);
            dispatch(&mut ctx, page.records).await?;
            let (done, next_token) = match page.next {
                PageNext::ByLength => (raw_len < u64::from(PAGE_SIZE), None),
                PageNext::Token(t) => (false, Some(t)),
                PageNext::End => (true, None),
            };
            let mut counters = std::mem::take(&mut ctx.counters);
            counters.pages = 1;
            counters.records = raw_len;
            let mut writes = ctx.take_writes().await?;
            drop(ctx);
            cursor.advance_to(raw_len, newest, next_token);
            let progress = self.run.streams.iter_mut().find(|s| s.stream == stream);
            if let Some(p) = progress {
                p.counters.add(&counters);
                if done {
                    p.done = true;
                    waiting_line(self.log, now, stream, p.counters.unmatched);
                }
            }
            writes.extend(self.log.drain(now, false));
            if !writes.is_empty() {
                store.batch_write(writes).await?;
            }
            if done {
                cursor.finish();
            }
            cursor::save(store, tenant, conn_id, stream, &mut cursor).await?;
            self.run.api_calls = self.calls_before + self.session.api_calls();
            self.run.updated_at = now;
            self.run.log_lines = self.log.written();
            self.run.recount_totals();
            run_item::save(store, tenant, self.run).await?;
            self.lease.renew(store, now).await?;
            self.progressed = true;
            if done {
                return Ok(PassEnd::Done);
            }
        }
    }
}

async fn dispatch(
    ctx: &mut PageCtx<'_>,
    rows: Vec<Result<RemoteRecord, crate::ports::source::RecordProblem>>,
) -> Result<(), AppError> {
    let (mut cs, mut is, mut ps) = (Vec::new(), Vec::new(), Vec::new());
    for row in rows {
        match row {
            Ok(RemoteRecord::Customer(c)) => cs.push(c),
            Ok(RemoteRecord::Invoice(i)) => is.push(i),
            Ok(RemoteRecord::Payment(p)) => ps.push(p),
            Err(problem) => {
                let msg = format!("a {} record could not be read: {}", ctx.stream, problem.reason);
                let provider = crate::domain::catalog::label(&ctx.conn.provider);
                let hint =
                    format!("Check this record in {provider}; if it looks right, contact support with the run id.");
                ctx.fail(problem.remote_id.as_deref(), None, msg, &hint);
            }
        }
    }
    if !cs.is_empty() {
        customers::process(ctx, cs).await?;
    }
    if !is.is_empty() {
        records::process(ctx, is).await?;
    }
    if !ps.is_empty() {
        records::process(ctx, ps).await?;
    }
    Ok(())
}

fn waiting_line(log: &mut RunLog, now: DateTime<Utc>, stream: StreamKind, unmatched: u64) {
    if unmatched == 0 {
        return;
    }
    let (message, hint) = match stream {
        StreamKind::Customers => (
            format!("{unmatched} customers wait for a manual link."),
            "Open the unmatched customers, link each to a platform customer, or merge duplicates.",
        ),
        _ => (
            format!("{unmatched} {stream} wait for their customer to be linked."),
            "Link the waiting customers (they are attached at once), or run Sync customers first if their customer is new.",
        ),
    };
    log.push(
        now,
        super::runlog::Entry {
            level: LogLevel::Warning,
            stream: Some(stream),
            remote_id: None,
            record: None,
            message,
            hint: Some(hint.into()),
        },
    );
}
