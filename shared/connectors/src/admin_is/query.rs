//! The URLs Koppel asks for: a plain list with `per_page`, an `in (…)` filter cut into chunks
//! whose URLs stay under [`MAX_URL_LEN`], and the change feed from an instant.
//!
//! The filter goes into the query as `Filter=<expression>`; the `url` crate writes spaces as
//! `%20` and quotes as `%27` and leaves `(`, `)` and `,` as they are.

use chrono::{DateTime, Utc};
use reqwest::Url;

use super::assumptions::{FEED_TABLES, IN_SEPARATOR, MAX_URL_LEN, filter_datetime};

/// `{endpoint}?per_page=N`.
pub fn list(endpoint: &Url, per_page: u32) -> Url {
    with_query(endpoint, None, per_page)
}

/// `{endpoint}?Filter={field} in (a, b, …)&per_page=N`.
pub fn in_filter(endpoint: &Url, field: &str, ids: &[String], per_page: u32) -> Url {
    with_query(endpoint, Some(&format!("{field} in ({})", ids.join(IN_SEPARATOR))), per_page)
}

/// `customer/changes?Filter=TableName in ('CUSTOMER') and DateAction ge 'YYYY-MM-DD HH:MM:SS'&per_page=N`.
pub fn feed(endpoint: &Url, from: DateTime<Utc>, per_page: u32) -> Url {
    let tables = FEED_TABLES.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(IN_SEPARATOR);
    let filter = format!("TableName in ({tables}) and DateAction ge '{}'", filter_datetime(from));
    with_query(endpoint, Some(&filter), per_page)
}

fn with_query(endpoint: &Url, filter: Option<&str>, per_page: u32) -> Url {
    let mut url = endpoint.clone();
    let query = match filter {
        Some(f) => format!("Filter={f}&per_page={per_page}"),
        None => format!("per_page={per_page}"),
    };
    url.set_query(Some(&query));
    url
}

/// `ids` in order, cut into lists of at most `per_page` ids whose [`in_filter`] URL is at most
/// [`MAX_URL_LEN`] long. An id too long for any URL still gets a list of its own (the server's
/// 414 will say so).
pub fn chunks(endpoint: &Url, field: &str, ids: &[String], per_page: u32) -> Vec<Vec<String>> {
    let empty = in_filter(endpoint, field, &[], per_page).as_str().len();
    let separator = encoded_len(IN_SEPARATOR);
    let (mut out, mut current, mut len) = (Vec::new(), Vec::<String>::new(), empty);
    for id in ids {
        let cost = encoded_len(id) + if current.is_empty() { 0 } else { separator };
        if !current.is_empty() && (len + cost > MAX_URL_LEN || current.len() >= per_page.max(1) as usize) {
            out.push(std::mem::take(&mut current));
            len = empty;
        }
        len += encoded_len(id) + if current.is_empty() { 0 } else { separator };
        current.push(id.clone());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Length in a query: a space becomes `%20`, other characters used in ids and separators stay.
fn encoded_len(text: &str) -> usize {
    text.chars().map(|c| if c == ' ' { 3 } else { c.len_utf8() }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn customers() -> Url {
        Url::parse("http://office.be:2100/api/v1/customers").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn urls_as_the_api_expects_them() {
        assert_eq!(list(&customers(), 500).as_str(), "http://office.be:2100/api/v1/customers?per_page=500");
        let ids = vec!["1".to_string(), "22".to_string()];
        assert_eq!(
            in_filter(&customers(), "CustomerId", &ids, 500).as_str(),
            "http://office.be:2100/api/v1/customers?Filter=CustomerId%20in%20(1,%2022)&per_page=500"
        );
        let changes = Url::parse("https://office.be/api/v1/customer/changes").unwrap_or_else(|e| panic!("{e}"));
        let from = Utc.with_ymd_and_hms(2024, 5, 1, 8, 55, 0).single().unwrap_or_default();
        assert_eq!(
            feed(&changes, from, 100).as_str(),
            "https://office.be/api/v1/customer/changes?Filter=TableName%20in%20(%27CUSTOMER%27)%20and%20DateAction%20ge%20%272024-05-01%2008:55:00%27&per_page=100"
        );
    }

    #[test]
    fn chunks_keep_every_url_short_and_every_id_once() {
        let ids: Vec<String> = (100_000..101_000).map(|n: u32| n.to_string()).collect();
        let parts = chunks(&customers(), "CustomerId", &ids, 500);
        assert!(parts.len() > 2, "1,000 six-digit ids do not fit in one URL: {}", parts.len());
        for part in &parts {
            let len = in_filter(&customers(), "CustomerId", part, 500).as_str().len();
            assert!(len <= MAX_URL_LEN, "{len}");
        }
        let whole: Vec<String> = parts.concat();
        assert_eq!(whole, ids, "in order, none lost, none twice");
        let by_page = chunks(&customers(), "CustomerId", &ids[..10], 4);
        assert_eq!(by_page.iter().map(Vec::len).collect::<Vec<_>>(), vec![4, 4, 2], "at most per_page ids each");
        assert!(chunks(&customers(), "CustomerId", &[], 500).is_empty());
        let huge = vec!["9".repeat(3_000)];
        assert_eq!(chunks(&customers(), "CustomerId", &huge, 500).len(), 1);
    }
}
