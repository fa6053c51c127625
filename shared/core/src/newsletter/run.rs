//! One invocation of a newsletter run (reached from [`crate::sync::run_sync`] once the lease
//! is held): reconciliation first when asked or due (it learns unsubscribes and ids), then
//! the contacts. Ends completed, paused (out of time: a continuation resumes), stopped (the
//! monthly cap) or failed.

use chrono::{DateTime, Duration, Utc};

use super::budget::Budget;
use super::caller::Caller;
use super::census::Census;
use super::ctx::{Ctx, StreamEnd};
use crate::domain::connection::Connection;
use crate::domain::run::{LogLevel, Run, RunStatus, Trigger};
use crate::domain::stream::StreamKind;
use crate::ports::bus::{DomainEvent, NEWSLETTER_REPORT, SYNC_COMPLETED};
use crate::ports::secrets::Credentials;
use crate::sync::lease::Lease;
use crate::sync::run::{SyncOutcome, SyncRequest, elapsed_ms, finish_failed};
use crate::sync::run_item;
use crate::sync::runlog::RunLog;
use crate::usecases::connections;
use crate::{AppError, Deps};

/// The streams of a new newsletter run: those asked for, or (scheduled) the contacts plus a
/// reconciliation when the last one is older than the connection's period.
pub fn streams_for(conn: &Connection, req: &SyncRequest, now: DateTime<Utc>) -> Vec<StreamKind> {
    let asked: Vec<StreamKind> = req.streams.iter().copied().filter(|s| StreamKind::NEWSLETTER.contains(s)).collect();
    if !asked.is_empty() {
        return asked;
    }
    let mut streams = vec![StreamKind::Contacts];
    let due = conn.newsletter.as_ref().is_some_and(|s| {
        s.last_reconciled_at.is_none_or(|at| now - at >= Duration::hours(i64::from(s.reconcile_every_hours)))
    });
    if due {
        streams.insert(0, StreamKind::Reconciliation);
    }
    streams
}

#[allow(clippy::too_many_arguments)]
pub async fn run(
    deps: &Deps,
    conn: &Connection,
    req: &SyncRequest,
    mut run: Run,
    log: RunLog,
    lease: Lease,
    started: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Result<SyncOutcome, AppError> {
    let store = deps.store.as_ref();
    let Some(settings) = conn.newsletter.as_ref() else {
        return Err(AppError::Corrupt(format!("connection {} has no newsletter settings", conn.id)));
    };
    let opened = async {
        let secret = deps.secrets.get(&connections::secret_name(deps, &conn.tenant_id, &conn.id)).await?;
        let creds = Credentials::from_secret_json(&secret)?;
        Ok::<_, AppError>(deps.newsletter.open(&conn.provider, &settings.account_id, creds)?)
    }
    .await;
    let api = match opened {
        Ok(a) => a,
        Err(e) => return finish_failed(deps, &conn.tenant_id, run, log, lease, started, e).await,
    };
    let budget = Budget::load(store, &conn.tenant_id, &conn.id, settings, started).await?;
    let report = run.newsletter.take().unwrap_or_default();
    let interests_on = req.with_interests.unwrap_or(settings.interests);
    let run_calls_before = run.api_calls;
    let mut ctx = Ctx {
        deps,
        conn,
        settings,
        caller: Caller::new(api.as_ref(), deps.clock.as_ref(), budget, deadline),
        run,
        log,
        lease,
        report,
        interests_on,
        progressed: false,
        deadline,
        run_calls_before,
        interest_ids: None,
        source: None,
    };
    ctx.report.interests_included = interests_on;
    let streams: Vec<StreamKind> = ctx.run.streams.iter().filter(|s| !s.done).map(|s| s.stream).collect();
    let needs_census = streams.contains(&StreamKind::Contacts) || settings.opt_in;
    let mut census = if needs_census { Census::take(store, &conn.tenant_id).await? } else { Census::default() };
    for stream in streams {
        let end = match stream {
            StreamKind::Reconciliation => ctx.reconcile(&mut census).await,
            StreamKind::Contacts => ctx.push(&census).await,
            other => {
                ctx.log(LogLevel::Warning, other, None, format!("a newsletter connection has no {other} stream"), None);
                Ok(StreamEnd::Done)
            }
        };
        match end {
            Ok(StreamEnd::Done) => {
                if let Some(p) = ctx.run.streams.iter_mut().find(|s| s.stream == stream) {
                    p.done = true;
                }
                if stream == StreamKind::Reconciliation {
                    mark_reconciled(deps, conn, ctx.now()).await?;
                }
            }
            Ok(StreamEnd::OutOfTime) => return pause(ctx, started, RunStatus::Paused).await,
            Ok(StreamEnd::MonthSpent) => return pause(ctx, started, RunStatus::Stopped).await,
            Err(e) => {
                ctx.caller.save(store).await?;
                ctx.sync_report();
                let Ctx { run, log, lease, .. } = ctx;
                return finish_failed(deps, &conn.tenant_id, run, log, lease, started, e).await;
            }
        }
    }
    complete(ctx, started).await
}

async fn pause(mut ctx: Ctx<'_>, started: DateTime<Utc>, status: RunStatus) -> Result<SyncOutcome, AppError> {
    let store = ctx.deps.store.as_ref();
    let now = ctx.now();
    if status == RunStatus::Stopped {
        let cap = ctx.settings.monthly_call_cap.unwrap_or_default();
        let stream = ctx.run.current_stream().unwrap_or(StreamKind::Contacts);
        ctx.log(
            LogLevel::Warning,
            stream,
            None,
            format!("stopped at the monthly cap of {cap} Flexmail calls; the place is saved"),
            Some("The next run after the cap allows calls (next month, or a higher cap) continues from here.".into()),
        );
    }
    ctx.caller.save(store).await?;
    ctx.sync_report();
    store.batch_write(ctx.log.drain(now, status == RunStatus::Stopped)).await?;
    ctx.run.status = status;
    ctx.run.recount_totals();
    ctx.run.log_lines = ctx.log.written();
    ctx.run.duration_ms += elapsed_ms(started, now);
    run_item::save(store, &ctx.conn.tenant_id, &mut ctx.run).await?;
    if status == RunStatus::Stopped {
        ctx.lease.release(store).await?;
        return Ok(SyncOutcome::Stopped(ctx.run));
    }
    Ok(SyncOutcome::Paused(ctx.run))
}

async fn complete(mut ctx: Ctx<'_>, started: DateTime<Utc>) -> Result<SyncOutcome, AppError> {
    let store = ctx.deps.store.as_ref();
    let now = ctx.now();
    ctx.caller.save(store).await?;
    ctx.sync_report();
    let r = ctx.report.clone();
    ctx.log(
        LogLevel::Info,
        StreamKind::Contacts,
        None,
        format!(
            "sent {} ({} new, {} updated), unchanged {}, skipped {} (duplicates {}, newsletter off {}, inactive {}, no address {}), failed {}; {} Flexmail calls in this run, {} this month",
            r.sent_created + r.sent_updated, r.sent_created, r.sent_updated, r.unchanged,
            r.skipped_duplicate + r.skipped_no_newsletter + r.skipped_inactive + r.skipped_no_email,
            r.skipped_duplicate, r.skipped_no_newsletter, r.skipped_inactive, r.skipped_no_email, r.failed,
            ctx.run.api_calls, r.month_calls
        ),
        (r.rate_limited > 0).then(|| format!("Flexmail answered 429 {} time(s) this month although Koppel stayed within its budget: lower the calls per minute.", r.rate_limited)),
    );
    store.batch_write(ctx.log.drain(now, true)).await?;
    let Ctx { mut run, log, lease, conn, settings, deps, .. } = ctx;
    run.status = RunStatus::Completed;
    run.finished_at = Some(now);
    run.duration_ms += elapsed_ms(started, now);
    run.recount_totals();
    run.log_lines = log.written();
    run_item::save(store, &conn.tenant_id, &mut run).await?;
    lease.release(store).await?;
    let detail = serde_json::json!({ "tenant_id": conn.tenant_id, "connection_id": conn.id, "run_id": run.id, "totals": run.totals, "newsletter": run.newsletter });
    publish(deps, SYNC_COMPLETED, detail).await;
    if settings.report.send && run.trigger != Trigger::Continuation {
        let to = settings.report.to.clone().or(settings.bounce_email.clone());
        let detail = serde_json::json!({ "tenant_id": conn.tenant_id, "connection_id": conn.id, "run_id": run.id, "to": to, "options": settings.report, "report": run.newsletter });
        publish(deps, NEWSLETTER_REPORT, detail).await;
    }
    Ok(SyncOutcome::Completed(run))
}

async fn publish(deps: &Deps, detail_type: &str, detail: serde_json::Value) {
    if let Err(e) = deps.bus.publish(DomainEvent { detail_type: detail_type.into(), detail }).await {
        tracing::warn!(error = %e, detail_type, "could not publish an event");
    }
}

async fn mark_reconciled(deps: &Deps, conn: &Connection, at: DateTime<Utc>) -> Result<(), AppError> {
    for _ in 0..3 {
        let mut fresh = connections::load(deps.store.as_ref(), &conn.tenant_id, &conn.id).await?;
        if let Some(s) = fresh.newsletter.as_mut() {
            s.last_reconciled_at = Some(at);
        }
        match connections::save(deps.store.as_ref(), &mut fresh).await {
            Err(AppError::Conflict { .. }) => continue,
            other => return other,
        }
    }
    Ok(())
}
