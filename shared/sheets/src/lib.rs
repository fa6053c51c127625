//! koppel-sheets: spreadsheet rows for the customer import.
//!
//! [`SheetFile`] is an uploaded file (.xlsx or .csv, told apart by its bytes) that implements
//! the import's [`SheetSource`]: it is read from the start as often as the import needs, one row
//! at a time, every cell as text. Nothing here knows about customers.
//!
//! ```
//! use koppel_core::import::source::SheetSource;
//! let file = koppel_sheets::SheetFile::new(b"Naam;BTW\nBakkerij;NL888888888B01\n".to_vec(), None)?;
//! let mut rows = file.open()?;
//! assert_eq!(rows.headers(), ["Naam", "BTW"]);
//! assert_eq!(rows.next_row()?.map(|r| r.cells), Some(vec!["Bakkerij".to_string(), "NL888888888B01".to_string()]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod csv_rows;
mod detect;
mod render;
mod xlsx_rows;

use std::sync::Arc;

pub use detect::{Format, detect};
use koppel_core::import::record::fingerprint;
use koppel_core::import::source::{ReadError, RowReader, SheetInfo, SheetSource};
pub use render::number as render_number;
pub use xlsx_rows::{CHANNEL_ROWS, MAX_COLUMNS};

/// The file's bytes, shared with the .xlsx reader thread without a copy.
#[derive(Clone)]
pub struct Data(Arc<dyn AsRef<[u8]> + Send + Sync>);

impl AsRef<[u8]> for Data {
    fn as_ref(&self) -> &[u8] {
        self.0.as_ref().as_ref()
    }
}

/// Why a file cannot be read as a sheet. Every message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("this is not an .xlsx or .csv file: {0}; save the customer list as .xlsx or .csv and upload that")]
    NotASheet(String),
    #[error(
        "this is not an .xlsx or .csv file: it is an old Excel file (.xls) or a workbook protected with a password; \
         open it in Excel and save it as .xlsx without a password, or as .csv"
    )]
    OldOrProtected,
    #[error(
        "this is not an .xlsx or .csv file: it is UTF-16 text (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" instead"
    )]
    Utf16,
    #[error("the workbook has no worksheet called {name:?}; its worksheets are: {}", quoted(.sheets))]
    NoSuchSheet { name: String, sheets: Vec<String> },
    #[error("the workbook has no worksheet; put the customers on a worksheet and upload it again")]
    NoWorksheet,
    #[error(
        "the workbook is damaged and cannot be read to its end ({0}); open it in Excel, save it again and upload that"
    )]
    Damaged(String),
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
}

impl From<SheetError> for ReadError {
    fn from(e: SheetError) -> Self {
        match e {
            SheetError::NoSuchSheet { .. } => ReadError::Sheet(e.to_string()),
            other => ReadError::File(other.to_string()),
        }
    }
}

/// An uploaded sheet.
pub struct SheetFile {
    data: Data,
    format: Format,
    /// .xlsx: the worksheet read and every worksheet's name.
    sheet: Option<(String, Vec<String>)>,
    fingerprint: String,
}

impl SheetFile {
    /// Tell the format from the bytes; for a workbook, pick the worksheet (`sheet`, or the first
    /// visible one). `sheet` is ignored for a CSV file.
    pub fn new(bytes: impl AsRef<[u8]> + Send + Sync + 'static, sheet: Option<&str>) -> Result<Self, SheetError> {
        let data = Data(Arc::new(bytes));
        let format = detect(data.as_ref())?;
        let sheet = match format {
            Format::Xlsx => Some(xlsx_rows::choose_sheet(&data, sheet)?),
            Format::Csv => None,
        };
        let fingerprint = fingerprint(data.as_ref());
        Ok(Self { data, format, sheet, fingerprint })
    }

    pub fn format(&self) -> Format {
        self.format
    }
}

impl SheetSource for SheetFile {
    fn info(&self) -> SheetInfo {
        SheetInfo {
            format: self.format.as_str().into(),
            sheet: self.sheet.as_ref().map(|(s, _)| s.clone()),
            sheets: self.sheet.as_ref().map(|(_, all)| all.clone()).unwrap_or_default(),
            size: self.data.as_ref().len() as u64,
            fingerprint: self.fingerprint.clone(),
        }
    }

    fn open(&self) -> Result<Box<dyn RowReader + '_>, ReadError> {
        match (&self.format, &self.sheet) {
            (Format::Xlsx, Some((name, _))) => {
                Ok(Box::new(xlsx_rows::XlsxRows::open(self.data.clone(), name.clone())?))
            }
            (Format::Xlsx, None) => Err(SheetError::NoWorksheet.into()),
            (Format::Csv, _) => Ok(Box::new(csv_rows::CsvRows::open(self.data.as_ref())?)),
        }
    }
}
