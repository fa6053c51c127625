//! How the import gets its rows: a sheet that can be read from the start, one row at a time, as
//! often as needed (the import reads a file twice: once to check it can be read to its end, once
//! to write). The `koppel-sheets` crate implements it for .xlsx and .csv; [`MemorySheet`] is the
//! in-memory one for tests.

/// One data row as the file has it: every cell as text, in column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The row number a person sees: Excel's row number (.xlsx), the line the record starts on (.csv).
    pub number: u64,
    pub cells: Vec<String>,
}

impl SheetRow {
    pub fn new(number: u64, cells: Vec<String>) -> Self {
        Self { number, cells }
    }
    /// True when every cell is blank: such a row is skipped without a word.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Why a sheet could not be read. The message says what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file is not a sheet we read, or it is damaged (the message names the row where known).
    #[error("{0}")]
    File(String),
    /// The sheet asked for does not exist in the workbook.
    #[error("{0}")]
    Sheet(String),
}

/// What the file is, for the preview and the import record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetInfo {
    /// `csv` or `xlsx`.
    pub format: String,
    /// The worksheet read (.xlsx only).
    pub sheet: Option<String>,
    /// Every worksheet of the workbook (.xlsx only), in workbook order.
    pub sheets: Vec<String>,
    /// Size of the file in bytes.
    pub size: u64,
    /// SHA-256 of the file (hex): a resumed import must be given the same file.
    pub fingerprint: String,
}

/// One pass over a sheet: the header row, then the data rows in order.
pub trait RowReader: Send {
    /// The header row's cells (trimmed); a column without a header is `""`.
    fn headers(&self) -> &[String];
    /// The next row, `Ok(None)` at the end.
    fn next_row(&mut self) -> Result<Option<SheetRow>, ReadError>;
}

/// A sheet that can be read from the start as often as needed.
pub trait SheetSource: Send + Sync {
    fn info(&self) -> SheetInfo;
    fn open(&self) -> Result<Box<dyn RowReader + '_>, ReadError>;
}

/// A sheet held in memory (tests; small generated sheets).
#[derive(Debug, Clone, Default)]
pub struct MemorySheet {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
    /// Returned by `next_row` after the rows, to act as a file damaged near its end.
    pub fail_at_end: Option<ReadError>,
}

impl MemorySheet {
    /// Headers, then rows numbered from 2 as in a spreadsheet whose header is row 1.
    pub fn new(headers: &[&str], rows: &[&[&str]]) -> Self {
        Self {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| SheetRow::new(i as u64 + 2, r.iter().map(|c| c.to_string()).collect()))
                .collect(),
            fail_at_end: None,
        }
    }
}

impl SheetSource for MemorySheet {
    fn info(&self) -> SheetInfo {
        let mut text = self.headers.join(",");
        for r in &self.rows {
            text.push('\n');
            text.push_str(&r.cells.join(","));
        }
        SheetInfo {
            format: "csv".into(),
            sheet: None,
            sheets: Vec::new(),
            size: text.len() as u64,
            fingerprint: crate::import::record::fingerprint(text.as_bytes()),
        }
    }
    fn open(&self) -> Result<Box<dyn RowReader + '_>, ReadError> {
        Ok(Box::new(MemoryReader { sheet: self, next: 0 }))
    }
}

struct MemoryReader<'a> {
    sheet: &'a MemorySheet,
    next: usize,
}

impl RowReader for MemoryReader<'_> {
    fn headers(&self) -> &[String] {
        &self.sheet.headers
    }
    fn next_row(&mut self) -> Result<Option<SheetRow>, ReadError> {
        let row = self.sheet.rows.get(self.next).cloned();
        self.next += 1;
        match (row, &self.sheet.fail_at_end) {
            (Some(r), _) => Ok(Some(r)),
            (None, Some(e)) => Err(e.clone()),
            (None, None) => Ok(None),
        }
    }
}
