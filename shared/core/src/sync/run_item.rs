//! Loading and saving the run item.

use chrono::{DateTime, Utc};

use crate::AppError;
use crate::domain::run::{Counters, Run, RunStatus, StreamProgress, Trigger};
use crate::domain::stream::StreamKind;
use crate::keys;
use crate::ports::ItemStore;
use crate::repo;

pub fn new_run(conn: &str, run_id: &str, streams: &[StreamKind], trigger: Trigger, now: DateTime<Utc>) -> Run {
    let mut streams = streams.to_vec();
    streams.sort();
    streams.dedup();
    Run {
        id: run_id.into(),
        connection_id: conn.into(),
        trigger,
        status: RunStatus::Queued,
        streams: streams
            .into_iter()
            .map(|stream| StreamProgress { stream, done: false, counters: Counters::default() })
            .collect(),
        totals: Counters::default(),
        api_calls: 0,
        started_at: now,
        updated_at: now,
        finished_at: None,
        duration_ms: 0,
        error: None,
        log_lines: 0,
        newsletter: None,
        notice: None,
        waiting_since: None,
        version: 0,
    }
}

pub async fn load(store: &dyn ItemStore, tenant: &str, conn: &str, run_id: &str) -> Result<Option<Run>, AppError> {
    Ok(repo::get::<Run>(store, &keys::conn_pk(tenant, conn), &keys::run_sk(run_id)).await?.map(|(mut r, v)| {
        r.version = v;
        r
    }))
}

pub async fn save(store: &dyn ItemStore, tenant: &str, run: &mut Run) -> Result<(), AppError> {
    let pk = keys::conn_pk(tenant, &run.connection_id);
    let previous = run.version;
    run.version = previous + 1;
    match repo::put_next(store, &pk, &keys::run_sk(&run.id), run, previous).await {
        Ok(_) => Ok(()),
        Err(e) => {
            run.version = previous;
            Err(e.into())
        }
    }
}
