//! `GET /oauth/callback`: the provider's redirect. Always answers 302 to the return page with
//! the outcome in its query; the page tells the user what happened.

use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koppel_core::oauth::callback::{self, CallbackOutcome, CallbackQuery};
use koppel_runtime::http::AppState;
use secrecy::SecretString;
use std::collections::BTreeMap;

pub const CALLBACK_PATH: &str = "/oauth/callback";

/// Where the browser goes when the callback is done (`KOPPEL_OAUTH_RETURN_URL`).
#[derive(Debug, Clone)]
pub struct ReturnPage(url::Url);

#[derive(Debug, thiserror::Error)]
#[error("KOPPEL_OAUTH_RETURN_URL is not an absolute http(s) URL: {0}")]
pub struct ReturnPageError(String);

impl ReturnPage {
    pub fn new(raw: &str) -> Result<Self, ReturnPageError> {
        let url = url::Url::parse(raw).map_err(|e| ReturnPageError(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ReturnPageError(format!("scheme {}", url.scheme())));
        }
        Ok(Self(url))
    }

    /// The page with `connection`, `outcome` and either `run` or `reason` + `message`.
    pub fn with_outcome(&self, outcome: &CallbackOutcome) -> String {
        let mut url = self.0.clone();
        {
            let mut query = url.query_pairs_mut();
            if let Some(id) = &outcome.connection_id {
                query.append_pair("connection", id);
            }
            match &outcome.result {
                Ok(connected) => {
                    query.append_pair("outcome", "connected");
                    if let Some(run) = &connected.run_id {
                        query.append_pair("run", run);
                    }
                }
                Err(failure) => {
                    query
                        .append_pair("outcome", "error")
                        .append_pair("reason", failure.code())
                        .append_pair("message", &failure.to_string());
                }
            }
        }
        url.to_string()
    }
}

/// The provider sends the browser back here.
#[utoipa::path(
    get,
    path = "/oauth/callback",
    operation_id = "oauth_callback",
    tag = "connections",
    params(
        ("state" = Option<String>, Query, description = "The state Koppel sent to the provider"),
        ("code" = Option<String>, Query, description = "The authorization code"),
        ("error" = Option<String>, Query, description = "The provider's error (access_denied, …)"),
        ("accounts-server" = Option<String>, Query, description = "Zoho: the user's accounts server (kept when the app registration says so, if its host is allowed)"),
        ("authorized_firm_id" = Option<String>, Query, description = "Silverfin: the firm the user authorized (kept when the app registration says so)"),
    ),
    responses((status = 302, description = "To the return page: outcome=connected (with run when a first sync was requested), or outcome=error with reason and message")),
    security(())
)]
pub async fn oauth_callback(
    State(state): State<AppState>,
    Extension(page): Extension<ReturnPage>,
    RawQuery(raw): RawQuery,
) -> Response {
    let outcome = callback::complete(&state.deps, parse(raw.as_deref().unwrap_or(""))).await;
    let location = page.with_outcome(&outcome);
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    match HeaderValue::from_str(&location) {
        Ok(v) => {
            headers.insert(header::LOCATION, v);
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// Other parameters passed on (the registration keeps some), and their longest value.
const MAX_EXTRA: usize = 20;
const MAX_EXTRA_LEN: usize = 2048;

/// The callback's parameters. One of the protocol's that appears twice (RFC 6749 §3.1 forbids
/// it) makes the request unusable: the `state` is dropped, which the use-case reports as an
/// invalid link. Any other parameter is passed on when it came once (at most [`MAX_EXTRA`],
/// each at most [`MAX_EXTRA_LEN`] long); one that came twice is left out.
fn parse(raw: &str) -> CallbackQuery {
    let mut state = Vec::new();
    let mut code = Vec::new();
    let mut error = Vec::new();
    let mut others: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        match k.as_ref() {
            "state" => state.push(v.into_owned()),
            "code" => code.push(v.into_owned()),
            "error" => error.push(v.into_owned()),
            _ if others.len() < MAX_EXTRA || others.contains_key(k.as_ref()) => {
                others.entry(k.into_owned()).or_default().push(v.into_owned());
            }
            _ => {}
        }
    }
    let extra = others
        .into_iter()
        .filter_map(|(k, mut v)| (v.len() == 1 && v[0].len() <= MAX_EXTRA_LEN).then(|| (k, v.remove(0))))
        .collect();
    let once = |mut values: Vec<String>| (values.len() == 1).then(|| values.remove(0)).filter(|v| !v.is_empty());
    let duplicated = state.len() > 1 || code.len() > 1 || error.len() > 1;
    CallbackQuery {
        state: if duplicated { None } else { once(state) },
        code: once(code).map(SecretString::from),
        error: once(error),
        extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn reads_each_parameter_once() {
        let q = parse("code=a%2Fb&state=s.t.u&scope=x");
        assert_eq!(q.state.as_deref(), Some("s.t.u"));
        assert_eq!(q.code.as_ref().map(|c| c.expose_secret().to_string()).as_deref(), Some("a/b"));
        assert!(parse("state=a&state=b&code=c").state.is_none(), "duplicated state");
        assert!(parse("state=&code=").code.is_none());
        assert_eq!(parse("error=access_denied&state=x").error.as_deref(), Some("access_denied"));
    }

    #[test]
    fn passes_other_parameters_on_once() {
        let q = parse("code=c&state=s&accounts-server=https%3A%2F%2Faccounts.zoho.eu&location=eu&x=1&x=2");
        let extra: Vec<(&str, &str)> = q.extra.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(extra, [("accounts-server", "https://accounts.zoho.eu"), ("location", "eu")], "x came twice");
        assert!(!q.extra.contains_key("code") && !q.extra.contains_key("state"));
        let many: String = (0..30).map(|i| format!("p{i:02}=v&")).collect();
        assert_eq!(parse(&many).extra.len(), MAX_EXTRA);
        assert!(parse(&format!("long={}", "a".repeat(MAX_EXTRA_LEN + 1))).extra.is_empty());
    }

    #[test]
    fn return_page_keeps_its_own_query() {
        let page = ReturnPage::new("https://app.example/oauth/done?lang=nl").expect("url");
        let outcome = CallbackOutcome {
            connection_id: Some("c1".into()),
            result: Ok(koppel_core::oauth::callback::Connected { run_id: Some("r1".into()) }),
        };
        assert_eq!(
            page.with_outcome(&outcome),
            "https://app.example/oauth/done?lang=nl&connection=c1&outcome=connected&run=r1"
        );
        let meetings_only = CallbackOutcome {
            connection_id: Some("c2".into()),
            result: Ok(koppel_core::oauth::callback::Connected { run_id: None }),
        };
        assert_eq!(
            page.with_outcome(&meetings_only),
            "https://app.example/oauth/done?lang=nl&connection=c2&outcome=connected"
        );
        assert!(ReturnPage::new("ftp://x").is_err());
        assert!(ReturnPage::new("/relative").is_err());
    }
}
