//! Whatever the bytes, reading them never panics: it gives rows or an error.

use koppel_core::import::source::SheetSource;
use koppel_sheets::SheetFile;
use proptest::prelude::*;

/// Read everything the bytes give; the number of rows read.
fn read_all(bytes: Vec<u8>) -> usize {
    let Ok(file) = SheetFile::new(bytes, None) else { return 0 };
    let Ok(mut reader) = file.open() else { return 0 };
    let mut n = 0;
    while let Ok(Some(_)) = reader.next_row() {
        n += 1;
    }
    n
}

fn small_workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for r in 0..6u32 {
        let _ = ws.write_string(r, 0, format!("Klant {r}"));
        let _ = ws.write_number(r, 1, f64::from(r) * 1.5);
    }
    book.save_to_buffer().unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        read_all(bytes);
    }

    #[test]
    fn arbitrary_text_as_csv(text in "[a-z;,\"\\r\\n\\t ]{0,400}") {
        read_all(text.into_bytes());
    }

    #[test]
    fn a_workbook_with_damaged_bytes(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = small_workbook();
        prop_assume!(!bytes.is_empty());
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        read_all(bytes);
    }
}

#[test]
fn an_intact_workbook_gives_its_rows() {
    assert_eq!(read_all(small_workbook()), 5, "the first row is the header");
}
