//! Remarks live in a period of the company [C2]; Koppel posts a meeting's notes and to-dos in the
//! period containing the meeting date (K). The company's periods are read once per session.

use chrono::NaiveDate;
use serde_json::Value;
use std::ops::ControlFlow;

use super::assumptions::{COMPANIES_PATH, MAX_SCAN_PAGES, PERIODS_SEGMENT, SCOPE_PERIODS};
use super::errors::{self, Call};
use super::session::SilverfinSession;
use super::wire::{self, Period};
use koppel_core::ports::source::ConnectorError;

/// The period for a meeting on `day` (K):
/// 1. the periods whose span holds `day` — the one starting last (the most specific) wins; a
///    period without `start_date` starts the day after the previous period's end, one without
///    `end_date` runs on;
/// 2. else the last period that ended before `day` (a meeting after the last period, or in a gap);
/// 3. else the first period (a meeting before every period).
pub fn choose(periods: &[Period], day: NaiveDate) -> Option<&Period> {
    let mut spans: Vec<(NaiveDate, NaiveDate, &Period)> = Vec::with_capacity(periods.len());
    let mut by_end: Vec<&Period> = periods.iter().collect();
    by_end.sort_by_key(|p| (p.end_date.unwrap_or(NaiveDate::MAX), p.start_date.unwrap_or(NaiveDate::MIN)));
    let mut previous_end: Option<NaiveDate> = None;
    for p in by_end {
        let start = p.start_date.or_else(|| previous_end.and_then(|e| e.succ_opt())).unwrap_or(NaiveDate::MIN);
        let end = p.end_date.unwrap_or(NaiveDate::MAX);
        spans.push((start, end, p));
        if p.end_date.is_some() {
            previous_end = p.end_date;
        }
    }
    let containing =
        spans.iter().filter(|(s, e, _)| *s <= day && day <= *e).max_by_key(|(s, e, _)| (*s, std::cmp::Reverse(*e)));
    if let Some((_, _, p)) = containing {
        return Some(p);
    }
    let before = spans.iter().filter(|(_, e, _)| *e < day).max_by_key(|(_, e, _)| *e);
    if let Some((_, _, p)) = before {
        return Some(p);
    }
    spans.iter().min_by_key(|(s, _, _)| *s).map(|(_, _, p)| *p)
}

/// The period of `company` for a meeting on `day`, reading the company's periods on first use.
pub async fn period_for(session: &SilverfinSession, company: &str, day: NaiveDate) -> Result<Period, ConnectorError> {
    let cached = lock(session).get(company).cloned();
    let periods = match cached {
        Some(p) => p,
        None => {
            let fetched = fetch(session, company).await?;
            lock(session).insert(company.to_string(), fetched.clone());
            fetched
        }
    };
    choose(&periods, day).cloned().ok_or_else(|| {
        errors::refused(format!(
            "the Silverfin company {company} has no periods, and notes and to-dos go into a period: add the period of \
             the meeting date in Silverfin, then send again"
        ))
    })
}

fn lock(session: &SilverfinSession) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Vec<Period>>> {
    session.periods.lock().unwrap_or_else(|e| e.into_inner())
}

async fn fetch(session: &SilverfinSession, company: &str) -> Result<Vec<Period>, ConnectorError> {
    let path = format!("{COMPANIES_PATH}/{company}/{PERIODS_SEGMENT}");
    let call = Call::Company { company, scope: SCOPE_PERIODS };
    let mut periods = Vec::new();
    session
        .scan(&path, call, "GET /companies/{id}/periods", MAX_SCAN_PAGES, read, |p| {
            periods.push(p);
            ControlFlow::Continue(())
        })
        .await?;
    Ok(periods)
}

fn read(body: &str) -> Result<Vec<(String, Period)>, String> {
    let rows: Vec<Value> = wire::rows(body, "the list of periods")?;
    Ok(rows.iter().filter_map(wire::period).map(|p| (p.id.clone(), p)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn p(id: &str, start: Option<NaiveDate>, end: Option<NaiveDate>) -> Period {
        Period { id: id.into(), start_date: start, end_date: end }
    }

    fn years() -> Vec<Period> {
        vec![
            p("2025", Some(d(2025, 1, 1)), Some(d(2025, 12, 31))),
            p("2024", Some(d(2024, 1, 1)), Some(d(2024, 12, 31))),
            p("2026", Some(d(2026, 1, 1)), Some(d(2026, 12, 31))),
        ]
    }

    fn chosen(periods: &[Period], day: NaiveDate) -> Option<&str> {
        choose(periods, day).map(|p| p.id.as_str())
    }

    #[test]
    fn the_period_holding_the_day_wins() {
        let ps = years();
        assert_eq!(chosen(&ps, d(2025, 6, 30)), Some("2025"));
        assert_eq!(chosen(&ps, d(2026, 1, 1)), Some("2026"));
        assert_eq!(chosen(&ps, d(2024, 12, 31)), Some("2024"));
    }

    #[test]
    fn outside_every_period_the_nearest_earlier_one_or_the_first() {
        let ps = years();
        assert_eq!(chosen(&ps, d(2027, 3, 1)), Some("2026"), "after the last");
        assert_eq!(chosen(&ps, d(2020, 3, 1)), Some("2024"), "before the first");
        let gap =
            vec![p("a", Some(d(2024, 1, 1)), Some(d(2024, 6, 30))), p("b", Some(d(2025, 1, 1)), Some(d(2025, 6, 30)))];
        assert_eq!(chosen(&gap, d(2024, 9, 1)), Some("a"));
        assert_eq!(chosen(&[], d(2024, 9, 1)), None);
    }

    #[test]
    fn missing_starts_follow_the_previous_end_and_the_most_specific_wins() {
        let ends_only = vec![p("q1", None, Some(d(2026, 3, 31))), p("q2", None, Some(d(2026, 6, 30)))];
        assert_eq!(chosen(&ends_only, d(2026, 4, 2)), Some("q2"));
        assert_eq!(chosen(&ends_only, d(2026, 1, 2)), Some("q1"));
        let nested = vec![
            p("year", Some(d(2026, 1, 1)), Some(d(2026, 12, 31))),
            p("q4", Some(d(2026, 10, 1)), Some(d(2026, 12, 31))),
        ];
        assert_eq!(chosen(&nested, d(2026, 11, 21)), Some("q4"));
        let open = vec![p("old", Some(d(2020, 1, 1)), Some(d(2020, 12, 31))), p("open", Some(d(2021, 1, 1)), None)];
        assert_eq!(chosen(&open, d(2030, 1, 1)), Some("open"));
    }
}
