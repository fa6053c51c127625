//! Preview: the import as a dry run. Reads every row, matches it, and says what an import would
//! do — counts, the first problems with row, column and reason, the mapping in force — and
//! writes nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::fields::{self, CustomerField};
use super::mapping::{MappingRequest, Resolved, resolve};
use super::pass::{Pass, Ports};
use super::record::Counts;
use super::row::RowProblem;
use super::source::{ReadError, RowReader, SheetSource};
use crate::AppError;
use crate::domain::matching_key::MatchingKey;

/// Problems a preview lists when not told otherwise, and at most.
pub const DEFAULT_PROBLEMS: usize = 100;
pub const MAX_PROBLEMS: usize = 500;

pub(crate) const NO_ROWS: &str =
    "the file has a header row but no data rows; put one customer on each row under the column headers";

#[derive(Debug, Clone, Default)]
pub struct PreviewOptions {
    pub mapping: MappingRequest,
    /// How many problems to list (capped at [`MAX_PROBLEMS`]).
    pub problems: Option<usize>,
    /// Stop reading when this time has passed (the answer says it is not complete).
    pub deadline: Option<DateTime<Utc>>,
}

/// What an import of this file would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Preview {
    /// `csv` or `xlsx`.
    pub format: String,
    /// The worksheet read (.xlsx).
    pub sheet: Option<String>,
    /// The workbook's worksheets (.xlsx), to choose another with `?sheet=`.
    pub sheets: Vec<String>,
    /// The header row as the file has it.
    pub headers: Vec<String>,
    /// Field → column, as suggested from the headers.
    pub suggested_mapping: BTreeMap<CustomerField, String>,
    /// Field → column, as used (the suggestion with the request's `map.*` on top).
    pub mapping: BTreeMap<CustomerField, String>,
    /// Columns that are not imported.
    pub unmapped_columns: Vec<String>,
    pub matching_key: MatchingKey,
    /// Platform customers that have a value for the matching key (what rows are matched against).
    pub platform_customers_with_key: u64,
    /// `created` / `updated` mean "would be created / changed".
    pub counts: Counts,
    /// False when the preview stopped at the time limit before the end of the file.
    pub complete: bool,
    pub problems_total: u64,
    /// The first problems, in row order.
    pub problems: Vec<RowProblem>,
}

/// A read error as a 400 naming the file or the sheet.
pub(crate) fn read_problem(e: ReadError) -> AppError {
    match e {
        ReadError::File(m) => AppError::invalid("file", m),
        ReadError::Sheet(m) => AppError::invalid("sheet", m),
    }
}

/// Open the sheet and resolve the mapping against its headers.
pub(crate) fn prepare<'s>(
    sheet: &'s dyn SheetSource,
    request: &MappingRequest,
) -> Result<(Box<dyn RowReader + 's>, Resolved), AppError> {
    let reader = sheet.open().map_err(read_problem)?;
    if reader.headers().iter().all(|h| h.trim().is_empty()) {
        return Err(AppError::invalid(
            "file",
            "the file is empty: its first row must hold the column headers (e.g. Naam, BTW-nummer, E-mail)",
        ));
    }
    let mapping = resolve(reader.headers(), request)?;
    Ok((reader, mapping))
}

pub async fn preview(
    ports: Ports<'_>,
    tenant: &str,
    sheet: &dyn SheetSource,
    options: PreviewOptions,
) -> Result<Preview, AppError> {
    let info = sheet.info();
    let (mut reader, mapping) = prepare(sheet, &options.mapping)?;
    let headers = reader.headers().to_vec();
    let cap = options.problems.unwrap_or(DEFAULT_PROBLEMS).min(MAX_PROBLEMS);
    let mut pass = Pass::start(ports, tenant, &mapping, None, cap).await?;
    let mut complete = true;
    while let Some(row) = reader.next_row().map_err(read_problem)? {
        pass.row(row).await?;
        if pass.settled() && options.deadline.is_some_and(|d| ports.clock.now() >= d) {
            complete = false;
            break;
        }
    }
    pass.flush().await?;
    if complete && pass.counts.rows == 0 {
        return Err(AppError::invalid("file", NO_ROWS));
    }
    let used = mapping.as_map();
    let unmapped_columns =
        headers.iter().enumerate().filter(|(i, h)| !h.is_empty() && mapping.columns.iter().all(|c| c.index != *i));
    Ok(Preview {
        format: info.format,
        sheet: info.sheet,
        sheets: info.sheets,
        suggested_mapping: fields::suggest(&headers),
        mapping: used,
        unmapped_columns: unmapped_columns.map(|(_, h)| h.clone()).collect(),
        headers,
        matching_key: mapping.key,
        platform_customers_with_key: pass.index_len() as u64,
        counts: pass.counts,
        complete,
        problems_total: pass.problems_total,
        problems: std::mem::take(&mut pass.problems),
    })
}
