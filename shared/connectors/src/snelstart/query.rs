//! Which list endpoint and which OData options a page request becomes.

use chrono::{DateTime, NaiveDate, Utc};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::PageRequest;

use super::assumptions::{
    FIELD_INVOICE_DATE, FIELD_MODIFIED_ON, FILTER_DATETIME_FORMAT, ORDER_BY, PAYMENTS_FILTER_ON_MODIFIED,
};

/// One list call: `GET {api_base}{path}?$filter=…&$top=…&$skip=…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCall {
    pub path: &'static str,
    pub filter: Option<String>,
    pub top: u32,
    pub skip: u64,
}

/// The list call for a stream, without `$top`/`$skip` (set per call); `None` for a stream
/// SnelStart does not have (the newsletter streams).
pub fn list_call(request: &PageRequest) -> Option<ListCall> {
    let (path, filter) = match request.stream {
        StreamKind::Reconciliation | StreamKind::Contacts => return None,
        // No date filter on a first run: old customers receive new invoices.
        StreamKind::Customers => ("/relaties", request.modified_after.map(modified_after)),
        StreamKind::Invoices => ("/verkoopfacturen", Some(invoice_filter(request.start_date, request.modified_after))),
        StreamKind::Payments => {
            let modified = if PAYMENTS_FILTER_ON_MODIFIED { request.modified_after } else { None };
            ("/verkoopfacturen", Some(invoice_filter(request.start_date, modified)))
        }
    };
    Some(ListCall { path, filter, top: request.top, skip: request.skip })
}

fn modified_after(at: DateTime<Utc>) -> String {
    format!("{FIELD_MODIFIED_ON} gt {}", at.format(FILTER_DATETIME_FORMAT))
}

fn invoice_filter(start: NaiveDate, modified: Option<DateTime<Utc>>) -> String {
    let start = start.and_hms_opt(0, 0, 0).map(|n| n.and_utc()).unwrap_or_default();
    let mut filter = format!("{FIELD_INVOICE_DATE} ge {}", start.format(FILTER_DATETIME_FORMAT));
    if let Some(at) = modified {
        filter.push_str(" and ");
        filter.push_str(&modified_after(at));
    }
    filter
}

impl ListCall {
    /// Path and query, percent-encoded (spaces as `%20`, `$` kept as OData writes it).
    pub fn path_and_query(&self) -> String {
        let mut query = Vec::new();
        if let Some(filter) = &self.filter {
            query.push(format!("$filter={}", encode(filter)));
        }
        if let Some(order) = ORDER_BY {
            query.push(format!("$orderby={}", encode(order)));
        }
        query.push(format!("$top={}", self.top));
        query.push(format!("$skip={}", self.skip));
        format!("{}?{}", self.path, query.join("&"))
    }
}

/// RFC 3986 query-component encoding: unreserved characters and `:` stay, the rest is `%XX`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn request(stream: StreamKind, modified_after: Option<DateTime<Utc>>) -> PageRequest {
        PageRequest {
            stream,
            start_date: NaiveDate::from_ymd_opt(2019, 5, 28).unwrap_or_default(),
            modified_after,
            skip: 1000,
            top: 500,
            token: None,
        }
    }

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).single().unwrap_or_default() + chrono::Duration::milliseconds(678)
    }

    #[test]
    fn customers_first_run_has_no_filter() {
        let call = list_call(&request(StreamKind::Customers, None)).unwrap();
        assert_eq!(call.path_and_query(), "/relaties?$top=500&$skip=1000");
    }

    #[test]
    fn customers_incremental() {
        let call = list_call(&request(StreamKind::Customers, Some(at()))).unwrap();
        assert_eq!(call.filter.as_deref(), Some("ModifiedOn gt 2024-01-02T03:04:05.678Z"));
        assert_eq!(
            call.path_and_query(),
            "/relaties?$filter=ModifiedOn%20gt%202024-01-02T03:04:05.678Z&$top=500&$skip=1000"
        );
    }

    #[test]
    fn invoices_from_start_date_and_incremental() {
        let first = list_call(&request(StreamKind::Invoices, None)).unwrap();
        assert_eq!(first.path, "/verkoopfacturen");
        assert_eq!(first.filter.as_deref(), Some("factuurdatum ge 2019-05-28T00:00:00.000Z"));
        let next = list_call(&request(StreamKind::Invoices, Some(at()))).unwrap();
        assert_eq!(
            next.filter.as_deref(),
            Some("factuurdatum ge 2019-05-28T00:00:00.000Z and ModifiedOn gt 2024-01-02T03:04:05.678Z")
        );
    }

    #[test]
    fn payments_always_reread_from_start_date() {
        let call = list_call(&request(StreamKind::Payments, Some(at()))).unwrap();
        assert_eq!(call.path, "/verkoopfacturen");
        assert_eq!(call.filter.as_deref(), Some("factuurdatum ge 2019-05-28T00:00:00.000Z"));
    }

    #[test]
    fn encoding() {
        assert_eq!(encode("a b&c=d'e/é"), "a%20b%26c%3Dd%27e%2F%C3%A9");
    }
}
