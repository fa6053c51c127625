//! Run, then report; hand over to a continuation when the time budget runs out.

use chrono::{DateTime, Duration, Utc};
use koppel_core::domain::run::Trigger;
use koppel_core::ports::bus::{DomainEvent, SYNC_REQUESTED};
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::{AppError, Deps};
use lambda_runtime::{Diagnostic, LambdaEvent};
use serde_json::{Value, json};

use crate::event::{EventError, parse_event};

/// Stop this much before Lambda's own deadline (at most; a fifth of the time left when that is
/// less), to save progress and hand over.
pub const SAFETY_MARGIN_SECS: i64 = 60;
pub const DEFAULT_BUDGET_SECS: i64 = 600;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Event(#[from] EventError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<SyncError> for Diagnostic {
    fn from(e: SyncError) -> Self {
        let retryable = matches!(
            &e,
            SyncError::App(AppError::Store(_) | AppError::Secrets(_) | AppError::Bus(_) | AppError::Scheduler(_))
        );
        Diagnostic {
            error_type: if retryable { "Retryable" } else { "NonRetryable" }.into(),
            error_message: e.to_string(),
        }
    }
}

pub fn budget_secs() -> i64 {
    std::env::var("SYNC_TIME_BUDGET_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_BUDGET_SECS)
}

/// The Lambda entry: the deadline is the earlier of the budget and Lambda's deadline.
pub async fn handle(deps: &Deps, event: LambdaEvent<Value>) -> Result<Value, SyncError> {
    let now = deps.clock.now();
    let lambda_deadline = i64::try_from(event.context.deadline).ok().and_then(DateTime::<Utc>::from_timestamp_millis);
    let deadline = deadline_for(now, lambda_deadline, budget_secs());
    tracing::info!(budget_ms = (deadline - now).num_milliseconds(), "sync invocation starts");
    let req = parse_event(event.payload)?;
    handle_request(deps, req, deadline).await
}

/// The earlier of the time budget and Lambda's deadline less a safety margin.
pub fn deadline_for(now: DateTime<Utc>, lambda_deadline: Option<DateTime<Utc>>, budget_secs: i64) -> DateTime<Utc> {
    let budget = now + Duration::seconds(budget_secs);
    match lambda_deadline {
        // A deadline that has passed before the work starts is not one Lambda would give
        // (cargo lambda's emulator sends such values): go by the budget alone.
        Some(d) if d <= now => {
            tracing::warn!(deadline = %d, "ignoring a Lambda deadline in the past");
            budget
        }
        Some(d) => {
            let left = d - now;
            let margin = Duration::seconds(SAFETY_MARGIN_SECS).min(left / 5);
            (d - margin).min(budget)
        }
        None => budget,
    }
}

/// Run one request; publish a continuation when paused. Returns a summary for the caller's log.
pub async fn handle_request(deps: &Deps, req: SyncRequest, deadline: DateTime<Utc>) -> Result<Value, SyncError> {
    let (tenant, conn) = (req.tenant_id.clone(), req.connection_id.clone());
    let outcome = match run_sync(deps, req.clone(), deadline).await {
        Err(AppError::NotFound(what)) => {
            tracing::warn!(connection = %conn, "sync skipped: {what} not found");
            return Ok(json!({"status": "skipped", "reason": format!("{what} not found")}));
        }
        other => other?,
    };
    Ok(match outcome {
        SyncOutcome::Completed(run) => {
            json!({"status": "completed", "run_id": run.id, "totals": run.totals, "api_calls": run.api_calls})
        }
        SyncOutcome::Failed(run) => {
            json!({"status": "failed", "run_id": run.id, "error": run.error, "totals": run.totals})
        }
        SyncOutcome::Paused(run) => {
            let next = SyncRequest {
                tenant_id: tenant,
                connection_id: conn,
                streams: req.streams,
                run_id: Some(run.id.clone()),
                trigger: Trigger::Continuation,
                with_interests: req.with_interests,
            };
            let detail = serde_json::to_value(&next).map_err(|e| AppError::Corrupt(e.to_string()))?;
            deps.bus
                .publish(DomainEvent { detail_type: SYNC_REQUESTED.into(), detail })
                .await
                .map_err(AppError::from)?;
            json!({"status": "paused", "run_id": run.id, "totals": run.totals})
        }
        SyncOutcome::Stopped(run) => {
            json!({"status": "stopped", "run_id": run.id, "reason": "monthly call cap", "totals": run.totals})
        }
        SyncOutcome::Busy { other_run } => json!({"status": "busy", "running": other_run}),
        SyncOutcome::Skipped { reason } => json!({"status": "skipped", "reason": reason}),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_leaves_a_margin_that_fits_the_time_left() {
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let lambda = |s| Some(now + Duration::seconds(s));
        assert_eq!(deadline_for(now, lambda(900), 600), now + Duration::seconds(600), "the budget wins");
        assert_eq!(deadline_for(now, lambda(300), 600), now + Duration::seconds(240), "60 s before Lambda's deadline");
        assert_eq!(deadline_for(now, lambda(30), 600), now + Duration::seconds(24), "a fifth of a short timeout");
        assert_eq!(deadline_for(now, None, 600), now + Duration::seconds(600));
        assert_eq!(deadline_for(now, lambda(-5), 600), now + Duration::seconds(600), "a past deadline is ignored");
    }
}
