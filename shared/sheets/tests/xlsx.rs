//! .xlsx workbooks (written here with rust_xlsxwriter, as Excel writes them: shared strings,
//! number formats): cells as text, empty rows, worksheet choice, damaged files.

use koppel_core::import::source::{ReadError, SheetSource};
use koppel_sheets::{Format, SheetFile};
use rust_xlsxwriter::{Format as CellFormat, Workbook};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Headers, and every row as (number, cells).
type Sheet = (Vec<String>, Vec<(u64, Vec<String>)>);

fn rows_of(file: &SheetFile) -> Result<Sheet, ReadError> {
    let mut reader = file.open()?;
    let headers = reader.headers().to_vec();
    let mut rows = Vec::new();
    while let Some(r) = reader.next_row()? {
        rows.push((r.number, r.cells));
    }
    Ok((headers, rows))
}

fn cells(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| s.to_string()).collect()
}

/// Klanten: headers on row 1, typed values, an empty row 4, a gap in row 5.
fn customers() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let date = CellFormat::new().set_num_format("dd-mm-yyyy");
    let stamp = CellFormat::new().set_num_format("dd-mm-yyyy hh:mm");
    let ws = book.add_worksheet();
    ws.set_name("Klanten")?;
    for (c, h) in ["Klantnummer", "Naam", "Telefoon", "Korting", "Klant sinds", "Actief", ""].iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    ws.write_number(1, 0, 1001.0)?;
    ws.write_string(1, 1, "Bakkerij de Vries")?;
    ws.write_number(1, 2, 612345678.0)?;
    ws.write_number(1, 3, 0.1 + 0.2)?;
    ws.write_number_with_format(1, 4, 45440.0, &date)?;
    ws.write_boolean(1, 5, true)?;
    ws.write_number(2, 0, 1002.0)?;
    ws.write_string(2, 1, "Slagerij Peeters")?;
    ws.write_number(2, 3, 12.5)?;
    ws.write_number_with_format(2, 4, 45440.75, &stamp)?;
    ws.write_string(4, 1, "Alleen een naam")?; // row 4 (index 3) is empty; column A is empty
    ws.write_string(4, 9, "far right, beyond the headers")?;
    book.save_to_buffer()
}

#[test]
fn cells_read_as_a_person_sees_them() -> TestResult {
    let file = SheetFile::new(customers()?, None)?;
    assert_eq!(file.format(), Format::Xlsx);
    let (headers, rows) = rows_of(&file)?;
    assert_eq!(headers, ["Klantnummer", "Naam", "Telefoon", "Korting", "Klant sinds", "Actief"]);
    assert_eq!(rows[0], (2, cells(&["1001", "Bakkerij de Vries", "612345678", "0.3", "2024-05-28", "TRUE"])));
    assert_eq!(rows[1], (3, cells(&["1002", "Slagerij Peeters", "", "12.5", "2024-05-28 18:00:00"])));
    assert_eq!(rows[2], (5, cells(&["", "Alleen een naam"])), "Excel's row 5; the empty row is not sent");
    assert_eq!(rows.len(), 3);
    let info = file.info();
    assert_eq!((info.format.as_str(), info.sheet.as_deref()), ("xlsx", Some("Klanten")));
    Ok(())
}

#[test]
fn the_worksheet_is_the_first_visible_one_or_the_one_named() -> TestResult {
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Uitleg")?.set_hidden(true).write_string(0, 0, "Lees mij")?;
    book.add_worksheet().set_name("Klanten")?.set_active(true).write_string(0, 0, "Naam")?.write_string(1, 0, "A")?;
    book.add_worksheet().set_name("Leveranciers")?.write_string(0, 0, "Leverancier")?;
    let bytes = book.save_to_buffer()?;

    let first = SheetFile::new(bytes.clone(), None)?;
    assert_eq!(first.info().sheet.as_deref(), Some("Klanten"), "the hidden sheet is passed over");
    assert_eq!(first.info().sheets, ["Uitleg", "Klanten", "Leveranciers"]);
    let named = SheetFile::new(bytes.clone(), Some(" leveranciers "))?;
    assert_eq!(rows_of(&named)?.0, ["Leverancier"]);
    let e = SheetFile::new(bytes, Some("Debiteuren")).err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        e,
        "the workbook has no worksheet called \"Debiteuren\"; its worksheets are: \"Uitleg\", \"Klanten\", \"Leveranciers\""
    );
    Ok(())
}

#[test]
fn an_empty_worksheet_has_no_headers() -> TestResult {
    let mut book = Workbook::new();
    book.add_worksheet();
    let (headers, rows) = rows_of(&SheetFile::new(book.save_to_buffer()?, None)?)?;
    assert!(headers.is_empty() && rows.is_empty());
    Ok(())
}

#[test]
fn many_rows_stream_and_a_reader_can_stop_early() -> TestResult {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Naam")?;
    for r in 1..=2000u32 {
        ws.write_string(r, 0, format!("Klant {r}"))?;
    }
    let file = SheetFile::new(book.save_to_buffer()?, None)?;
    let (_, rows) = rows_of(&file)?;
    assert_eq!((rows.len(), rows[1999].0), (2000, 2001));
    // Dropping a reader after one row ends its thread (the next open still works).
    for _ in 0..3 {
        let mut r = file.open()?;
        assert_eq!(r.next_row()?.map(|r| r.cells), Some(cells(&["Klant 1"])));
    }
    Ok(())
}

#[test]
fn a_zip_that_is_no_workbook_is_refused() {
    let e = SheetFile::new(b"PK\x03\x04 this is no zip at all".to_vec(), None).err().map(|e| e.to_string());
    let e = e.unwrap_or_default();
    assert!(
        e.starts_with("this is not an .xlsx or .csv file: it is a zip archive but not a readable Excel workbook"),
        "{e}"
    );
}
