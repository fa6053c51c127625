//! SuperOffice's string encodings of field values, read and written by the engine itself (not
//! through Koppel's `erp::values`, so the two can disagree and a test notices):
//! `[I:12345]` integer (and `[I:1]`/`[I:0]` booleans), `[F:12345.6789]` double,
//! `[DT:12/31/2013 23:59:59.0000000]` datetime (month/day/year, 24 h, 7 fraction digits),
//! anything else a plain string (list values are the connector's item key)
//! [C SO-1 `api/field-value-formats-and-conventions.md`].

use chrono::NaiveDateTime;

/// `CultureDataFormatter`'s datetime layout.
const DT_FORMAT: &str = "%m/%d/%Y %H:%M:%S%.f";

/// One decoded value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    DateTime(NaiveDateTime),
    /// Not encoded: a string or a list item key.
    Text(String),
}

/// A value that claims an encoding (`[I:`, `[F:`, `[DT:`) but does not hold one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed encoded value {value:?}: {reason}")]
pub struct Malformed {
    pub value: String,
    pub reason: &'static str,
}

/// Decode a field value. Strings that do not start with an encoding prefix are text.
pub fn decode(raw: &str) -> Result<Value, Malformed> {
    let bad = |reason| Malformed { value: raw.to_string(), reason };
    let Some((tag, inner)) = split(raw) else {
        return Ok(Value::Text(raw.to_string()));
    };
    let inner = inner.ok_or_else(|| bad("no closing ']'"))?;
    match tag {
        "I" => inner.parse::<i64>().map(Value::Int).map_err(|_| bad("not an integer")),
        "F" => {
            let ok = !inner.is_empty()
                && inner.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | 'E' | 'e' | '+'));
            match inner.parse::<f64>() {
                Ok(f) if ok && f.is_finite() => Ok(Value::Float(f)),
                _ => Err(bad("not a number with a '.' decimal point")),
            }
        }
        _ => NaiveDateTime::parse_from_str(inner, DT_FORMAT)
            .map(Value::DateTime)
            .map_err(|_| bad("not MM/dd/yyyy HH:mm:ss.fffffff")),
    }
}

/// `Some((tag, inner))` when `raw` starts with an encoding prefix; `inner` is `None` without the
/// closing bracket.
fn split(raw: &str) -> Option<(&'static str, Option<&str>)> {
    let (tag, rest) = if let Some(rest) = raw.strip_prefix("[I:") {
        ("I", rest)
    } else if let Some(rest) = raw.strip_prefix("[F:") {
        ("F", rest)
    } else if let Some(rest) = raw.strip_prefix("[DT:") {
        ("DT", rest)
    } else {
        return None;
    };
    Some((tag, rest.strip_suffix(']')))
}

pub fn encode_int(v: i64) -> String {
    format!("[I:{v}]")
}

pub fn encode_bool(v: bool) -> String {
    encode_int(i64::from(v))
}

pub fn encode_float(v: f64) -> String {
    format!("[F:{v}]")
}

pub fn encode_datetime(v: NaiveDateTime) -> String {
    use chrono::Timelike as _;
    // .NET ticks: 7 fraction digits (chrono has no `%.7f`).
    format!("[DT:{}.{:07}]", v.format("%m/%d/%Y %H:%M:%S"), v.nanosecond() % 1_000_000_000 / 100)
}

/// Whether `raw` is a well-formed value of a field of `field_type` (SuperOffice's
/// `FieldMetadataTypeInfo` names). Empty is always allowed (no value). Returns why not.
pub fn check_for_type(field_type: &str, raw: &str) -> Result<(), String> {
    if raw.is_empty() {
        return Ok(());
    }
    let value = decode(raw).map_err(|e| e.to_string())?;
    let fits = match field_type {
        "Integer" => matches!(value, Value::Int(_)),
        "Checkbox" => matches!(value, Value::Int(0 | 1)),
        "Double" => matches!(value, Value::Float(_) | Value::Int(_)),
        "Datetime" => matches!(value, Value::DateTime(_)),
        // Text, Password, List keys and labels are plain strings; an encoded value there is
        // most likely a mistake of the connector.
        _ => matches!(value, Value::Text(_)),
    };
    if fits { Ok(()) } else { Err(format!("{raw:?} is not a {field_type} value")) }
}
