//! Reading SnelStart scalar values: datetimes as .NET prints them, dates, amounts in cents.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::assumptions;

/// `2021-03-04T10:11:12.1234567`, with `Z`, with an offset, or a bare date.
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Some(naive) = parse_naive(text) {
        return Some(assumptions::naive_to_utc(naive));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|n| n.and_utc())
}

/// The calendar date as written (an offset does not move it to another day).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.date_naive());
    }
    if let Some(naive) = parse_naive(text) {
        return Some(naive.date());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn parse_naive(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"].iter().find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

/// A decimal amount as text (`"1234.5"`, `"-0.005"`, `"1e3"`) to cents, rounding half away
/// from zero. Works on the text so that `1.005` is 101 cents, not 100 as `f64` would give.
pub fn decimal_to_cents(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let digits: String = [int_part, frac_part].concat();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    if digits.len() > 30 {
        return None;
    }
    if digits.is_empty() {
        return Some(0);
    }
    let value: i128 = digits.parse().ok()?;
    // cents = value × 10^(exponent − fraction digits + 2)
    let shift = i64::from(exponent) - frac_part.len() as i64 + 2;
    let cents: i128 = if shift >= 0 {
        if shift > 20 {
            return None;
        }
        value.checked_mul(10i128.checked_pow(u32::try_from(shift).ok()?)?)?
    } else if -shift > 31 {
        0
    } else {
        let divisor = 10i128.pow(u32::try_from(-shift).ok()?);
        let (quotient, remainder) = (value / divisor, value % divisor);
        if remainder * 2 >= divisor { quotient + 1 } else { quotient }
    };
    let cents = i64::try_from(cents).ok()?;
    Some(if negative { -cents } else { cents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_with_and_without_zone() {
        let expect = |s: &str| parse_datetime(s).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        assert_eq!(expect("2021-03-04T10:11:12.123"), Some("2021-03-04T10:11:12.123Z".into()));
        assert_eq!(expect("2021-03-04T10:11:12.123Z"), Some("2021-03-04T10:11:12.123Z".into()));
        assert_eq!(expect("2021-03-04T10:11:12.1234567"), Some("2021-03-04T10:11:12.123Z".into()));
        assert_eq!(expect("2021-03-04T10:11:12"), Some("2021-03-04T10:11:12.000Z".into()));
        assert_eq!(expect("2021-03-04T11:11:12+01:00"), Some("2021-03-04T10:11:12.000Z".into()));
        assert_eq!(expect("2021-03-04"), Some("2021-03-04T00:00:00.000Z".into()));
        assert_eq!(expect("04-03-2021"), None);
        assert_eq!(expect(""), None);
    }

    #[test]
    fn dates_keep_the_written_day() {
        let d = NaiveDate::from_ymd_opt(2021, 3, 4);
        assert_eq!(parse_date("2021-03-04T00:00:00"), d);
        assert_eq!(parse_date("2021-03-04T00:30:00+02:00"), d);
        assert_eq!(parse_date("2021-03-04"), d);
        assert_eq!(parse_date("2021-13-04"), None);
    }

    #[test]
    fn cents_round_half_away_from_zero() {
        let cases = [
            ("0", Some(0)),
            ("12", Some(1200)),
            ("12.3", Some(1230)),
            ("12.34", Some(1234)),
            ("1.005", Some(101)),
            ("1.004", Some(100)),
            ("-1.005", Some(-101)),
            ("-0.004", Some(0)),
            ("0.125", Some(13)),
            ("+7.5", Some(750)),
            (".5", Some(50)),
            ("5.", Some(500)),
            ("1e3", Some(100_000)),
            ("1.5E-2", Some(2)),
            ("1e-40", Some(0)),
            ("0e300", Some(0)),
            ("92233720368547758.07", Some(i64::MAX)),
            ("92233720368547758.08", None),
            ("1e300", None),
            ("", None),
            ("-", None),
            (".", None),
            ("12,50", None),
            ("abc", None),
            ("1e", None),
        ];
        for (text, expected) in cases {
            assert_eq!(decimal_to_cents(text), expected, "{text}");
        }
    }
}
