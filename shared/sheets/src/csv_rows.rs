//! CSV rows, one record at a time, straight from the file's bytes.
//!
//! - The delimiter is `;` (what Dutch and Belgian Excel writes), `,` or a tab: whichever occurs
//!   most in the header line outside quotes (`;` on a tie). A first line `sep=;` (Excel's hint)
//!   sets it and is skipped.
//! - A UTF-8 byte-order mark is dropped. A file that is not valid UTF-8 is read as Windows-1252,
//!   which is what Excel's "CSV (comma delimited)" writes on Windows.
//! - Quoted fields may hold delimiters, quotes (`""`) and line breaks.
//! - The row number of a record is the line it starts on (the header is line 1).

use koppel_core::import::source::{ReadError, RowReader, SheetRow};

use crate::detect::UTF8_BOM;

pub struct CsvRows<'a> {
    body: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    /// Line breaks counted up to `counted` (a byte offset in `body`).
    lines: u64,
    counted: usize,
    record: csv::ByteRecord,
    headers: Vec<String>,
    utf8: bool,
    /// Lines before the csv reader's first line (a `sep=` line).
    line_offset: u64,
}

impl<'a> CsvRows<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Self, ReadError> {
        let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        let utf8 = std::str::from_utf8(body).is_ok();
        let (delimiter, body, line_offset) = match sep_line(body) {
            Some((d, rest)) => (d, rest, 1),
            None => (sniff(first_line(body)), body, 0),
        };
        let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(body);
        let mut rows = CsvRows {
            body,
            reader,
            lines: 0,
            counted: 0,
            record: csv::ByteRecord::new(),
            headers: Vec::new(),
            utf8,
            line_offset,
        };
        if let Some(header) = rows.next_row()? {
            rows.headers = header.cells.into_iter().map(|h| h.trim().to_string()).collect();
        }
        Ok(rows)
    }

    /// The line a record starts on. The csv reader reports a record's start before the line
    /// break that ended the previous one, so that break (and blank lines) are stepped over.
    fn line_at(&mut self, reported: usize) -> u64 {
        let mut start = reported.min(self.body.len());
        while self.body.get(start).is_some_and(|b| *b == b'\n' || *b == b'\r') {
            start += 1;
        }
        if start > self.counted {
            self.lines += self.body[self.counted..start].iter().filter(|b| **b == b'\n').count() as u64;
            self.counted = start;
        }
        1 + self.lines + self.line_offset
    }

    fn text(&self, field: &[u8]) -> String {
        if self.utf8 {
            String::from_utf8_lossy(field).into_owned()
        } else {
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(field).0.into_owned()
        }
    }
}

impl RowReader for CsvRows<'_> {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn next_row(&mut self) -> Result<Option<SheetRow>, ReadError> {
        let mut record = std::mem::take(&mut self.record);
        let more = self
            .reader
            .read_byte_record(&mut record)
            .map_err(|e| ReadError::File(format!("the CSV file cannot be read: {e}")))?;
        let row = match more {
            true => {
                let start = record.position().map_or(self.counted as u64, |p| p.byte());
                let line = self.line_at(usize::try_from(start).unwrap_or(usize::MAX));
                Some(SheetRow::new(line, record.iter().map(|f| self.text(f)).collect()))
            }
            false => None,
        };
        self.record = record;
        Ok(row)
    }
}

/// The first line, up to 64 KiB, for sniffing.
fn first_line(body: &[u8]) -> &[u8] {
    let head = &body[..body.len().min(64 * 1024)];
    let mut quoted = false;
    for (i, b) in head.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => return &head[..i],
            _ => {}
        }
    }
    head
}

/// The delimiter used most outside quotes; `;` wins a tie, `,` when there is none.
pub fn sniff(line: &[u8]) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line {
        if *b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| d == b) {
            c.1 += 1;
        }
    }
    let best = counts.iter().fold((b',', 0), |best, c| if c.1 > best.1 { *c } else { best });
    best.0
}

/// Excel's `sep=;` first line: the delimiter and the rest of the file.
fn sep_line(body: &[u8]) -> Option<(u8, &[u8])> {
    let rest = body.strip_prefix(b"sep=").or_else(|| body.strip_prefix(b"SEP="))?;
    let (&d, after) = rest.split_first()?;
    let after = after.strip_prefix(b"\r").unwrap_or(after);
    let after = after.strip_prefix(b"\n")?;
    (d != b'"' && d != b'\n' && d != b'\r').then_some((d, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_delimiter_outside_quotes() {
        assert_eq!(sniff(b"Naam;Adres, nr;BTW"), b';');
        assert_eq!(sniff(b"Name,Address;x,y"), b',');
        assert_eq!(sniff(b"\"a;b;c\",d,e"), b',');
        assert_eq!(sniff(b"a\tb\tc"), b'\t');
        assert_eq!(sniff(b"a;b,c"), b';', "a tie goes to ;");
        assert_eq!(sniff(b"Naam"), b',');
    }

    #[test]
    fn excel_sep_line() {
        assert_eq!(sep_line(b"sep=;\r\nA;B"), Some((b';', &b"A;B"[..])));
        assert_eq!(sep_line(b"sep=,\nA"), Some((b',', &b"A"[..])));
        assert_eq!(sep_line(b"separator;x\n"), None);
    }
}
