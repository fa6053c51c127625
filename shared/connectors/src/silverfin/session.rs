//! One connection's Silverfin session: the firm-scoped base, the bearer header, the HTTP calls
//! (reads through the seam's retries, writes through `send_write`: only 429 is retried), paged
//! list scans, and the periods of the companies it touched (cached for the session).

use koppel_core::ports::source::ConnectorError;
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::Mutex;

use super::DISPLAY_NAME;
use super::assumptions::{API_PREFIX, MAX_SCAN_PAGES};
use super::errors::{self, Call};
use super::multipart::Form;
use super::wire::Period;
use crate::http::{HttpReply, HttpSeam};

pub struct SilverfinSession {
    pub(crate) seam: HttpSeam,
    /// `{base}/api/v4/f/{firm}`.
    firm_url: String,
    pub(crate) firm_id: String,
    header: HeaderValue,
    /// The connection's secrets, scrubbed from any quoted answer.
    scrub: Vec<SecretString>,
    /// Rows per list call (at most 200).
    pub(crate) page_size: u32,
    /// Silverfin pages a target search reads at most.
    pub(crate) search_pages: u32,
    /// Periods per company id, read once per session.
    pub(crate) periods: Mutex<HashMap<String, Vec<Period>>>,
}

impl std::fmt::Debug for SilverfinSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SilverfinSession")
            .field("firm_url", &self.firm_url)
            .field("page_size", &self.page_size)
            .field("api_calls", &self.seam.attempts())
            .finish_non_exhaustive()
    }
}

/// What a request sends besides its method and path.
pub(crate) enum Payload<'a> {
    None,
    Json(&'a Value),
    Form(&'a Form),
}

/// The session's settings, from the factory.
pub(crate) struct SessionParts {
    pub seam: HttpSeam,
    pub base_url: String,
    pub firm_id: String,
    pub token: SecretString,
    pub scrub: Vec<SecretString>,
    pub page_size: u32,
    pub search_pages: u32,
}

impl SilverfinSession {
    pub(crate) fn new(parts: SessionParts) -> Result<Self, ConnectorError> {
        let SessionParts { seam, base_url, firm_id, token, scrub, page_size, search_pages } = parts;
        let mut header = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| {
            ConnectorError::Unauthorized {
                provider: DISPLAY_NAME.into(),
                what: "the Silverfin sign-in (access token)".into(),
                hint: "The stored access token contains characters that cannot be sent; connect Silverfin again."
                    .into(),
            }
        })?;
        header.set_sensitive(true);
        let firm_url = format!("{base_url}{API_PREFIX}/{firm_id}");
        let scrub = std::iter::once(token).chain(scrub).collect();
        Ok(Self { seam, firm_url, firm_id, header, scrub, page_size, search_pages, periods: Mutex::default() })
    }

    /// The firm this session calls (from the connection's `firm_id`).
    pub fn firm_id(&self) -> &str {
        &self.firm_id
    }

    /// `method {firm_url}{path}` through the seam. Reads are retried as usual; anything else goes
    /// through `send_write` (429 only). Every answer the seam accepts comes back, 4xx included;
    /// 429 and 5xx after the retries, timeouts and transport errors are errors. `label` names the
    /// call in logs by template, never by id.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        payload: Payload<'_>,
        label: &str,
    ) -> Result<HttpReply, ConnectorError> {
        let url = format!("{}{path}", self.firm_url);
        let build = || {
            let request = self
                .seam
                .client()
                .request(method.clone(), &url)
                .header(AUTHORIZATION, self.header.clone())
                .header(ACCEPT, "application/json");
            match &payload {
                Payload::None => request,
                Payload::Json(body) => request.json(body),
                Payload::Form(form) => request.header(CONTENT_TYPE, form.content_type.clone()).body(form.body.clone()),
            }
        };
        let sent = if method == Method::GET {
            self.seam.send(label, build).await
        } else {
            self.seam.send_write(label, build).await
        };
        sent.map_err(|e| e.into_connector_error(DISPLAY_NAME))
    }

    /// The body of a successful answer, else the mapped error (logged without the body).
    pub(crate) fn accept(&self, reply: HttpReply, call: Call<'_>, label: &str) -> Result<String, ConnectorError> {
        if reply.is_success() {
            return Ok(reply.body);
        }
        let secrets: Vec<&str> = self.scrub.iter().map(|s| s.expose_secret()).collect();
        let error = errors::from_status(reply.status, &reply.body, call, &secrets);
        tracing::warn!(call = label, status = reply.status, error = %error, "Silverfin refused the call");
        Err(error)
    }

    /// `GET` and [`Self::accept`].
    pub(crate) async fn get(&self, path: &str, call: Call<'_>, label: &str) -> Result<String, ConnectorError> {
        let reply = self.call(Method::GET, path, Payload::None, label).await?;
        self.accept(reply, call, label)
    }

    /// Reads `path?page=n&per_page=…` from page 1 on, handing every new row to `visit`, until
    /// `visit` breaks, a page is empty or short, a page brings no row not seen before (a list
    /// that ignores `page`), or `max_pages`. `read` turns a body into `(id, row)` pairs. The
    /// answer is whether the list was read to its end.
    pub(crate) async fn scan<T>(
        &self,
        path: &str,
        call: Call<'_>,
        label: &str,
        max_pages: u32,
        read: impl Fn(&str) -> Result<Vec<(String, T)>, String>,
        mut visit: impl FnMut(T) -> ControlFlow<()>,
    ) -> Result<bool, ConnectorError> {
        let size = self.page_size;
        let mut seen: HashSet<String> = HashSet::new();
        for page in 1..=max_pages.min(MAX_SCAN_PAGES) {
            let sep = if path.contains('?') { '&' } else { '?' };
            let body = self.get(&format!("{path}{sep}page={page}&per_page={size}"), call, label).await?;
            let rows = read(&body).map_err(errors::parse)?;
            let count = rows.len();
            let mut fresh = 0usize;
            for (id, row) in rows {
                if !seen.insert(id) {
                    continue;
                }
                fresh += 1;
                if visit(row).is_break() {
                    return Ok(false);
                }
            }
            if count < size as usize || fresh == 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Ids Koppel puts in paths: 1–64 letters, digits, `-` or `_`.
pub fn safe_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_paths_are_plain() {
        assert!(safe_id("123") && safe_id("a-b_C"));
        for bad in ["", "1/2", "..", "1 2", "é", &"1".repeat(65)] {
            assert!(!safe_id(bad), "{bad}");
        }
    }
}
