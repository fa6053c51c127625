//! The RFC 8288 (ex 5988) `link` header: `<https://office:2100/api/v1/customers?page=2>;
//! rel="next", <…>; rel="last"`. Only `rel="next"` is used, and only when it stays on the
//! office's own scheme, host and port: the token travels with every request, so a link to
//! anywhere else is refused, never followed.

use reqwest::Url;

use super::assumptions::NEXT_REL;

/// Why a next link cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the next-page link is not a valid address")]
    Invalid,
    /// Names the foreign origin (never the query: it may hold a filter).
    #[error("the next-page link points to {0}, not to the office's own address; Koppel does not send the token there")]
    Foreign(String),
}

/// The `rel="next"` target of a `link` header value, resolved against `request` (the URL that
/// answered). `None` when there is none.
pub fn next_link(header: &str, request: &Url) -> Result<Option<Url>, LinkError> {
    for entry in split_entries(header) {
        let Some((target, params)) = parse_entry(entry) else { continue };
        if !params.iter().any(|(k, v)| k.eq_ignore_ascii_case("rel") && has_rel(v, NEXT_REL)) {
            continue;
        }
        return request.join(target).map(Some).map_err(|_| LinkError::Invalid);
    }
    Ok(None)
}

/// `next` when it is on `office`'s scheme, host and port (so an `https` office is never left
/// for `http`), else the refusal.
pub fn check_origin(next: Url, office: &Url) -> Result<Url, LinkError> {
    let same = next.scheme() == office.scheme()
        && next.host_str().map(str::to_ascii_lowercase) == office.host_str().map(str::to_ascii_lowercase)
        && next.port_or_known_default() == office.port_or_known_default();
    if same && next.username().is_empty() && next.password().is_none() {
        return Ok(next);
    }
    let port = next.port().map(|p| format!(":{p}")).unwrap_or_default();
    Err(LinkError::Foreign(format!("{}://{}{port}", next.scheme(), next.host_str().unwrap_or("?"))))
}

/// Entries are separated by commas outside `<…>` and outside quotes.
fn split_entries(header: &str) -> Vec<&str> {
    let (mut entries, mut start, mut in_uri, mut in_quote) = (Vec::new(), 0, false, false);
    for (i, c) in header.char_indices() {
        match c {
            '<' if !in_quote => in_uri = true,
            '>' if !in_quote => in_uri = false,
            '"' if !in_uri => in_quote = !in_quote,
            ',' if !in_uri && !in_quote => {
                entries.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    entries.push(&header[start..]);
    entries.into_iter().map(str::trim).filter(|e| !e.is_empty()).collect()
}

/// `<target>; key=value; key="value"` → target and parameters.
fn parse_entry(entry: &str) -> Option<(&str, Vec<(&str, String)>)> {
    let rest = entry.trim().strip_prefix('<')?;
    let (target, params) = rest.split_once('>')?;
    let params = params
        .split(';')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim().trim_matches('"').to_string()))
        .collect();
    Some((target.trim(), params))
}

/// `rel` may hold several space-separated relation types.
fn has_rel(value: &str, wanted: &str) -> bool {
    value.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn finds_next_in_the_usual_shapes() {
        let at = url("http://office.be:2100/api/v1/customers?per_page=500");
        let cases = [
            (r#"<http://office.be:2100/api/v1/customers?page=2&per_page=500>; rel="next""#, Some("page=2")),
            (
                r#"<http://office.be:2100/api/v1/customers?page=1>; rel="first", <http://office.be:2100/api/v1/customers?page=3>; rel="next", <http://office.be:2100/api/v1/customers?page=9>; rel="last","#,
                Some("page=3"),
            ),
            (r#"</api/v1/customers?page=4>;rel=next"#, Some("page=4")),
            (
                r#"<http://office.be:2100/api/v1/customers?Filter=CustomerId%20in%20(1,%202)&page=2>; rel="next""#,
                Some("page=2"),
            ),
            (r#"<x?page=5>; rel="prev next""#, Some("page=5")),
            (r#"<http://office.be:2100/api/v1/customers?page=9>; rel="last""#, None),
            ("", None),
            ("garbage", None),
        ];
        for (header, expected) in cases {
            let next = next_link(header, &at).ok().flatten();
            let query = next.as_ref().and_then(|u| u.query()).map(|q| q.split('&').find(|p| p.starts_with("page=")));
            assert_eq!(query.flatten(), expected, "{header}");
        }
        let filtered = next_link(cases[3].0, &at).ok().flatten().map(|u| u.to_string());
        assert_eq!(
            filtered.as_deref(),
            Some("http://office.be:2100/api/v1/customers?Filter=CustomerId%20in%20(1,%202)&page=2"),
            "the link is followed as given"
        );
    }

    #[test]
    fn only_the_offices_own_origin_is_followed() {
        let office = url("https://office.be:2100");
        assert!(check_origin(url("https://OFFICE.be:2100/api/v1/customers?page=2"), &office).is_ok());
        assert!(check_origin(url("https://office.be/x"), &url("https://office.be:443")).is_ok());
        for (link, origin) in [
            ("https://evil.example:2100/api/v1/customers?page=2", "https://evil.example:2100"),
            ("http://office.be:2100/api/v1/customers?page=2", "http://office.be:2100"),
            ("https://office.be:2101/api/v1/customers", "https://office.be:2101"),
            ("https://office.be.evil.example:2100/", "https://office.be.evil.example:2100"),
        ] {
            assert_eq!(check_origin(url(link), &office), Err(LinkError::Foreign(origin.into())), "{link}");
        }
        assert!(check_origin(url("https://user:pw@office.be:2100/"), &office).is_err());
    }
}
