//! Per-connection schedules (EventBridge Scheduler in production, rows ticked locally).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Smallest and largest interval a connection may have.
pub const MIN_INTERVAL_MINUTES: u32 = 5;
pub const MAX_INTERVAL_MINUTES: u32 = 7 * 24 * 60;

/// One connection's schedule. Its payload is what the sync function receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// `[0-9A-Za-z_.-]{1,64}`, unique per schedule group.
    pub name: String,
    pub tenant_id: String,
    pub connection_id: String,
    pub interval_minutes: u32,
}

impl Schedule {
    pub fn for_connection(tenant_id: &str, connection_id: &str, interval_minutes: u32) -> Self {
        Self {
            name: format!("sync-{connection_id}"),
            tenant_id: tenant_id.into(),
            connection_id: connection_id.into(),
            interval_minutes,
        }
    }
    /// The EventBridge Scheduler expression, e.g. `rate(15 minutes)`.
    pub fn expression(&self) -> String {
        if self.interval_minutes == 1 {
            "rate(1 minute)".into()
        } else {
            format!("rate({} minutes)", self.interval_minutes)
        }
    }
    /// Both adapters call this: moto accepts any expression, real Scheduler does not.
    pub fn validate(&self) -> Result<(), SchedulerError> {
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self.name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !name_ok {
            return Err(SchedulerError::Invalid(format!(
                "schedule name {:?} must be 1-64 characters of A-Z, a-z, 0-9, '-', '_' or '.'",
                self.name
            )));
        }
        if !(MIN_INTERVAL_MINUTES..=MAX_INTERVAL_MINUTES).contains(&self.interval_minutes) {
            return Err(SchedulerError::Invalid(format!(
                "the interval must be between {MIN_INTERVAL_MINUTES} and {MAX_INTERVAL_MINUTES} minutes, got {}",
                self.interval_minutes
            )));
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchedulerError {
    #[error("invalid schedule: {0}")]
    Invalid(String),
    #[error("scheduler unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait Scheduler: Send + Sync {
    /// Create the schedule, or update it if one with this name exists.
    async fn upsert(&self, schedule: &Schedule) -> Result<(), SchedulerError>;
    /// Idempotent.
    async fn delete(&self, name: &str) -> Result<(), SchedulerError>;
    async fn get(&self, name: &str) -> Result<Option<Schedule>, SchedulerError>;
}
