//! One invocation of a sync run: take the lease, work through the streams until done or out
//! of time, and leave a summary a user can read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::lease::{self, Acquired};
use super::run_item;
use super::runlog::{Entry, RunLog};
use super::stream_pass::{Pass, PassEnd};
use crate::domain::connection::ConnectionStatus;
use crate::domain::run::{LogLevel, Run, RunStatus, Trigger};
use crate::domain::stream::StreamKind;
use crate::ports::bus::{DomainEvent, SYNC_COMPLETED};
use crate::usecases::connections;
use crate::{AppError, Deps};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    pub tenant_id: String,
    pub connection_id: String,
    #[serde(default = "all_streams")]
    pub streams: Vec<StreamKind>,
    #[serde(default)]
    pub run_id: Option<String>,
    #[serde(default = "scheduled")]
    pub trigger: Trigger,
    /// Newsletter runs: send interests even when the connection has them off (manual sync).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_interests: Option<bool>,
}

fn all_streams() -> Vec<StreamKind> {
    StreamKind::ALL.to_vec()
}
fn scheduled() -> Trigger {
    Trigger::Schedule
}

#[derive(Debug)]
pub enum SyncOutcome {
    Completed(Run),
    /// Out of time: a continuation with the same run id resumes it.
    Paused(Run),
    /// Stopped on an error (logged on the run); the next run resumes from the last saved page.
    Failed(Run),
    /// Stopped at the monthly call cap: no continuation; the next scheduled run resumes.
    Stopped(Run),
    /// Another run of this connection is in progress.
    Busy {
        other_run: String,
    },
    /// Nothing to do (e.g. a schedule fired for a connection that is no longer active).
    Skipped {
        reason: String,
    },
}

pub async fn run_sync(deps: &Deps, req: SyncRequest, deadline: DateTime<Utc>) -> Result<SyncOutcome, AppError> {
    let store = deps.store.as_ref();
    let conn = connections::load(store, &req.tenant_id, &req.connection_id).await?;
    if req.trigger == Trigger::Schedule && conn.status != ConnectionStatus::Active {
        return Ok(SyncOutcome::Skipped { reason: "the connection is not active".into() });
    }
    if !conn.test_passed() {
        return Ok(SyncOutcome::Skipped { reason: "the connection has not passed a test".into() });
    }
    let started = deps.clock.now();
    let run_id = req.run_id.clone().unwrap_or_else(|| deps.ids.new_id());
    let mut lease = match lease::acquire(store, &conn.tenant_id, &conn.id, &run_id, started).await? {
        Acquired::Yes(l) => l,
        Acquired::Busy { run_id: other_run } => {
            if let Some(mut queued) = run_item::load(store, &conn.tenant_id, &conn.id, &run_id).await?
                && queued.status == RunStatus::Queued
            {
                queued.status = RunStatus::Failed;
                queued.error = Some("another run of this connection was in progress; this one did not start".into());
                run_item::save(store, &conn.tenant_id, &mut queued).await?;
            }
            return Ok(SyncOutcome::Busy { other_run });
        }
    };
    let mut run = match run_item::load(store, &conn.tenant_id, &conn.id, &run_id).await? {
        Some(r) => r,
        None if conn.newsletter.is_some() => run_item::new_run(
            &conn.id,
            &run_id,
            &crate::newsletter::run::streams_for(&conn, &req, started),
            req.trigger,
            started,
        ),
        None => run_item::new_run(&conn.id, &run_id, &req.streams, req.trigger, started),
    };
    if run.status == RunStatus::Completed {
        lease.release(store).await?;
        return Ok(SyncOutcome::Completed(run));
    }
    run.status = RunStatus::Running;
    run.error = None;
    run_item::save(store, &conn.tenant_id, &mut run).await?;
    let mut log = RunLog::new(&conn.tenant_id, &conn.id, &run.id, run.log_lines);
    if conn.newsletter.is_some() {
        return crate::newsletter::run::run(deps, &conn, &req, run, log, lease, started, deadline).await;
    }

    let session = match open_session(deps, &conn).await {
        Ok(s) => s,
        Err(e) => return finish_failed(deps, &conn.tenant_id, run, log, lease, started, e).await,
    };
    let calls_before = run.api_calls;
    let streams: Vec<StreamKind> = run.streams.iter().filter(|s| !s.done).map(|s| s.stream).collect();
    let mut progressed = false;
    for stream in streams {
        let mut pass = Pass {
            deps,
            conn: &conn,
            session: session.as_ref(),
            run: &mut run,
            log: &mut log,
            lease: &mut lease,
            deadline,
            calls_before,
            progressed,
        };
        let end = pass.run_stream(stream).await;
        progressed = pass.progressed;
        match end {
            Ok(PassEnd::Done) => {}
            Ok(PassEnd::OutOfTime) => {
                // Calls made since the last saved page (e.g. while waiting on "not ready") count too.
                run.api_calls = calls_before + session.api_calls();
                run.status = RunStatus::Paused;
                run.duration_ms += elapsed_ms(started, deps.clock.now());
                run_item::save(store, &conn.tenant_id, &mut run).await?;
                return Ok(SyncOutcome::Paused(run));
            }
            Err(e) => {
                run.api_calls = calls_before + session.api_calls();
                return finish_failed(deps, &conn.tenant_id, run, log, lease, started, e).await;
            }
        }
    }
    let now = deps.clock.now();
    let tail = log.drain(now, true);
    if !tail.is_empty() {
        store.batch_write(tail).await?;
    }
    run.status = RunStatus::Completed;
    run.finished_at = Some(now);
    run.duration_ms += elapsed_ms(started, now);
    run.log_lines = log.written();
    run_item::save(store, &conn.tenant_id, &mut run).await?;
    lease.release(store).await?;
    let detail = serde_json::json!({ "tenant_id": conn.tenant_id, "connection_id": conn.id, "run_id": run.id, "totals": run.totals });
    if let Err(e) = deps.bus.publish(DomainEvent { detail_type: SYNC_COMPLETED.into(), detail }).await {
        tracing::warn!(run = %run.id, error = %e, "could not publish the completion event");
    }
    Ok(SyncOutcome::Completed(run))
}

async fn open_session(
    deps: &Deps,
    conn: &crate::domain::connection::Connection,
) -> Result<Box<dyn crate::ports::SourceSession>, AppError> {
    let creds = connections::credentials(deps, conn).await?;
    Ok(deps.sources.open(&conn.provider, creds)?)
}

/// Record why the run stopped, free the lease, keep the cursors (the next run resumes).
pub(crate) async fn finish_failed(
    deps: &Deps,
    tenant: &str,
    mut run: Run,
    mut log: RunLog,
    lease: lease::Lease,
    started: DateTime<Utc>,
    error: AppError,
) -> Result<SyncOutcome, AppError> {
    let store = deps.store.as_ref();
    let now = deps.clock.now();
    let (message, hint) = describe(&error);
    let stream = run.current_stream();
    log.push(
        now,
        Entry {
            level: LogLevel::Error,
            stream,
            remote_id: None,
            record: None,
            message: message.clone(),
            hint: Some(hint),
        },
    );
    store.batch_write(log.drain(now, true)).await?;
    run.status = RunStatus::Failed;
    run.error = Some(message);
    run.finished_at = Some(now);
    run.duration_ms += elapsed_ms(started, now);
    run.log_lines = log.written();
    run_item::save(store, tenant, &mut run).await?;
    lease.release(store).await?;
    Ok(SyncOutcome::Failed(run))
}

/// A sentence for the user and what to do, without any secret.
fn describe(e: &AppError) -> (String, String) {
    match e {
        AppError::Connector(c) => (format!("The run stopped: {c}."), c.hint()),
        AppError::Secrets(_) => (
            "The run stopped: the connection's keys could not be read.".into(),
            "Enter the keys again in the connection settings.".into(),
        ),
        other => (format!("The run stopped: {other}."), "The next run resumes from the last saved page.".into()),
    }
}

pub(crate) fn elapsed_ms(from: DateTime<Utc>, to: DateTime<Utc>) -> u64 {
    u64::try_from((to - from).num_milliseconds()).unwrap_or(0)
}
