//! .xlsx rows, one at a time, with calamine's streaming cell reader.
//!
//! The cell reader borrows the workbook, so it cannot live in a struct beside it. It runs on a
//! thread of its own that owns both and hands rows over a channel of [`CHANNEL_ROWS`] rows: only
//! those rows are in memory, never the sheet. What the workbook itself needs stays: calamine reads
//! the shared-strings table (every distinct text of the workbook) and the styles when it opens the
//! file. A panic in the reader ends its thread, and the rows end with an error, not a panic.

use std::io::Cursor;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Reader, SheetType, SheetVisible, Xlsx, XlsxError};
use koppel_core::import::source::{ReadError, RowReader, SheetRow};

use crate::{Data, SheetError, render};

/// Rows waiting between the reader thread and the import.
pub const CHANNEL_ROWS: usize = 64;
/// Columns read; cells further right are ignored (a customer list has a dozen).
pub const MAX_COLUMNS: usize = 1024;

enum Msg {
    Header(Vec<String>),
    Row(SheetRow),
    Failed(SheetError),
    End,
}

/// Open the workbook: its worksheets' names and the one to read (`wanted`, or the first visible
/// worksheet).
pub fn choose_sheet(data: &Data, wanted: Option<&str>) -> Result<(String, Vec<String>), SheetError> {
    let book: Xlsx<_> = Xlsx::new(Cursor::new(data.clone())).map_err(opening)?;
    let worksheets: Vec<_> = book.sheets_metadata().iter().filter(|s| s.typ == SheetType::WorkSheet).collect();
    let names: Vec<String> = worksheets.iter().map(|s| s.name.clone()).collect();
    let chosen = match wanted.map(str::trim) {
        Some(w) => names.iter().find(|n| *n == w).or_else(|| names.iter().find(|n| n.trim().eq_ignore_ascii_case(w))),
        None => worksheets.iter().find(|s| s.visible == SheetVisible::Visible).or(worksheets.first()).map(|s| &s.name),
    };
    match (chosen, wanted) {
        (Some(name), _) => Ok((name.clone(), names)),
        (None, Some(w)) => Err(SheetError::NoSuchSheet { name: w.to_string(), sheets: names }),
        (None, None) => Err(SheetError::NoWorksheet),
    }
}

fn opening(e: XlsxError) -> SheetError {
    match e {
        XlsxError::Password => SheetError::OldOrProtected,
        other => SheetError::NotASheet(format!("it is a zip archive but not a readable Excel workbook ({other})")),
    }
}

pub struct XlsxRows {
    headers: Vec<String>,
    rx: Receiver<Msg>,
    ended: bool,
}

impl XlsxRows {
    pub fn open(data: Data, sheet: String) -> Result<Self, ReadError> {
        let (tx, rx) = sync_channel(CHANNEL_ROWS);
        std::thread::Builder::new()
            .name("xlsx-rows".into())
            .spawn(move || produce(&data, &sheet, &tx))
            .map_err(|e| ReadError::File(format!("the workbook could not be read: {e}")))?;
        let mut rows = XlsxRows { headers: Vec::new(), rx, ended: false };
        match rows.rx.recv() {
            Ok(Msg::Header(h)) => rows.headers = h,
            Ok(Msg::End) => rows.ended = true,
            Ok(Msg::Failed(e)) => return Err(e.into()),
            Ok(Msg::Row(_)) | Err(_) => return Err(stopped()),
        }
        Ok(rows)
    }
}

fn stopped() -> ReadError {
    ReadError::File("the workbook is damaged: it could not be read to its end".into())
}

impl RowReader for XlsxRows {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn next_row(&mut self) -> Result<Option<SheetRow>, ReadError> {
        if self.ended {
            return Ok(None);
        }
        match self.rx.recv() {
            Ok(Msg::Row(r)) => Ok(Some(r)),
            Ok(Msg::End) => {
                self.ended = true;
                Ok(None)
            }
            Ok(Msg::Failed(e)) => Err(e.into()),
            Ok(Msg::Header(_)) | Err(_) => Err(stopped()),
        }
    }
}

/// The reader thread. Every send fails once the import dropped its end: then it stops.
fn produce(data: &Data, sheet: &str, tx: &SyncSender<Msg>) {
    let mut rows = Rows { tx, width: None };
    let outcome = read(data, sheet, &mut rows);
    let last = match outcome {
        // An empty sheet sends no header: the import says the file is empty.
        Ok(()) => tx.send(Msg::End),
        Err(Stop::Failed(e)) => tx.send(Msg::Failed(e)),
        Err(Stop::Gone) => Ok(()),
    };
    drop(last);
}

enum Stop {
    Failed(SheetError),
    /// The import stopped reading.
    Gone,
}

struct Rows<'t> {
    tx: &'t SyncSender<Msg>,
    /// The header's width once the header row was sent.
    width: Option<usize>,
}

impl Rows<'_> {
    fn emit(&mut self, number: u64, mut cells: Vec<String>) -> Result<(), Stop> {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        let msg = match self.width {
            None => {
                while cells.last().is_some_and(|c| c.trim().is_empty()) {
                    cells.pop();
                }
                self.width = Some(cells.len());
                Msg::Header(cells.into_iter().map(|c| c.trim().to_string()).collect())
            }
            Some(_) => Msg::Row(SheetRow::new(number, cells)),
        };
        self.tx.send(msg).map_err(|_| Stop::Gone)
    }
}

fn read(data: &Data, sheet: &str, rows: &mut Rows<'_>) -> Result<(), Stop> {
    let fail = |e: XlsxError| Stop::Failed(SheetError::Damaged(e.to_string()));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(data.clone())).map_err(|e| Stop::Failed(opening(e)))?;
    let mut cells = book.worksheet_cells_reader(sheet).map_err(fail)?;
    let mut current: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell().map_err(fail)? {
        let (r, c) = cell.get_position();
        let c = c as usize;
        if c >= rows.width.unwrap_or(MAX_COLUMNS).min(MAX_COLUMNS) {
            continue;
        }
        if current.as_ref().is_some_and(|(row, _)| *row != r)
            && let Some((row, done)) = current.take()
        {
            rows.emit(u64::from(row) + 1, done)?;
        }
        let (_, line) = current.get_or_insert_with(|| (r, Vec::new()));
        let text = render::cell(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if line.len() < c {
            line.resize(c, String::new());
        }
        if line.len() == c {
            line.push(text);
        } else if let Some(slot) = line.get_mut(c) {
            *slot = text; // a cell written twice: the last wins
        }
    }
    if let Some((row, done)) = current.take() {
        rows.emit(u64::from(row) + 1, done)?;
    }
    Ok(())
}
