//! What a file is, from its first bytes (never from its name or the Content-Type).

use crate::SheetError;

/// The formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

const ZIP: &[u8] = b"PK\x03\x04";
/// OLE2 compound file: Excel 97-2003 (.xls), or any workbook saved with a password.
const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
pub const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Xlsx by its zip signature; csv for text; a clear refusal for everything else.
pub fn detect(bytes: &[u8]) -> Result<Format, SheetError> {
    if bytes.starts_with(ZIP) {
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(OLE2) {
        return Err(SheetError::OldOrProtected);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(SheetError::Utf16);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(SheetError::NotASheet("it is a PDF document".into()));
    }
    if bytes.starts_with(b"PK") {
        return Err(SheetError::NotASheet("it is a damaged or unusual zip archive".into()));
    }
    let head = &bytes[..bytes.len().min(8192)];
    let binary = head.iter().filter(|b| matches!(b, 0..=8 | 14..=31 | 127)).count();
    if head.contains(&0) || binary * 100 > head.len().max(1) {
        return Err(SheetError::NotASheet("it holds binary data, not text".into()));
    }
    Ok(Format::Csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_their_first_bytes() {
        assert_eq!(detect(b"PK\x03\x04rest"), Ok(Format::Xlsx));
        assert_eq!(detect(b"Naam;BTW\nA;B\n"), Ok(Format::Csv));
        assert_eq!(detect(b"\xEF\xBB\xBFNaam;BTW\n"), Ok(Format::Csv));
        assert_eq!(detect(b"Caf\xE9;X\n"), Ok(Format::Csv), "Windows-1252 text is text");
        assert_eq!(detect(b""), Ok(Format::Csv), "empty: the import says the file is empty");
        assert_eq!(detect(OLE2), Err(SheetError::OldOrProtected));
        assert_eq!(detect(&[0xFF, 0xFE, b'N', 0]), Err(SheetError::Utf16));
        for other in [&b"%PDF-1.7"[..], b"\x89PNG\r\n\x1a\n\0\0", b"GIF89a\0\x01"] {
            let e = detect(other).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(e.starts_with("this is not an .xlsx or .csv file"), "{e}");
        }
    }
}
