//! `GET /oauth/authorize`: checks the client and the redirect URI (a mismatch is a 400 page,
//! never a redirect, RFC 6749 §4.1.2.1), then consents at once: 302 back with `code` and
//! `state`, or with `error=access_denied` when a denial was queued. A redirect with a code also
//! carries the configured extra callback parameters (Zoho's `accounts-server`, Silverfin's
//! `authorized_firm_id`).

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Instant;

use super::state::{PendingCode, Shared, with_base_url};
use crate::odata::pairs;
use crate::state::lock;

pub async fn authorize(State(shared): State<Arc<Shared>>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let query = pairs(query.as_deref().unwrap_or(""));
    let field = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let mut book = lock(&shared.book);
    book.stats.authorize_requests += 1;
    if field("client_id") != Some(shared.config.client_id.as_str()) {
        return page(StatusCode::BAD_REQUEST, "unknown client_id");
    }
    let Some(redirect_uri) = field("redirect_uri").filter(|r| book.redirect_uris.iter().any(|u| u == r)) else {
        return page(StatusCode::BAD_REQUEST, "redirect_uri is not registered for this client (exact match)");
    };
    let redirect_uri = redirect_uri.to_string();
    let state = field("state");
    let back = |params: &[(&str, &str)]| redirect(&redirect_uri, params, state);
    if field("response_type") != Some("code") {
        return back(&[("error", "unsupported_response_type")]);
    }
    let challenge = field("code_challenge").map(str::to_string);
    match (challenge.as_deref(), field("code_challenge_method")) {
        (None, _) if shared.config.pkce_required => {
            return back(&[("error", "invalid_request"), ("error_description", "code_challenge required (PKCE)")]);
        }
        (Some(_), method) if method != Some("S256") => {
            return back(&[("error", "invalid_request"), ("error_description", "only S256 is supported")]);
        }
        _ => {}
    }
    if book.deny_next > 0 {
        book.deny_next -= 1;
        book.stats.authorize_denied += 1;
        return back(&[("error", "access_denied"), ("error_description", "The user denied access")]);
    }
    let expires = Instant::now() + shared.config.code_ttl;
    let code = book.new_code(PendingCode { redirect_uri: redirect_uri.clone(), code_challenge: challenge, expires });
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let extra: Vec<(String, String)> =
        book.callback_params.iter().map(|(k, v)| (k.clone(), with_base_url(v, host))).collect();
    let mut params = vec![("code", code.as_str())];
    params.extend(extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    back(&params)
}

fn redirect(redirect_uri: &str, params: &[(&str, &str)], state: Option<&str>) -> Response {
    let mut location = redirect_uri.to_string();
    let mut sep = if location.contains('?') { '&' } else { '?' };
    for (k, v) in params.iter().copied().chain(state.map(|s| ("state", s))) {
        location.push(sep);
        location.push_str(k);
        location.push('=');
        location.push_str(&encode(v));
        sep = '&';
    }
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            let mut response = StatusCode::FOUND.into_response();
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => page(StatusCode::BAD_REQUEST, "redirect_uri is not a valid header value"),
    }
}

fn page(status: StatusCode, message: &str) -> Response {
    (status, format!("OAuth sandbox: {message}")).into_response()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
