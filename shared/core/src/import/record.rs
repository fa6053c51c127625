//! The import item: what an import did, readable later (`GET /imports/{id}`).
//!
//! | Item | PK | SK |
//! |---|---|---|
//! | import summary | `T#{t}` | `IMPORT#{id}` |
//! | its row problems (at most [`MAX_STORED_PROBLEMS`]) | `T#{t}` | `IMPORTP#{id}` |
//!
//! Summaries and problems are separate items so that listing imports reads summaries only.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::fields::CustomerField;
use super::row::RowProblem;
use crate::domain::matching_key::MatchingKey;
use crate::ports::{ItemStore, WriteOp};
use crate::{AppError, keys, repo};

/// Row problems kept on an import (the count of all of them is kept too).
pub const MAX_STORED_PROBLEMS: usize = 500;
pub const IMPORT_PREFIX: &str = "IMPORT#";

pub fn import_sk(id: &str) -> String {
    format!("{IMPORT_PREFIX}{id}")
}
pub fn problems_sk(id: &str) -> String {
    format!("IMPORTP#{id}")
}

/// SHA-256 of a file, hex.
pub fn fingerprint(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What a pass did with the rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Counts {
    /// Data rows read (blank rows not counted).
    pub rows: u64,
    /// New platform customers (a preview: that would be created).
    pub created: u64,
    /// Platform customers changed by their row (a preview: that would be changed).
    pub updated: u64,
    /// Rows equal to their platform customer: nothing written.
    pub unchanged: u64,
    /// Rows not imported; see the problems.
    pub invalid: u64,
    /// Blank rows, skipped.
    pub blank: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Writing now (or it died; see `updated_at`).
    Running,
    /// Every row was handled.
    Completed,
    /// Stopped before the end (time limit, or a service was unavailable); rows up to
    /// `resume_after_row` are done. Send the same file with `?resume={id}` to go on.
    Incomplete,
}

/// An import as stored and returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportRecord {
    pub id: String,
    pub status: ImportStatus,
    /// `csv` or `xlsx`.
    pub format: String,
    /// The worksheet read (.xlsx).
    pub sheet: Option<String>,
    pub size_bytes: u64,
    /// SHA-256 of the file; a resume must send the same file.
    pub fingerprint: String,
    pub matching_key: MatchingKey,
    /// Customer field → column header.
    pub mapping: BTreeMap<CustomerField, String>,
    pub counts: Counts,
    /// All row problems found; `problems` lists the first 500.
    pub problems_total: u64,
    /// Every row up to this row number is handled.
    pub resume_after_row: u64,
    /// Rows read from the start of the file (blank ones too) up to `resume_after_row`: where a
    /// resumed import goes on.
    #[serde(default)]
    pub position: u64,
    /// What happened, in a sentence, when it did not simply complete.
    pub message: Option<String>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// An import with its row problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportDetail {
    #[serde(flatten)]
    pub import: ImportRecord,
    /// The first 500 row problems, in row order.
    pub problems: Vec<RowProblem>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct StoredProblems {
    items: Vec<RowProblem>,
}

/// The writes that save an import, and its problems when given (each item whole, one batch).
pub fn writes(tenant: &str, record: &ImportRecord, problems: Option<&[RowProblem]>) -> Vec<WriteOp> {
    let pk = keys::tenant(tenant);
    let mut ops = vec![WriteOp::Put(repo::encode(&pk, &import_sk(&record.id), record, 0))];
    if let Some(problems) = problems {
        let kept = problems[..problems.len().min(MAX_STORED_PROBLEMS)].to_vec();
        ops.push(WriteOp::Put(repo::encode(&pk, &problems_sk(&record.id), &StoredProblems { items: kept }, 0)));
    }
    ops
}

/// Save an import; its problems item too when `problems` is given.
pub async fn save(
    store: &dyn ItemStore,
    tenant: &str,
    record: &ImportRecord,
    problems: Option<&[RowProblem]>,
) -> Result<(), AppError> {
    Ok(store.batch_write(writes(tenant, record, problems)).await?)
}

pub async fn load(store: &dyn ItemStore, tenant: &str, id: &str) -> Result<ImportDetail, AppError> {
    let pk = keys::tenant(tenant);
    let Some((import, _)) = repo::get::<ImportRecord>(store, &pk, &import_sk(id)).await? else {
        return Err(AppError::NotFound(format!("import {id}")));
    };
    let problems = repo::get::<StoredProblems>(store, &pk, &problems_sk(id)).await?.map(|(p, _)| p.items);
    Ok(ImportDetail { import, problems: problems.unwrap_or_default() })
}

/// The tenant's imports, newest first.
pub async fn list(store: &dyn ItemStore, tenant: &str, limit: usize) -> Result<Vec<ImportRecord>, AppError> {
    let items = repo::query_all(store, &keys::tenant(tenant), IMPORT_PREFIX).await?;
    let mut out: Vec<ImportRecord> = items.iter().map(repo::decode).collect::<Result<_, _>>()?;
    out.reverse();
    out.truncate(limit.clamp(1, 200));
    Ok(out)
}
