//! What a user types when setting up a connection, and the checks made before anything is stored.

use chrono::NaiveDate;
use secrecy::{ExposeSecret, SecretString};

use super::matching_key::MatchingKey;
use crate::ports::scheduler::{MAX_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES};

/// One problem with the input, tied to the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Check an API key as typed: present, no whitespace (keys are case-sensitive and never
/// contain spaces, so a space means a copy-paste slip), a sane length.
pub fn check_key(field: &str, label: &str, value: &SecretString) -> Result<(), FieldProblem> {
    let v = value.expose_secret();
    if v.is_empty() {
        return Err(FieldProblem::new(field, format!("the {label} is empty; paste it again from the provider")));
    }
    if let Some(pos) = v.chars().position(char::is_whitespace) {
        let what = if pos == 0 || pos + 1 == v.chars().count() {
            "starts or ends with a space".to_string()
        } else {
            format!("contains a space at position {}", pos + 1)
        };
        return Err(FieldProblem::new(
            field,
            format!("the {label} {what}; keys are case-sensitive and may not contain spaces: copy it again"),
        ));
    }
    if v.len() > 2048 {
        return Err(FieldProblem::new(
            field,
            format!("the {label} is longer than 2048 characters; is it the right key?"),
        ));
    }
    Ok(())
}

/// Parse a start date as users type it (`28-05-2019`, `28/05/2019`, `28.05.2019`) or ISO
/// (`2019-05-28`), and refuse dates after `today`.
pub fn parse_start_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldProblem> {
    let s = raw.trim();
    let formats = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"];
    let date = formats.iter().find_map(|f| NaiveDate::parse_from_str(s, f).ok()).ok_or_else(|| {
        FieldProblem::new(
            "start_date",
            format!("{s:?} is not a date; write it as day-month-year (28-05-2019) or as 2019-05-28"),
        )
    })?;
    if date > today {
        return Err(FieldProblem::new(
            "start_date",
            format!("{date} is in the future; the start date is the first day of history to load"),
        ));
    }
    if date.format("%Y").to_string().parse::<i32>().unwrap_or(0) < 1990 {
        return Err(FieldProblem::new("start_date", format!("{date} is before 1990; pick the first year you need")));
    }
    Ok(date)
}

pub fn parse_matching_key(raw: &str) -> Result<MatchingKey, FieldProblem> {
    MatchingKey::parse(raw.trim()).ok_or_else(|| {
        FieldProblem::new(
            "matching_key",
            format!("{raw:?} is not a matching key; use customer_number, vat_number, email or name"),
        )
    })
}

pub fn check_interval(minutes: u32) -> Result<u32, FieldProblem> {
    if (MIN_INTERVAL_MINUTES..=MAX_INTERVAL_MINUTES).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(FieldProblem::new(
            "interval_minutes",
            format!(
                "the interval must be between {MIN_INTERVAL_MINUTES} minutes and 7 days ({MAX_INTERVAL_MINUTES} minutes)"
            ),
        ))
    }
}

pub fn check_name(raw: &str) -> Result<String, FieldProblem> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(FieldProblem::new("name", "give the connection a name of 1 to 100 characters"));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn accepts_dutch_and_iso_dates() {
        let want = NaiveDate::from_ymd_opt(2019, 5, 28).unwrap();
        for s in ["28-05-2019", "28/05/2019", "28.05.2019", "2019-05-28", " 28-5-2019 "] {
            assert_eq!(parse_start_date(s, today()), Ok(want), "{s}");
        }
    }

    #[test]
    fn refuses_future_and_garbage_dates() {
        assert!(parse_start_date("22-11-2026", today()).unwrap_err().message.contains("future"));
        assert!(parse_start_date("31-02-2019", today()).unwrap_err().message.contains("not a date"));
        assert!(parse_start_date("yesterday", today()).is_err());
        assert_eq!(parse_start_date("21-11-2026", today()), Ok(today()));
    }

    #[test]
    fn keys_with_spaces_are_refused_without_echoing_the_key() {
        let err = check_key("connection_key", "connection key", &SecretString::from("abc def")).unwrap_err();
        assert!(err.message.contains("position 4"), "{}", err.message);
        assert!(!err.message.contains("abc"));
        assert!(check_key("k", "key", &SecretString::from(" abc")).unwrap_err().message.contains("starts or ends"));
        assert!(check_key("k", "key", &SecretString::from("")).is_err());
        assert!(check_key("k", "key", &SecretString::from("AbC-123_x")).is_ok());
    }

    #[test]
    fn interval_bounds() {
        assert!(check_interval(4).is_err());
        assert_eq!(check_interval(5), Ok(5));
        assert!(check_interval(10081).is_err());
    }
}
