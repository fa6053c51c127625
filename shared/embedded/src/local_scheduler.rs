//! [`Scheduler`] as rows of a SQLite table, fired by the local runner's tick ([`LocalScheduler::due`]).
//!
//! `schedules(name, tenant_id, connection_id, interval_minutes, next_due)` may live in the same
//! file as the item store (its own connection). `next_due` is unix seconds.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use koppel_core::ports::{Clock, Schedule, Scheduler, SchedulerError, SystemClock};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::sqlite;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS schedules (
    name TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    interval_minutes INTEGER NOT NULL,
    next_due INTEGER NOT NULL
)";

/// A new schedule is first due one interval from now; an update keeps its due time unless
/// the interval changed, in which case the new interval counts from now (as a rate
/// schedule that is replaced starts over).
const UPSERT: &str = "INSERT INTO schedules (name, tenant_id, connection_id, interval_minutes, next_due)
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (name) DO UPDATE SET
        tenant_id = excluded.tenant_id,
        connection_id = excluded.connection_id,
        interval_minutes = excluded.interval_minutes,
        next_due = CASE WHEN schedules.interval_minutes = excluded.interval_minutes
                        THEN schedules.next_due ELSE excluded.next_due END";
const GET: &str = "SELECT name, tenant_id, connection_id, interval_minutes, next_due FROM schedules WHERE name = ?1";
const DUE: &str = "SELECT name, tenant_id, connection_id, interval_minutes, next_due FROM schedules
    WHERE next_due <= ?1 ORDER BY next_due, name";
const ALL: &str = "SELECT name, tenant_id, connection_id, interval_minutes, next_due FROM schedules ORDER BY name";
const ADVANCE: &str = "UPDATE schedules SET next_due = ?2 WHERE name = ?1";
const DELETE: &str = "DELETE FROM schedules WHERE name = ?1";

/// The local schedules (`LocalScheduler::open(path)` or `LocalScheduler::in_memory()`).
pub struct LocalScheduler {
    conn: Mutex<Connection>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for LocalScheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalScheduler").finish_non_exhaustive()
    }
}

/// A schedule row with its next due time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    pub schedule: Schedule,
    pub next_due: DateTime<Utc>,
}

impl LocalScheduler {
    /// Open (or create) the schedules table in a SQLite file other processes may share.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, SchedulerError> {
        Self::init(sqlite::open_file(path.as_ref()).map_err(db)?)
    }

    /// Private schedules that live as long as this value.
    pub fn in_memory() -> Result<Self, SchedulerError> {
        Self::init(sqlite::open_in_memory().map_err(db)?)
    }

    /// Count "now" by this clock when creating or updating a schedule (tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The schedules due at `now` (`next_due <= now`), each once, oldest first. Each one's
    /// `next_due` moves on by whole intervals to the first time after `now`: a runner that was
    /// stopped for hours fires a schedule once, not once per missed interval. Two runners
    /// sharing the file never both receive the same firing.
    pub fn due(&self, now: DateTime<Utc>) -> Result<Vec<Schedule>, SchedulerError> {
        let now = sqlite::unix_seconds(now);
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
        let rows = {
            let mut stmt = tx.prepare_cached(DUE).map_err(db)?;
            let rows = stmt.query_map(params![now], read_row).map_err(db)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(db)?
        };
        {
            let mut advance = tx.prepare_cached(ADVANCE).map_err(db)?;
            for (schedule, next_due) in &rows {
                let step = i64::from(schedule.interval_minutes.max(1)) * 60;
                let missed = (now - next_due) / step + 1;
                advance.execute(params![schedule.name, next_due + missed * step]).map_err(db)?;
            }
        }
        tx.commit().map_err(db)?;
        Ok(rows.into_iter().map(|(schedule, _)| schedule).collect())
    }

    /// Every schedule with its next due time, by name.
    pub fn list(&self) -> Result<Vec<ScheduleRow>, SchedulerError> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(ALL).map_err(db)?;
        let rows = stmt.query_map([], read_row).map_err(db)?;
        rows.map(|row| {
            let (schedule, next_due) = row.map_err(db)?;
            Ok(ScheduleRow { schedule, next_due: from_unix(next_due) })
        })
        .collect()
    }

    fn init(conn: Connection) -> Result<Self, SchedulerError> {
        conn.execute_batch(SCHEMA).map_err(db)?;
        Ok(Self { conn: Mutex::new(conn), clock: Arc::new(SystemClock) })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl Scheduler for LocalScheduler {
    async fn upsert(&self, schedule: &Schedule) -> Result<(), SchedulerError> {
        schedule.validate()?;
        let first_due = sqlite::unix_seconds(self.clock.now()) + i64::from(schedule.interval_minutes) * 60;
        let conn = self.lock();
        conn.prepare_cached(UPSERT)
            .and_then(|mut s| {
                s.execute(params![
                    schedule.name,
                    schedule.tenant_id,
                    schedule.connection_id,
                    schedule.interval_minutes,
                    first_due
                ])
            })
            .map_err(db)?;
        Ok(())
    }

    async fn delete(&self, name: &str) -> Result<(), SchedulerError> {
        let conn = self.lock();
        conn.prepare_cached(DELETE).and_then(|mut s| s.execute(params![name])).map_err(db)?;
        Ok(())
    }

    async fn get(&self, name: &str) -> Result<Option<Schedule>, SchedulerError> {
        let conn = self.lock();
        let row = conn.prepare_cached(GET).and_then(|mut s| s.query_row(params![name], read_row).optional());
        Ok(row.map_err(db)?.map(|(schedule, _)| schedule))
    }
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Schedule, i64)> {
    Ok((
        Schedule { name: r.get(0)?, tenant_id: r.get(1)?, connection_id: r.get(2)?, interval_minutes: r.get(3)? },
        r.get(4)?,
    ))
}

fn from_unix(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

fn db(e: impl std::fmt::Display) -> SchedulerError {
    SchedulerError::Unavailable(format!("sqlite: {e}"))
}

#[cfg(test)]
#[path = "local_scheduler_tests.rs"]
mod tests;
