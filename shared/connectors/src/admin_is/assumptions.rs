//! Every Admin IS / Consult behaviour Koppel depends on that no official source confirms — the
//! (U) items of the provider research (`accounting-crm-newsletter.md` §4), and the (S) details
//! (seen only in the third-party Python SDK `cornettew/adminconsult-sdk`) that are easy to get
//! wrong. Nothing else in the connector hard-codes these; when one turns out differently against
//! a live office, this file is the one to change. The stand-in (`infra/sandbox/src/admin_is/`)
//! implements the same choices; `docs/connectors/admin-is.md` lists them for humans.

use chrono::{DateTime, NaiveDateTime, Utc};
use std::time::Duration;

/// Renew the token this long before its `TimeToLive` (S: the SDK renews 30 s early).
pub const TOKEN_RENEW_MARGIN: Duration = Duration::from_secs(30);

/// A token whose `TimeToLive` cannot be read, or lies in the past by Koppel's clock, is used for
/// this long (then renewed). (U) `TimeToLive`'s format and zone are unconfirmed (see
/// [`read_datetime`]); a 401 with such a token fetches one new token anyway (see
/// [`RETOKEN_ON_401`]), so a misread lifetime costs at most one call per expiry.
pub const FALLBACK_TOKEN_LIFETIME: Duration = Duration::from_secs(60);

/// A 401 on an API call drops the token and fetches one new token this many times; a 401 with a
/// fresh token is blamed on the API key. (S: the SDK renews by time only; Koppel adds this.)
pub const RETOKEN_ON_401: u32 = 1;

/// `RateLimit` from `/apisettings` counts calls per rolling window of this length. [S: "calls
/// per ~60 s"; the SDK counts its calls of the last 63 s.] One second over the minute keeps
/// Koppel clear of the boundary.
pub const RATE_WINDOW: Duration = Duration::from_secs(61);

/// How long to wait after a throttling 403 (`"you are throttling the system"`) that carries no
/// `Retry-After`. (U) Whether the office sends `Retry-After` is unknown; four such waits (the
/// retry policy's five attempts) outlast the ~60 s window.
pub const THROTTLED_WAIT: Duration = Duration::from_secs(20);

/// The 403 texts (lower case, matched as substrings of `ErrorMessage`). [S: the SDK tells
/// throttling from permission this way.] Any other 403 is `Forbidden` with the provider's text.
pub const THROTTLED_TEXT: &str = "you are throttling the system";
pub const NO_PERMISSION_TEXT: &str = "no valid configuration for token";

/// Paging links: RFC 8288 `link` entries `<url>; rel="next"` separated by commas (a trailing comma
/// allowed, as the SDK's pattern expects one), `rel` quoted or not and possibly holding several
/// types, the URL absolute or relative to the request. [S for `rel="next"`; the rest U.] The links
/// carry the host of the office's address: one to any other scheme, host or port is refused, never
/// called [U: behind a proxy that rewrites hosts this refuses every second page; the SDK instead
/// re-bases the link's query on its own address].
pub const NEXT_REL: &str = "next";

/// A 404 whose `ErrorMessage` holds one of these (lower case) is an empty result, not a
/// failure. (S)
pub const NOTHING_FOUND_TEXTS: [&str; 1] = ["nothing found"];

/// Page size when `/apisettings` names neither `MaxRecordsPerPage` nor `DefaultRecordsPerPage`.
/// (U) The defaults of an install are unknown.
pub const FALLBACK_PER_PAGE: u32 = 100;

/// The longest request URL Koppel sends, in bytes. (U) Long `in (…)` filters are known to end in
/// 414 (S); the server's limit is unknown. 2,000 stays under IIS's default query-string limit
/// (2,048). A 414 anyway splits the id list in two and tries again.
pub const MAX_URL_LEN: usize = 2_000;

/// How ids are listed in a filter: `CustomerId in (1, 2, 3)` (S: the SDK joins with `", "`).
/// Ids are numbers (S), written unquoted.
pub const IN_SEPARATOR: &str = ", ";

/// The tables the change feed is asked for. (S: `TableName in ('CUSTOMER')`.) Address-only
/// changes live in another table whose name is unknown (U); they are picked up when the
/// customer row itself changes next.
pub const FEED_TABLES: [&str; 1] = ["CUSTOMER"];

/// The change feed answers at most this many rows per query, next links included. [S: the SDK
/// treats 1,000 as the endpoint's technical maximum.] When a query's answers reach it, Koppel
/// asks again from the newest `DateAction` it saw (`ge`, so nothing in that second is lost).
pub const FEED_MAX_ROWS: u64 = 1_000;

/// The change rows' fields: `ActionType` (`INSERT`/`UPDATE`/`DELETE`), `TableName`, `Id` (the
/// customer's id for the `CUSTOMER` table) and `DateAction`. [S for the names; the shape beyond
/// them is U.] Rows of other tables and rows without a positive numeric `Id` are skipped.
pub const ACTION_DELETE: &str = "DELETE";

/// How a datetime is written in a filter: `'YYYY-MM-DD HH:MM:SS'` (S). Seconds only: the
/// watermark is cut to the second, so `ge` re-reads the rest of that second rather than missing it.
pub const FILTER_DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Reads a datetime as the API prints it (`DateAction`, `TimeToLive`): RFC 3339 with an offset
/// is read exactly; without a zone (`2024-05-01T12:00:00`, optional fractions, or with a space
/// instead of `T`) it is read **as if UTC**. (U) A Belgian office most likely prints its local
/// time. Reading it as UTC keeps the change feed self-consistent (the filter is written back in
/// the same frame it was read in) and errs on the safe side everywhere else: the watermark of a
/// full import (Koppel's own UTC clock) lies one or two hours *behind* the office's local
/// clock, so the first incremental run re-reads up to two hours of changes (hash compares, no
/// writes) instead of missing any; and a local `TimeToLive` read as UTC looks later than it
/// is, which the one renewal on 401 absorbs. The hour repeated when summer time ends can hide a
/// change made in it from the next run (once a year, at night).
pub fn read_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    const NAIVE: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"];
    NAIVE.iter().find_map(|f| NaiveDateTime::parse_from_str(text, f).ok()).map(|n| n.and_utc())
}

/// The filter literal for an instant, in the frame [`read_datetime`] reads (see there).
pub fn filter_datetime(at: DateTime<Utc>) -> String {
    at.naive_utc().format(FILTER_DATETIME_FORMAT).to_string()
}

/// Customer rows carry no address on GET [S: the SDK maps `City`, `Street1`, … for POST/PUT
/// only, and reads the address from `customeraddresses`]. Koppel reads the addresses of each
/// page's customers from `customeraddresses?Filter=CustomerId in (…)` and takes, in this order,
/// the first address flagged `RegisteredOffice`, `InvoiceAddress`, `PostalAddress`, else the
/// first one. Field names on GET (S): `CustomerId`, `Street1` (street with number and box),
/// `StreetName`, `HouseNr`, `HouseBox`, `ZipCode`, `City`, and those three flags (booleans,
/// or 0/1 (U)).
pub const ADDRESS_PREFERENCE: [&str; 3] = ["RegisteredOffice", "InvoiceAddress", "PostalAddress"];

/// `Newsletter` is read-only through the API (S). Its type is unconfirmed (U): a boolean, 0/1,
/// or `"true"`/`"false"` are read; anything else is "unknown". Koppel reads it and never writes
/// it (the connector makes no write call at all).
pub const NEWSLETTER_FIELD: &str = "Newsletter";

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn datetimes_in_every_form_seen() {
        let noon = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).single();
        for text in ["2024-05-01T12:00:00", "2024-05-01 12:00:00", "2024-05-01T12:00:00Z", "2024-05-01T14:00:00+02:00"]
        {
            assert_eq!(read_datetime(text), noon, "{text}");
        }
        let fraction = read_datetime("2024-05-01T12:00:00.250").map(|d| d.timestamp_subsec_millis());
        assert_eq!(fraction, Some(250));
        for bad in ["", "01/05/2024 12:00", "2024-05-01", "soon"] {
            assert_eq!(read_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn filter_literals_are_cut_to_the_second() {
        let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 3, 4).single().unwrap_or_default()
            + chrono::Duration::milliseconds(900);
        assert_eq!(filter_datetime(at), "2024-05-01 12:03:04");
        assert_eq!(read_datetime(&filter_datetime(at)).map(|d| d <= at), Some(true));
    }
}
