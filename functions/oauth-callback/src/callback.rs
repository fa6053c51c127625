//! `GET /oauth/callback`: the provider's redirect. Always answers 302 to the return page with
//! the outcome in its query; the page tells the user what happened.

use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koppel_core::oauth::callback::{self, CallbackOutcome, CallbackQuery};
use koppel_runtime::http::AppState;
use secrecy::SecretString;

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
                    query.append_pair("outcome", "connected").append_pair("run", &connected.run_id);
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
    ),
    responses((status = 302, description = "To the return page: outcome=connected, or outcome=error with reason and message")),
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

/// The callback's parameters. One that appears twice (RFC 6749 §3.1 forbids it) makes the
/// request unusable: the `state` is dropped, which the use-case reports as an invalid link.
fn parse(raw: &str) -> CallbackQuery {
    let mut state = Vec::new();
    let mut code = Vec::new();
    let mut error = Vec::new();
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        match k.as_ref() {
            "state" => state.push(v.into_owned()),
            "code" => code.push(v.into_owned()),
            "error" => error.push(v.into_owned()),
            _ => {}
        }
    }
    let once = |mut values: Vec<String>| (values.len() == 1).then(|| values.remove(0)).filter(|v| !v.is_empty());
    let duplicated = state.len() > 1 || code.len() > 1 || error.len() > 1;
    CallbackQuery {
        state: if duplicated { None } else { once(state) },
        code: once(code).map(SecretString::from),
        error: once(error),
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
    fn return_page_keeps_its_own_query() {
        let page = ReturnPage::new("https://app.example/oauth/done?lang=nl").expect("url");
        let outcome = CallbackOutcome {
            connection_id: Some("c1".into()),
            result: Ok(koppel_core::oauth::callback::Connected { run_id: "r1".into() }),
        };
        assert_eq!(
            page.with_outcome(&outcome),
            "https://app.example/oauth/done?lang=nl&connection=c1&outcome=connected&run=r1"
        );
        assert!(ReturnPage::new("ftp://x").is_err());
        assert!(ReturnPage::new("/relative").is_err());
    }
}
