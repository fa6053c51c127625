//! SuperOffice's string encodings of field values (`[I:…]`, `[F:…]`, `[DT:…]`), as its
//! `CultureDataFormatter` writes them (C SO-1 `field-value-formats-and-conventions.md`):
//!
//! | Type | Encoded |
//! |---|---|
//! | integer | `[I:12345]` |
//! | boolean (checkbox) | `[I:1]` / `[I:0]` |
//! | double | `[F:12345.6789]` (invariant culture: `.` decimal point, no grouping) |
//! | date / datetime | `[DT:12/31/2013 23:59:59.0000000]` (`MM/dd/yyyy HH:mm:ss.fffffff`) |
//! | string, list item key | raw, no brackets |
//!
//! Decoding is liberal (1–2 digit month, day and time parts, 0–7 fraction digits, an exponent in
//! a double, surrounding blanks inside the brackets) and never panics: a value that claims a type
//! (`[I:`, `[F:`, `[DT:`) but does not parse is a [`ValueError`]; anything else is text.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// A decoded field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    DateTime(NaiveDateTime),
    /// A plain string (also list item keys).
    Text(String),
}

/// Why an encoded value cannot be read or written. The offending text is shortened to
/// [`MAX_ECHO`] characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("not an integer value: {0}")]
    BadInt(String),
    #[error("not a number value: {0}")]
    BadFloat(String),
    #[error("not a date/time value (expected [DT:MM/dd/yyyy HH:mm:ss.fffffff]): {0}")]
    BadDateTime(String),
    #[error("not a yes/no value (expected [I:1] or [I:0]): {0}")]
    BadBool(String),
    #[error("a number value must be finite")]
    NotFinite,
    #[error("the year must be between 1 and 9999")]
    YearOutOfRange,
}

/// Longest part of an input repeated in an error.
pub const MAX_ECHO: usize = 40;

const INT: &str = "[I:";
const FLOAT: &str = "[F:";
const DATETIME: &str = "[DT:";

impl Value {
    /// The encoded form. Fails only for a non-finite float or a year outside 1..=9999.
    pub fn encode(&self) -> Result<String, ValueError> {
        match self {
            Value::Int(i) => Ok(encode_int(*i)),
            Value::Float(f) => encode_float(*f),
            Value::DateTime(dt) => encode_datetime(dt),
            Value::Text(s) => Ok(s.clone()),
        }
    }
}

/// `[I:12345]`.
pub fn encode_int(value: i64) -> String {
    format!("{INT}{value}]")
}

/// `[I:1]` / `[I:0]`.
pub fn encode_bool(value: bool) -> String {
    encode_int(i64::from(value))
}

/// `[F:12345.6789]`: the shortest text that reads back as the same double, never with an
/// exponent or digit grouping.
pub fn encode_float(value: f64) -> Result<String, ValueError> {
    if !value.is_finite() {
        return Err(ValueError::NotFinite);
    }
    // Rust's `Display` for f64 is the shortest round-trip form and never uses an exponent.
    let value = if value == 0.0 { 0.0 } else { value }; // no "-0"
    Ok(format!("{FLOAT}{value}]"))
}

/// `[F:…]` with exactly `places` (at most 15) decimals, rounded, like
/// `CultureDataFormatter.EncodeDouble(value, places)`.
pub fn encode_float_places(value: f64, places: u8) -> Result<String, ValueError> {
    if !value.is_finite() {
        return Err(ValueError::NotFinite);
    }
    let places = usize::from(places.min(15));
    let mut text = format!("{value:.places$}");
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        text = text.trim_start_matches('-').to_string();
    }
    Ok(format!("{FLOAT}{text}]"))
}

/// `[DT:12/31/2013 23:59:59.0000000]` (sub-100 ns precision is dropped).
pub fn encode_datetime(value: &NaiveDateTime) -> Result<String, ValueError> {
    if !(1..=9999).contains(&value.year()) {
        return Err(ValueError::YearOutOfRange);
    }
    let mut out = String::with_capacity(32);
    let _ = write!(
        out,
        "{DATETIME}{:02}/{:02}/{:04} {:02}:{:02}:{:02}.{:07}]",
        value.month(),
        value.day(),
        value.year(),
        value.hour(),
        value.minute(),
        value.second().min(59),
        (value.nanosecond() % 1_000_000_000) / 100
    );
    Ok(out)
}

/// A date as `[DT:MM/dd/yyyy 00:00:00.0000000]`.
pub fn encode_date(value: NaiveDate) -> Result<String, ValueError> {
    encode_datetime(&value.and_time(NaiveTime::MIN))
}

/// Reads any value: `[I:…]`, `[F:…]`, `[DT:…]` by their prefix, everything else as text.
pub fn decode(raw: &str) -> Result<Value, ValueError> {
    if let Some(inner) = bracketed(raw, INT) {
        return parse_int(inner).map(Value::Int).ok_or_else(|| ValueError::BadInt(echo(raw)));
    }
    if let Some(inner) = bracketed(raw, FLOAT) {
        return parse_float(inner, raw).map(Value::Float);
    }
    if let Some(inner) = bracketed(raw, DATETIME) {
        return parse_datetime(inner).map(Value::DateTime).ok_or_else(|| ValueError::BadDateTime(echo(raw)));
    }
    Ok(Value::Text(raw.to_string()))
}

/// An integer: `[I:12345]` or bare digits (`-12`, `+7`).
pub fn decode_int(raw: &str) -> Result<i64, ValueError> {
    let inner = bracketed(raw, INT).unwrap_or(raw);
    parse_int(inner).ok_or_else(|| ValueError::BadInt(echo(raw)))
}

/// A double: `[F:…]`, `[I:…]` or a bare invariant-culture number.
pub fn decode_float(raw: &str) -> Result<f64, ValueError> {
    if let Some(inner) = bracketed(raw, INT) {
        return parse_int(inner).map(|i| i as f64).ok_or_else(|| ValueError::BadFloat(echo(raw)));
    }
    parse_float(bracketed(raw, FLOAT).unwrap_or(raw), raw)
}

/// A boolean: `[I:0]` is false, any other integer true; bare `0`/`1`, `true`/`false` too.
pub fn decode_bool(raw: &str) -> Result<bool, ValueError> {
    let inner = bracketed(raw, INT).unwrap_or(raw).trim();
    if inner.eq_ignore_ascii_case("true") {
        return Ok(true);
    }
    if inner.eq_ignore_ascii_case("false") {
        return Ok(false);
    }
    parse_int(inner).map(|i| i != 0).ok_or_else(|| ValueError::BadBool(echo(raw)))
}

/// A date/time: `[DT:MM/dd/yyyy HH:mm:ss.fffffff]` or the same without brackets.
pub fn decode_datetime(raw: &str) -> Result<NaiveDateTime, ValueError> {
    let inner = bracketed(raw, DATETIME).unwrap_or(raw);
    parse_datetime(inner).ok_or_else(|| ValueError::BadDateTime(echo(raw)))
}

/// Whether `raw` carries a type prefix (`[I:`, `[F:`, `[DT:`).
pub fn is_encoded(raw: &str) -> bool {
    [INT, FLOAT, DATETIME].iter().any(|p| bracketed(raw, p).is_some())
}

/// The part between `prefix` and the closing `]`, if `raw` (trimmed) has that shape.
fn bracketed<'a>(raw: &'a str, prefix: &str) -> Option<&'a str> {
    let trimmed = raw.trim();
    let head = trimmed.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    trimmed[prefix.len()..].strip_suffix(']')
}

fn parse_int(inner: &str) -> Option<i64> {
    let t = inner.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.strip_prefix('+').unwrap_or(t).parse().ok()
}

fn parse_float(inner: &str, raw: &str) -> Result<f64, ValueError> {
    let t = inner.trim();
    // Only the invariant culture's characters: no `,`, no "NaN"/"Infinity" words.
    let allowed = |b: u8| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E');
    if t.is_empty() || !t.bytes().all(allowed) || !t.bytes().any(|b| b.is_ascii_digit()) {
        return Err(ValueError::BadFloat(echo(raw)));
    }
    let value: f64 = t.parse().map_err(|_| ValueError::BadFloat(echo(raw)))?;
    if value.is_finite() { Ok(value) } else { Err(ValueError::NotFinite) }
}

/// `M/d/yyyy H:m:s[.f{1,7}]` (parts of 1–2 digits; the time may be left out: midnight).
fn parse_datetime(inner: &str) -> Option<NaiveDateTime> {
    let t = inner.trim();
    let (date, time) = match t.split_once(' ') {
        Some((d, rest)) => (d, rest.trim()),
        None => (t, "0:0:0"),
    };
    let mut d = date.split('/');
    let month = small(d.next()?, 2)?;
    let day = small(d.next()?, 2)?;
    let year_text = d.next()?;
    if d.next().is_some() || year_text.len() != 4 {
        return None;
    }
    let year = i32::try_from(small(year_text, 4)?).ok()?;
    let (hms, fraction) = match time.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (time, None),
    };
    let mut h = hms.split(':');
    let hour = small(h.next()?, 2)?;
    let minute = small(h.next()?, 2)?;
    let second = small(h.next()?, 2)?;
    if h.next().is_some() {
        return None;
    }
    let nanos = match fraction {
        None => 0,
        Some(f) if (1..=7).contains(&f.len()) => small(f, 7)? * 10u32.pow(9 - f.len() as u32),
        Some(_) => return None,
    };
    if !(1..=9999).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)?.and_hms_nano_opt(hour, minute, second, nanos)
}

/// 1..=`max_len` ASCII digits.
fn small(text: &str, max_len: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max_len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn echo(raw: &str) -> String {
    let mut out: String = raw.chars().take(MAX_ECHO).collect();
    if raw.chars().nth(MAX_ECHO).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dt(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d).and_then(|x| x.and_hms_nano_opt(h, mi, s, nanos)).expect("valid test date")
    }

    #[test]
    fn encodes_the_documented_examples() {
        assert_eq!(encode_int(12345), "[I:12345]");
        assert_eq!(encode_int(-7), "[I:-7]");
        assert_eq!(encode_bool(true), "[I:1]");
        assert_eq!(encode_bool(false), "[I:0]");
        assert_eq!(encode_float(12345.6789), Ok("[F:12345.6789]".into()));
        assert_eq!(encode_float(-0.0), Ok("[F:0]".into()));
        assert_eq!(encode_float(1e21), Ok("[F:1000000000000000000000]".into()));
        assert_eq!(encode_float_places(2.5, 2), Ok("[F:2.50]".into()));
        assert_eq!(encode_float_places(-0.001, 2), Ok("[F:0.00]".into()));
        assert_eq!(encode_datetime(&dt(2013, 12, 31, 23, 59, 59, 0)), Ok("[DT:12/31/2013 23:59:59.0000000]".into()));
        assert_eq!(
            encode_datetime(&dt(2024, 3, 4, 5, 6, 7, 123_456_789)),
            Ok("[DT:03/04/2024 05:06:07.1234567]".into())
        );
        assert_eq!(
            encode_date(NaiveDate::from_ymd_opt(2024, 1, 2).expect("date")),
            Ok("[DT:01/02/2024 00:00:00.0000000]".into())
        );
        assert_eq!(Value::Text("[Draft]".into()).encode(), Ok("[Draft]".into()));
    }

    #[test]
    fn refuses_what_cannot_be_encoded() {
        assert_eq!(encode_float(f64::NAN), Err(ValueError::NotFinite));
        assert_eq!(encode_float(f64::INFINITY), Err(ValueError::NotFinite));
        assert_eq!(encode_float_places(f64::NEG_INFINITY, 2), Err(ValueError::NotFinite));
        let year_zero = NaiveDate::from_ymd_opt(0, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).expect("date");
        assert_eq!(encode_datetime(&year_zero), Err(ValueError::YearOutOfRange));
    }

    #[test]
    fn decodes_by_prefix_and_keeps_other_text() {
        assert_eq!(decode("[I:12345]"), Ok(Value::Int(12345)));
        assert_eq!(decode(" [i: -3 ] "), Ok(Value::Int(-3)));
        assert_eq!(decode("[F:12345.6789]"), Ok(Value::Float(12345.6789)));
        assert_eq!(decode("[F:1E+21]"), Ok(Value::Float(1e21)));
        assert_eq!(decode("[DT:12/31/2013 23:59:59.0000000]"), Ok(Value::DateTime(dt(2013, 12, 31, 23, 59, 59, 0))));
        assert_eq!(decode("[DT:1/2/2024 3:04:05.5]"), Ok(Value::DateTime(dt(2024, 1, 2, 3, 4, 5, 500_000_000))));
        assert_eq!(decode("[DT:01/02/2024]"), Ok(Value::DateTime(dt(2024, 1, 2, 0, 0, 0, 0))));
        assert_eq!(decode("Acme & Co"), Ok(Value::Text("Acme & Co".into())));
        assert_eq!(decode("[Draft]"), Ok(Value::Text("[Draft]".into())));
        assert_eq!(decode(""), Ok(Value::Text(String::new())));
        assert!(is_encoded("[DT:01/02/2024]") && !is_encoded("12"));
    }

    #[test]
    fn decoding_errors_are_typed() {
        assert_eq!(decode("[I:twelve]"), Err(ValueError::BadInt("[I:twelve]".into())));
        assert_eq!(decode("[I:]"), Err(ValueError::BadInt("[I:]".into())));
        assert_eq!(decode("[I:99999999999999999999]"), Err(ValueError::BadInt("[I:99999999999999999999]".into())));
        assert_eq!(decode("[F:1,5]"), Err(ValueError::BadFloat("[F:1,5]".into())));
        assert_eq!(decode("[F:NaN]"), Err(ValueError::BadFloat("[F:NaN]".into())));
        assert_eq!(decode("[F:1e999]"), Err(ValueError::NotFinite));
        assert!(matches!(decode("[DT:13/01/2024 00:00:00]"), Err(ValueError::BadDateTime(_))));
        assert!(matches!(decode("[DT:02/30/2024 00:00:00]"), Err(ValueError::BadDateTime(_))));
        assert!(matches!(decode("[DT:01/01/2024 00:00:00.12345678]"), Err(ValueError::BadDateTime(_))));
        assert!(matches!(decode("[DT:2024-01-01T00:00:00]"), Err(ValueError::BadDateTime(_))));
        assert!(matches!(decode("[DT:01/01/0000 00:00:00]"), Err(ValueError::BadDateTime(_))));
        let long = format!("[I:{}]", "x".repeat(500));
        match decode(&long) {
            Err(ValueError::BadInt(echoed)) => assert!(echoed.chars().count() <= MAX_ECHO + 1),
            other => panic!("expected BadInt, got {other:?}"),
        }
    }

    #[test]
    fn typed_decoders_accept_bare_values() {
        assert_eq!(decode_int("42"), Ok(42));
        assert_eq!(decode_int("[I:+42]"), Ok(42));
        assert!(decode_int("4.2").is_err());
        assert_eq!(decode_float("[I:3]"), Ok(3.0));
        assert_eq!(decode_float("-1.25"), Ok(-1.25));
        assert_eq!(decode_bool("[I:1]"), Ok(true));
        assert_eq!(decode_bool("[I:0]"), Ok(false));
        assert_eq!(decode_bool("[I:2]"), Ok(true));
        assert_eq!(decode_bool("TRUE"), Ok(true));
        assert_eq!(decode_bool("no"), Err(ValueError::BadBool("no".into())));
        assert_eq!(decode_datetime("12/31/2013 23:59:59"), Ok(dt(2013, 12, 31, 23, 59, 59, 0)));
    }

    proptest! {
        #[test]
        fn ints_round_trip(i in any::<i64>()) {
            prop_assert_eq!(decode(&encode_int(i)), Ok(Value::Int(i)));
            prop_assert_eq!(decode_int(&encode_int(i)), Ok(i));
        }

        #[test]
        fn bools_round_trip(b in any::<bool>()) {
            prop_assert_eq!(decode_bool(&encode_bool(b)), Ok(b));
        }

        #[test]
        fn finite_floats_round_trip(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
            let encoded = encode_float(f).expect("finite");
            prop_assert!(!encoded.contains('e') && !encoded.contains(','));
            let back = decode_float(&encoded).expect("reads back");
            prop_assert!(back == f, "{} -> {} -> {}", f, encoded, back);
        }

        #[test]
        fn datetimes_round_trip(
            y in 1i32..=9999, mo in 1u32..=12, d in 1u32..=28,
            h in 0u32..24, mi in 0u32..60, s in 0u32..60, ticks in 0u32..10_000_000,
        ) {
            let value = dt(y, mo, d, h, mi, s, ticks * 100);
            let encoded = encode_datetime(&value).expect("in range");
            prop_assert_eq!(encoded.len(), "[DT:12/31/2013 23:59:59.0000000]".len());
            prop_assert_eq!(decode(&encoded), Ok(Value::DateTime(value)));
        }

        #[test]
        fn decoding_never_panics(raw in "\\PC{0,40}", tail in "[\\[\\]IFDT:0-9./ -]{0,30}") {
            let _ = decode(&raw);
            let _ = decode(&format!("[I:{tail}"));
            let _ = decode(&format!("[F:{tail}"));
            let _ = decode(&format!("[DT:{tail}"));
            let _ = decode_bool(&raw);
            let _ = decode_datetime(&tail);
        }

        #[test]
        fn plain_text_stays_text(raw in "[a-zA-Z0-9 &<>@.]{0,40}") {
            prop_assert_eq!(decode(&raw), Ok(Value::Text(raw.clone())));
        }
    }
}
