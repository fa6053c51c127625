//! The `Retry-After` header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).

use chrono::{DateTime, NaiveDateTime, Utc};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    Seconds(u64),
    At(DateTime<Utc>),
}

impl RetryAfter {
    /// Reads the header value; `None` when it is neither form.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if value.bytes().all(|b| b.is_ascii_digit()) {
            // Longer than u64 would be absurd; treat it as "very long" rather than absent.
            return Some(RetryAfter::Seconds(value.parse().unwrap_or(u64::MAX)));
        }
        parse_http_date(value).map(RetryAfter::At)
    }

    /// How long to wait from `now`; a date in the past means "now".
    pub fn wait_from(&self, now: DateTime<Utc>) -> Duration {
        match self {
            RetryAfter::Seconds(s) => Duration::from_secs(*s),
            RetryAfter::At(at) => (*at - now).to_std().unwrap_or(Duration::ZERO),
        }
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), and the obsolete RFC 850 and asctime forms.
fn parse_http_date(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_rfc2822(value) {
        return Some(dt.with_timezone(&Utc));
    }
    const NAIVE_FORMATS: [&str; 2] = ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"];
    NAIVE_FORMATS.iter().find_map(|f| NaiveDateTime::parse_from_str(value, f).ok()).map(|naive| naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(1994, 11, 6, 8, 49, 30).single().unwrap_or_default()
    }

    #[test]
    fn seconds() {
        assert_eq!(RetryAfter::parse("120"), Some(RetryAfter::Seconds(120)));
        assert_eq!(RetryAfter::parse(" 0 "), Some(RetryAfter::Seconds(0)));
        assert_eq!(RetryAfter::parse("99999999999999999999999"), Some(RetryAfter::Seconds(u64::MAX)));
        assert_eq!(RetryAfter::parse("120").map(|r| r.wait_from(now())), Some(Duration::from_secs(120)));
    }

    #[test]
    fn http_dates_in_all_three_forms() {
        for text in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            let parsed = RetryAfter::parse(text);
            assert!(matches!(parsed, Some(RetryAfter::At(_))), "{text}");
            assert_eq!(parsed.map(|r| r.wait_from(now())), Some(Duration::from_secs(7)), "{text}");
        }
    }

    #[test]
    fn a_past_date_means_now() {
        let parsed = RetryAfter::parse("Sun, 06 Nov 1994 08:00:00 GMT");
        assert_eq!(parsed.map(|r| r.wait_from(now())), Some(Duration::ZERO));
    }

    #[test]
    fn garbage_is_ignored() {
        for text in ["", "soon", "-5", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT"] {
            assert_eq!(RetryAfter::parse(text), None, "{text}");
        }
    }
}
