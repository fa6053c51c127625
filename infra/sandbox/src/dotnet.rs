//! Dates and times as SnelStart's .NET serializer prints them: `2021-03-04T10:11:12.123`
//! (kind Unspecified: no `Z`, fraction trimmed of trailing zeros, none when zero).
//! Decision: the sandbox prints *without* `Z` — the harder case for a client — and means UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

pub fn datetime(ms: i64) -> String {
    let Some(dt) = DateTime::<Utc>::from_timestamp_millis(ms) else { return String::new() };
    let base = dt.format("%Y-%m-%dT%H:%M:%S").to_string();
    let millis = dt.timestamp_subsec_millis();
    if millis == 0 {
        return base;
    }
    let fraction = format!("{millis:03}");
    format!("{base}.{}", fraction.trim_end_matches('0'))
}

/// A date as a .NET `DateTime` at midnight: `2021-03-04T00:00:00`.
pub fn date(ms: i64) -> String {
    datetime(ms - ms.rem_euclid(86_400_000))
}

/// Reads a `$filter` literal or an admin value: ISO-8601 with `Z`, an offset, no zone (UTC)
/// or a bare date; milliseconds since the epoch.
pub fn parse_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.timestamp_millis());
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(naive.and_utc().timestamp_millis());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0).map(|n| n.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_dotnet() {
        let base = parse_ms("2021-03-04T10:11:12Z").unwrap_or_default();
        assert_eq!(datetime(base), "2021-03-04T10:11:12");
        assert_eq!(datetime(base + 120), "2021-03-04T10:11:12.12");
        assert_eq!(datetime(base + 123), "2021-03-04T10:11:12.123");
        assert_eq!(date(base + 123), "2021-03-04T00:00:00");
    }

    #[test]
    fn parses_literals() {
        let z = parse_ms("2020-01-01T00:00:00Z");
        assert!(z.is_some());
        assert_eq!(parse_ms("2020-01-01T00:00:00"), z);
        assert_eq!(parse_ms("2020-01-01"), z);
        assert_eq!(parse_ms("2020-01-01T01:00:00+01:00"), z);
        assert_eq!(parse_ms("2020-01-01T00:00:00.000Z"), z);
        assert_eq!(parse_ms("'2020-01-01T00:00:00Z'"), None);
        assert_eq!(parse_ms("datetime'2020-01-01T00:00:00'"), None);
    }
}
