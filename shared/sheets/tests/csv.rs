//! CSV files as Dutch, Belgian and English Excel (and people) write them.

use koppel_core::import::source::{ReadError, SheetRow, SheetSource};
use koppel_sheets::{Format, SheetFile};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Headers and every row (number, cells) of a file.
type Sheet = (Vec<String>, Vec<(u64, Vec<String>)>);

fn read(bytes: &[u8]) -> Result<Sheet, Box<dyn std::error::Error>> {
    let file = SheetFile::new(bytes.to_vec(), None)?;
    assert_eq!(file.format(), Format::Csv);
    let mut reader = file.open()?;
    let headers = reader.headers().to_vec();
    let mut rows = Vec::new();
    while let Some(SheetRow { number, cells }) = reader.next_row()? {
        rows.push((number, cells));
    }
    Ok((headers, rows))
}

fn cells(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| s.to_string()).collect()
}

#[test]
fn semicolons_with_a_bom_and_quoted_fields_holding_newlines() -> TestResult {
    let file = "\u{feff}Naam;Adres;BTW-nummer\r\n\
                Bakkerij de Vries;\"Dorpsstraat 1\r\n(achterom)\";NL888888888B01\r\n\
                \"Peeters; Zonen\";\"Kerkstraat \"\"Oud\"\" 2\";BE0417497106\r\n";
    let (headers, rows) = read(file.as_bytes())?;
    assert_eq!(headers, ["Naam", "Adres", "BTW-nummer"], "the BOM is not part of the first header");
    assert_eq!(rows[0], (2, cells(&["Bakkerij de Vries", "Dorpsstraat 1\r\n(achterom)", "NL888888888B01"])));
    assert_eq!(rows[1], (4, cells(&["Peeters; Zonen", "Kerkstraat \"Oud\" 2", "BE0417497106"])), "line 4");
    assert_eq!(rows.len(), 2);
    Ok(())
}

#[test]
fn commas_ragged_rows_and_blank_lines() -> TestResult {
    let (headers, rows) = read(b"Name,Email,City\nAcme,info@acme.nl\n\n,,\nBeta,b@beta.be,Gent,extra\n")?;
    assert_eq!(headers, ["Name", "Email", "City"]);
    let numbers: Vec<u64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(numbers, [2, 4, 5], "an empty line is not a row; a row of empty cells is (the import skips it)");
    assert_eq!(rows[0].1, cells(&["Acme", "info@acme.nl"]));
    assert_eq!(rows[1].1, cells(&["", "", ""]));
    assert_eq!(rows[2].1, cells(&["Beta", "b@beta.be", "Gent", "extra"]));
    Ok(())
}

#[test]
fn windows_1252_and_excels_sep_line() -> TestResult {
    let (headers, rows) = read(b"sep=,\r\nNaam,Gemeente\r\nCaf\xe9 \x93De Hoek\x94,Li\xe8ge\r\n")?;
    assert_eq!(headers, ["Naam", "Gemeente"]);
    assert_eq!(rows, [(3, cells(&["Café \u{201c}De Hoek\u{201d}", "Liège"]))], "line 3: sep= is line 1");
    let (_, rows) = read("Naam\tGemeente\nCafé\tLiège\n".as_bytes())?;
    assert_eq!(rows[0].1, cells(&["Café", "Liège"]), "UTF-8, tab-separated");
    Ok(())
}

#[test]
fn the_file_can_be_read_again_from_the_start() -> TestResult {
    let bytes = b"Naam;E-mail\nA;a@x.be\nB;b@x.be\n";
    let file = SheetFile::new(bytes.to_vec(), Some("ignored for csv"))?;
    let first: Vec<_> = std::iter::from_fn({
        let mut r = file.open()?;
        move || r.next_row().ok().flatten()
    })
    .collect();
    let mut again = file.open()?;
    assert_eq!(again.next_row()?, first.first().cloned());
    let info = file.info();
    assert_eq!((info.format.as_str(), info.size, info.sheet), ("csv", bytes.len() as u64, None));
    assert_eq!(info.fingerprint.len(), 64);
    Ok(())
}

#[test]
fn an_empty_file_has_no_headers_and_other_files_are_refused() -> TestResult {
    let (headers, rows) = read(b"")?;
    assert!(headers.is_empty() && rows.is_empty());
    for (bytes, says) in [
        (&b"%PDF-1.4 ..."[..], "PDF"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", "old Excel file (.xls)"),
        (b"\xFF\xFEN\0a\0", "CSV UTF-8"),
        (b"GIF89a\0\0\0", "binary"),
    ] {
        let e = SheetFile::new(bytes.to_vec(), None).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.starts_with("this is not an .xlsx or .csv file") && e.contains(says), "{e}");
    }
    let e: ReadError = koppel_sheets::SheetError::Utf16.into();
    assert!(matches!(e, ReadError::File(_)));
    Ok(())
}
