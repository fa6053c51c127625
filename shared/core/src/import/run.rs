//! Import: the preview's pass, writing. First the whole file is read once without writing, so a
//! file that cannot be read to its end (damaged, cut off) or has no data rows changes nothing.
//! Then the import item is written (`running`), the rows are matched and written a chunk at a
//! time, progress is saved every [`PROGRESS_EVERY`] rows, and the item ends `completed` — or
//! `incomplete` at the time limit, to be resumed with the same file.

use chrono::{DateTime, Duration, Utc};

use super::mapping::MappingRequest;
use super::pass::{CHUNK, Pass, Ports};
use super::preview::{NO_ROWS, prepare, read_problem};
use super::record::{self, Counts, ImportDetail, ImportRecord, ImportStatus, MAX_STORED_PROBLEMS};
use super::source::SheetSource;
use crate::AppError;

/// Progress is saved at the first settled row after this many rows (the import item; its
/// problems item only when there are new problems).
pub const PROGRESS_EVERY: u64 = 20 * CHUNK as u64;
/// A `running` import not saved for this long has died; it can be resumed.
pub const STALE_AFTER_MINUTES: i64 = 5;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub mapping: MappingRequest,
    /// Stop cleanly (status `incomplete`) when this time has passed.
    pub deadline: Option<DateTime<Utc>>,
    /// Go on with this import (same file; its mapping is used).
    pub resume: Option<String>,
}

pub async fn import(
    ports: Ports<'_>,
    tenant: &str,
    sheet: &dyn SheetSource,
    options: ImportOptions,
) -> Result<ImportDetail, AppError> {
    let info = sheet.info();
    let now = ports.clock.now();
    let earlier = match options.resume.as_deref() {
        Some(id) => Some(resumable(ports, tenant, id, &info.fingerprint, now).await?),
        None => None,
    };
    let request = match &earlier {
        Some(d) => MappingRequest { columns: d.import.mapping.clone(), matching_key: Some(d.import.matching_key) },
        None => options.mapping.clone(),
    };

    // The check pass: the whole file readable, at least one data row.
    let (mut reader, mapping) = prepare(sheet, &request)?;
    let mut data_rows = 0u64;
    while let Some(row) = reader.next_row().map_err(read_problem)? {
        data_rows += u64::from(!row.is_blank());
    }
    drop(reader);
    if data_rows == 0 {
        return Err(AppError::invalid("file", NO_ROWS));
    }

    let (mut rec, problems) = match earlier {
        Some(d) => (d.import, d.problems),
        None => (
            ImportRecord {
                id: format!("imp_{}", ports.ids.new_id().to_lowercase()),
                status: ImportStatus::Running,
                format: info.format.clone(),
                sheet: info.sheet.clone(),
                size_bytes: info.size,
                fingerprint: info.fingerprint.clone(),
                matching_key: mapping.key,
                mapping: mapping.as_map(),
                counts: Counts::default(),
                problems_total: 0,
                resume_after_row: 0,
                position: 0,
                message: None,
                started_at: now,
                updated_at: now,
                finished_at: None,
            },
            Vec::new(),
        ),
    };
    rec.status = ImportStatus::Running;
    rec.message = None;
    rec.updated_at = now;
    record::save(ports.store, tenant, &rec, Some(&problems)).await?;

    let created_by = format!("import:{}", rec.id);
    let mut pass = Pass::start(ports, tenant, &mapping, Some(created_by), MAX_STORED_PROBLEMS).await?;
    pass.resume_from(rec.position, rec.counts, problems, rec.problems_total);
    let outcome = write_rows(ports, sheet, &mut pass, &mut rec, tenant, options.deadline).await;
    rec.counts = pass.counts;
    rec.problems_total = pass.problems_total;
    (rec.position, rec.resume_after_row) = pass.done;
    rec.updated_at = ports.clock.now();
    match outcome {
        Ok(true) => {
            rec.status = ImportStatus::Completed;
            rec.finished_at = Some(rec.updated_at);
        }
        Ok(false) => {
            rec.status = ImportStatus::Incomplete;
            rec.message = Some(format!(
                "stopped at the time limit; rows up to row {} are imported. Send the same file again to \
                 POST /imports/customers?resume={} to go on",
                rec.resume_after_row, rec.id
            ));
        }
        Err(e) => {
            rec.status = ImportStatus::Incomplete;
            rec.message = Some(format!(
                "stopped because a service was unavailable; rows up to row {} are imported. Send the same \
                 file again to POST /imports/customers?resume={} to go on",
                rec.resume_after_row, rec.id
            ));
            // Best effort: the store may be what failed.
            let _ = record::save(ports.store, tenant, &rec, Some(&pass.problems)).await;
            return Err(e);
        }
    }
    record::save(ports.store, tenant, &rec, Some(&pass.problems)).await?;
    Ok(ImportDetail { import: rec, problems: std::mem::take(&mut pass.problems) })
}

/// The writing pass; `Ok(false)` when it stopped at the deadline.
async fn write_rows(
    ports: Ports<'_>,
    sheet: &dyn SheetSource,
    pass: &mut Pass<'_>,
    rec: &mut ImportRecord,
    tenant: &str,
    deadline: Option<DateTime<Utc>>,
) -> Result<bool, AppError> {
    let mut reader = sheet.open().map_err(read_problem)?;
    let mut saved_at = rec.position;
    let mut problems_saved = rec.problems_total;
    while let Some(row) = reader.next_row().map_err(read_problem)? {
        pass.row(row).await?;
        if !pass.settled() {
            continue;
        }
        if deadline.is_some_and(|d| ports.clock.now() >= d) {
            return Ok(false);
        }
        if pass.done.0 >= saved_at + PROGRESS_EVERY {
            saved_at = pass.done.0;
            rec.counts = pass.counts;
            rec.problems_total = pass.problems_total;
            (rec.position, rec.resume_after_row) = pass.done;
            rec.updated_at = ports.clock.now();
            // The problems item only when there are new problems to keep.
            let new_problems = pass.problems_total != problems_saved;
            problems_saved = pass.problems_total;
            record::save(ports.store, tenant, rec, new_problems.then_some(pass.problems.as_slice())).await?;
        }
    }
    pass.flush().await?;
    Ok(true)
}

/// The import to go on with: this file's, and stopped (or dead).
async fn resumable(
    ports: Ports<'_>,
    tenant: &str,
    id: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<ImportDetail, AppError> {
    let d = record::load(ports.store, tenant, id).await?;
    if d.import.fingerprint != fingerprint {
        return Err(AppError::conflict(
            format!("this is not the file of import {id}"),
            "Send exactly the file that import was started with, or start a new import without resume.",
        ));
    }
    match d.import.status {
        ImportStatus::Completed => Err(AppError::conflict(
            format!("import {id} is already complete; there is nothing to resume"),
            "Start a new import without resume to import the file again (unchanged rows cost nothing).",
        )),
        ImportStatus::Running if now - d.import.updated_at < Duration::minutes(STALE_AFTER_MINUTES) => {
            Err(AppError::conflict(
                format!("import {id} is still running"),
                format!("Wait for it to finish (GET /imports/{id}), then resume it if it stopped."),
            ))
        }
        _ => Ok(d),
    }
}
