//! Page arithmetic: the page token Koppel keeps in the cursor, the list envelope, and whether
//! another page follows. Pure functions.
//!
//! `page` is 0-based; the scan stops when `page + 1 >= pageCount` or on a short page, whichever
//! comes first [S AP-4], so a set that is an exact multiple of the page size costs no empty call.

use koppel_core::ports::source::PageNext;
use serde_json::Value;

use super::assumptions::{PAGE_COUNT_FIELD, RESULTS_FIELD};

/// The page a request continues from: the token is the page number; none = the first page. A
/// token that is not a page number (a cursor written by something else) starts the scan over:
/// a full scan is idempotent, a run that can never start again is not.
pub fn page_of(token: Option<&str>) -> u64 {
    match token.map(str::trim) {
        None => 0,
        Some(t) => t.parse().unwrap_or_else(|_| {
            tracing::warn!("the saved AdminPulse page token is not a page number; the scan starts over");
            0
        }),
    }
}

/// A list answer: its rows and, when it says, the number of pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub rows: Vec<Value>,
    pub page_count: Option<u64>,
}

/// `{results: […], pageCount, …}`, or a bare array. Anything else is an error message.
pub fn read_listing(body: &str) -> Result<Listing, String> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(rows)) => Ok(Listing { rows, page_count: None }),
        Ok(Value::Object(mut map)) => {
            let rows = match map.remove(RESULTS_FIELD) {
                Some(Value::Array(rows)) => rows,
                Some(Value::Null) | None => {
                    return Err(format!("the list answer has no '{RESULTS_FIELD}' array"));
                }
                Some(_) => return Err(format!("'{RESULTS_FIELD}' is not an array")),
            };
            let page_count = map.get(PAGE_COUNT_FIELD).and_then(count);
            Ok(Listing { rows, page_count })
        }
        Ok(_) => Err("the list answer is neither an object nor an array".into()),
        Err(e) => Err(format!("the list answer is not JSON ({e})")),
    }
}

/// A count as a non-negative whole number (also when sent as `3.0` or `"3"`).
fn count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => {
            n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64))
        }
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// What follows page `page` that returned `rows` rows of `page_size` asked.
pub fn next(page: u64, rows: usize, page_size: u32, page_count: Option<u64>) -> PageNext {
    let short = rows < page_size as usize;
    let last = page_count.is_some_and(|n| page.saturating_add(1) >= n);
    if short || last { PageNext::End } else { PageNext::Token(page.saturating_add(1).to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_page_numbers() {
        assert_eq!(page_of(None), 0);
        assert_eq!(page_of(Some("7")), 7);
        assert_eq!(page_of(Some(" 12 ")), 12);
        assert_eq!(page_of(Some("p2")), 0, "a foreign token starts over");
        assert_eq!(page_of(Some("-1")), 0);
    }

    #[test]
    fn next_page_decision_table() {
        let tok = |n: &str| PageNext::Token(n.into());
        let cases = [
            // (page, rows, page_size, page_count, expected)
            (0, 400, 400, Some(3), tok("1")),
            (1, 400, 400, Some(3), tok("2")),
            (2, 200, 400, Some(3), PageNext::End),
            (1, 400, 400, Some(2), PageNext::End), // exact multiple: no empty call
            (0, 0, 400, Some(0), PageNext::End),   // nothing at all
            (0, 400, 400, None, tok("1")),         // no pageCount: a short page ends
            (5, 399, 400, None, PageNext::End),
            (0, 400, 400, Some(1), PageNext::End),
            (3, 400, 400, Some(2), PageNext::End), // past the end (the set shrank)
            (0, 2, 2, Some(5), tok("1")),
        ];
        for (page, rows, size, count, expected) in cases {
            assert_eq!(next(page, rows, size, count), expected, "page {page}, {rows}/{size} rows, {count:?} pages");
        }
    }

    #[test]
    fn listings_in_both_shapes() {
        let l = read_listing(r#"{"results":[{"id":1},{"id":2}],"pageCount":4,"totalCount":7}"#);
        assert_eq!(l.map(|l| (l.rows.len(), l.page_count)), Ok((2, Some(4))));
        let l = read_listing(r#"[{"id":1}]"#);
        assert_eq!(l.map(|l| (l.rows.len(), l.page_count)), Ok((1, None)));
        for (body, count) in [(r#""3""#, Some(3)), ("3.0", Some(3)), ("-1", None), ("null", None), ("2.5", None)] {
            let body = format!(r#"{{"results":[],"pageCount":{body}}}"#);
            assert_eq!(read_listing(&body).map(|l| l.page_count), Ok(count), "{body}");
        }
    }

    #[test]
    fn unreadable_listings_say_why() {
        for body in ["", "<html>", r#"{"items":[]}"#, r#"{"results":{}}"#, "42", r#"{"results":null}"#] {
            assert!(read_listing(body).is_err(), "{body}");
        }
    }
}
