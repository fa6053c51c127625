//! `Scheduler` over EventBridge Scheduler: one schedule per connection in one schedule
//! group, each invoking the sync function with `{"tenant_id","connection_id","trigger":"schedule"}`.

use async_trait::async_trait;
use aws_sdk_scheduler::Client;
use aws_sdk_scheduler::error::{BuildError, ProvideErrorMetadata};
use aws_sdk_scheduler::types::{FlexibleTimeWindow, FlexibleTimeWindowMode, ScheduleState, Target};
use koppel_core::ports::scheduler::MIN_INTERVAL_MINUTES;
use koppel_core::ports::{Schedule, Scheduler, SchedulerError};
use serde::{Deserialize, Serialize};

use crate::sdk_error::{self, Error};

const NOT_FOUND: &str = "ResourceNotFoundException";

/// What the sync function receives from a schedule.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    tenant_id: String,
    connection_id: String,
    trigger: String,
}

/// The production scheduler.
#[derive(Debug, Clone)]
pub struct SchedulerSyncScheduler {
    client: Client,
    group_name: String,
    target_arn: String,
    role_arn: String,
}

impl SchedulerSyncScheduler {
    /// Schedules go into `group_name` (`koppel-{env}-syncs`) and invoke `target_arn` (the sync
    /// function) through `role_arn`.
    pub fn new(
        client: Client,
        group_name: impl Into<String>,
        target_arn: impl Into<String>,
        role_arn: impl Into<String>,
    ) -> Self {
        Self { client, group_name: group_name.into(), target_arn: target_arn.into(), role_arn: role_arn.into() }
    }
    pub fn group_name(&self) -> &str {
        &self.group_name
    }

    fn target(&self, schedule: &Schedule) -> Result<Target, SchedulerError> {
        let input = serde_json::to_string(&Payload {
            tenant_id: schedule.tenant_id.clone(),
            connection_id: schedule.connection_id.clone(),
            trigger: "schedule".into(),
        })
        .map_err(|e| SchedulerError::Invalid(e.to_string()))?;
        Target::builder().arn(&self.target_arn).role_arn(&self.role_arn).input(input).build().map_err(build_error)
    }
}

fn build_error(e: BuildError) -> SchedulerError {
    SchedulerError::Invalid(e.to_string())
}

fn unavailable<E>(operation: &str, err: &Error<E>) -> SchedulerError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match sdk_error::code(err) {
        Some("ValidationException") => SchedulerError::Invalid(sdk_error::describe(operation, err)),
        _ => SchedulerError::Unavailable(sdk_error::describe(operation, err)),
    }
}

/// Refuse a name no schedule can have, before it ends up in a request path.
fn check_name(name: &str) -> Result<(), SchedulerError> {
    // The rule lives in `Schedule::validate`; a probe with a valid interval checks the name only.
    let probe = Schedule { name: name.to_string(), ..Schedule::for_connection("-", "-", MIN_INTERVAL_MINUTES) };
    probe.validate()
}

/// Minutes between runs of a `rate(…)` expression; `None` for anything else.
pub fn parse_rate_minutes(expression: &str) -> Option<u32> {
    let inner = expression.trim().strip_prefix("rate(")?.strip_suffix(')')?;
    let (value, unit) = inner.trim().split_once(' ')?;
    let value: u32 = value.parse().ok()?;
    let per_unit = match unit.trim() {
        "minute" | "minutes" => 1,
        "hour" | "hours" => 60,
        "day" | "days" => 24 * 60,
        _ => return None,
    };
    value.checked_mul(per_unit).filter(|m| *m > 0)
}

#[async_trait]
impl Scheduler for SchedulerSyncScheduler {
    async fn upsert(&self, schedule: &Schedule) -> Result<(), SchedulerError> {
        // Real Scheduler refuses bad expressions, moto does not: check before any call.
        schedule.validate()?;
        let window = FlexibleTimeWindow::builder().mode(FlexibleTimeWindowMode::Off).build().map_err(build_error)?;
        let target = self.target(schedule)?;
        let created = self
            .client
            .create_schedule()
            .group_name(&self.group_name)
            .name(&schedule.name)
            .schedule_expression(schedule.expression())
            .flexible_time_window(window.clone())
            .target(target.clone())
            .state(ScheduleState::Enabled)
            .send()
            .await;
        match created {
            Ok(_) => return Ok(()),
            Err(e) if sdk_error::code(&e) == Some("ConflictException") => {}
            Err(e) => return Err(unavailable("Scheduler CreateSchedule", &e)),
        }
        self.client
            .update_schedule()
            .group_name(&self.group_name)
            .name(&schedule.name)
            .schedule_expression(schedule.expression())
            .flexible_time_window(window)
            .target(target)
            .state(ScheduleState::Enabled)
            .send()
            .await
            .map_err(|e| unavailable("Scheduler UpdateSchedule", &e))?;
        Ok(())
    }

    async fn delete(&self, name: &str) -> Result<(), SchedulerError> {
        check_name(name)?;
        match self.client.delete_schedule().group_name(&self.group_name).name(name).send().await {
            Ok(_) => Ok(()),
            Err(e) if sdk_error::code(&e) == Some(NOT_FOUND) => Ok(()),
            Err(e) => Err(unavailable("Scheduler DeleteSchedule", &e)),
        }
    }

    async fn get(&self, name: &str) -> Result<Option<Schedule>, SchedulerError> {
        check_name(name)?;
        let out = match self.client.get_schedule().group_name(&self.group_name).name(name).send().await {
            Ok(out) => out,
            Err(e) if sdk_error::code(&e) == Some(NOT_FOUND) => return Ok(None),
            Err(e) => return Err(unavailable("Scheduler GetSchedule", &e)),
        };
        let unreadable = |what: &str| SchedulerError::Unavailable(format!("schedule {name} is unreadable: {what}"));
        let expression = out.schedule_expression().unwrap_or_default();
        let interval_minutes = parse_rate_minutes(expression)
            .ok_or_else(|| unreadable(&format!("expression {expression:?} is not a rate")))?;
        let input = out.target().and_then(|t| t.input()).ok_or_else(|| unreadable("its target has no input"))?;
        let payload: Payload =
            serde_json::from_str(input).map_err(|_| unreadable("its target input is not a sync payload"))?;
        Ok(Some(Schedule {
            name: out.name().unwrap_or(name).to_string(),
            tenant_id: payload.tenant_id,
            connection_id: payload.connection_id,
            interval_minutes,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_expressions_parse_to_minutes() {
        assert_eq!(parse_rate_minutes("rate(1 minute)"), Some(1));
        assert_eq!(parse_rate_minutes("rate(15 minutes)"), Some(15));
        assert_eq!(parse_rate_minutes("rate(2 hours)"), Some(120));
        assert_eq!(parse_rate_minutes("rate(1 day)"), Some(1440));
        for bad in
            ["", "rate()", "rate(0 minutes)", "rate(x minutes)", "rate(5 weeks)", "cron(0 * * * ? *)", "rate(5minutes)"]
        {
            assert_eq!(parse_rate_minutes(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_are_checked_alone() {
        assert_eq!(check_name("sync-01J0ABC"), Ok(()));
        for bad in ["", "sync c5/x", "a/b", &"x".repeat(65)] {
            assert!(matches!(check_name(bad), Err(SchedulerError::Invalid(_))), "{bad:?}");
        }
    }

    #[test]
    fn every_valid_interval_round_trips_through_its_expression() {
        for minutes in [5, 6, 59, 60, 61, 1440, 7 * 24 * 60] {
            let s = Schedule::for_connection("t", "c", minutes);
            assert_eq!(parse_rate_minutes(&s.expression()), Some(minutes));
        }
    }
}
