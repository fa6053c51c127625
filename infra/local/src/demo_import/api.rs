//! The demo's HTTP client: it calls the local runner's API as the platform would (with the dev
//! token of the demo tenant) and follows the browser's OAuth redirects one at a time. Errors
//! name the method, the path and the API's message — never the token, and never a URL's query
//! (the browser steps carry a code and a `state` there).

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, LOCATION};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::wiring::LocalError;

/// A list answer (`{"items": [...], "next_page_token": ...}`).
#[derive(Debug, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
}

/// The API's error body, as far as the demo shows it.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
    #[serde(default)]
    hint: Option<String>,
    #[serde(default)]
    problems: Vec<FieldProblem>,
}

#[derive(Debug, Deserialize)]
struct FieldProblem {
    field: String,
    message: String,
}

/// One browser step: the status and, for a redirect, where it goes.
#[derive(Debug)]
pub struct Hop {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

pub struct Api {
    base: String,
    token: SecretString,
    http: reqwest::Client,
}

fn transport(what: &str, e: reqwest::Error) -> LocalError {
    LocalError::Demo(format!("{what}: {}", e.without_url()))
}

/// `scheme://host:port/path` of a URL, without its query.
pub fn without_query(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) => {
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => "(an address that could not be read)".into(),
    }
}

/// The value of one query parameter of `url`.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let u = reqwest::Url::parse(url).ok()?;
    u.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The names of `url`'s query parameters, in order.
pub fn query_names(url: &str) -> Vec<String> {
    reqwest::Url::parse(url).map(|u| u.query_pairs().map(|(k, _)| k.into_owned()).collect()).unwrap_or_default()
}

impl Api {
    /// A client for the runner at `base`: redirects are never followed by themselves.
    pub fn new(base: &str, token: SecretString) -> Result<Self, LocalError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| transport("building the HTTP client", e))?;
        Ok(Self { base: base.trim_end_matches('/').to_string(), token, http })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET {base}{path}` with the dev token.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, LocalError> {
        self.send(Method::GET, path, None).await.map(|(_, v)| v)
    }

    /// `POST {base}{path}` with a JSON body; the status and the answer.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<(StatusCode, T), LocalError> {
        let bytes = serde_json::to_vec(body).map_err(|e| LocalError::Demo(format!("POST {path}: {e}")))?;
        self.send(Method::POST, path, Some(("application/json", bytes))).await
    }

    /// `PUT {base}{path}` with a JSON body; the status and the answer.
    pub async fn put<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<(StatusCode, T), LocalError> {
        let bytes = serde_json::to_vec(body).map_err(|e| LocalError::Demo(format!("PUT {path}: {e}")))?;
        self.send(Method::PUT, path, Some(("application/json", bytes))).await
    }

    /// `POST {base}{path}` with a file as the body.
    pub async fn post_file<T: DeserializeOwned>(
        &self,
        path: &str,
        content_type: &'static str,
        bytes: Vec<u8>,
    ) -> Result<(StatusCode, T), LocalError> {
        self.send(Method::POST, path, Some((content_type, bytes))).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<(&'static str, Vec<u8>)>,
    ) -> Result<(StatusCode, T), LocalError> {
        let what = format!("{method} {}", path.split('?').next().unwrap_or(path));
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(AUTHORIZATION, format!("Bearer {}", self.token.expose_secret()));
        if let Some((content_type, bytes)) = body {
            req = req.header(CONTENT_TYPE, content_type).body(bytes);
        }
        let resp = req.send().await.map_err(|e| transport(&what, e))?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| transport(&what, e))?;
        if !status.is_success() {
            let e: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
            let problems: Vec<String> = e.problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect();
            let mut msg = format!("{what} answered {}: {}", status.as_u16(), e.message);
            if !problems.is_empty() {
                msg.push_str(&format!(" ({})", problems.join("; ")));
            }
            if let Some(h) = e.hint {
                msg.push_str(&format!(" — {h}"));
            }
            return Err(LocalError::Demo(msg));
        }
        let value =
            serde_json::from_slice(&bytes).map_err(|e| LocalError::Demo(format!("{what}: unreadable answer ({e})")))?;
        Ok((status, value))
    }

    /// What the user's browser does with `url`: a plain GET without the dev token and without
    /// following a redirect.
    pub async fn browser_get(&self, url: &str) -> Result<Hop, LocalError> {
        let what = format!("the browser's GET {}", without_query(url));
        let resp = self.http.get(url).send().await.map_err(|e| transport(&what, e))?;
        let status = resp.status();
        let location = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).map(|l| absolute(url, l));
        let body = resp.text().await.map_err(|e| transport(&what, e))?;
        Ok(Hop { status, location, body })
    }
}

/// A `Location` made absolute against the URL that answered it.
fn absolute(from: &str, location: &str) -> String {
    reqwest::Url::parse(from).and_then(|u| u.join(location)).map(|u| u.to_string()).unwrap_or_else(|_| location.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_read_and_left_out() {
        let url = "http://127.0.0.1:9/oauth/callback?code=abc&state=xyz";
        assert_eq!(without_query(url), "http://127.0.0.1:9/oauth/callback");
        assert_eq!(query_param(url, "state").as_deref(), Some("xyz"));
        assert_eq!(query_names(url), ["code", "state"]);
        assert_eq!(query_param("not a url", "code"), None);
        assert_eq!(absolute(url, "/oauth/done?outcome=connected"), "http://127.0.0.1:9/oauth/done?outcome=connected");
    }
}
