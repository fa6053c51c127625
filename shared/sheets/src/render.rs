//! An .xlsx cell as the text a person sees: integers without `.0`, no floating-point noise,
//! dates as `2024-05-28` (with the time when there is one), errors as Excel shows them.

use calamine::{DataRef, ExcelDateTime};

/// Excel shows at most 15 significant digits; the rest of an f64 is noise.
const SIGNIFICANT: usize = 15;

pub fn cell(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(true) => "TRUE".into(),
        DataRef::Bool(false) => "FALSE".into(),
        DataRef::DateTime(d) => date(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

/// `1234567890.0` → `1234567890`; `0.30000000000000004` → `0.3`; `1.5` → `1.5`.
pub fn number(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    // Round to 15 significant digits, then print the shortest form of that.
    let rounded: f64 = format!("{:.*e}", SIGNIFICANT - 1, f).parse().unwrap_or(f);
    format!("{rounded}")
}

fn date(d: &ExcelDateTime) -> String {
    if d.is_duration() {
        return number(d.as_f64());
    }
    let (y, m, day, h, min, s, ms) = d.to_ymd_hms_milli();
    if (h, min, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{m:02}-{day:02}")
    } else {
        format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTimeType};

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(number(612345678.0), "612345678");
        assert_eq!(number(32_471_234_567.0), "32471234567");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(-42.0), "-42");
        assert_eq!(number(1e20), "100000000000000000000");
        assert_eq!(number(f64::NAN), "");
    }

    #[test]
    fn dates_times_and_the_rest() {
        let day = ExcelDateTime::new(45440.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell(&DataRef::DateTime(day)), "2024-05-28");
        let at = ExcelDateTime::new(45440.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell(&DataRef::DateTime(at)), "2024-05-28 12:00:00");
        assert_eq!(cell(&DataRef::Int(1001)), "1001");
        assert_eq!(cell(&DataRef::Bool(true)), "TRUE");
        assert_eq!(cell(&DataRef::Error(CellErrorType::NA)), "#N/A");
        assert_eq!(cell(&DataRef::SharedString("Bakkerij")), "Bakkerij");
        assert_eq!(cell(&DataRef::Empty), "");
    }
}
