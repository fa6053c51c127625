//! The bridge from `oauth2`'s `http::Request<Vec<u8>>` to Koppel's `reqwest::Client` and back.
//! 429 and 5xx answers become [`HttpError::Status`] here, so the caller knows a retry may help
//! (the `oauth2` crate would otherwise try to read them as OAuth error JSON). An HTTP 200 whose
//! JSON holds `error` and no `access_token` (Zoho answers errors so) becomes a 400, so `oauth2`
//! reads it as the error answer it is instead of a broken token answer.

use std::future::Future;
use std::pin::Pin;

use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("HTTP {0}")]
    Status(u16),
    #[error("{0}")]
    Transport(String),
    #[error("could not build the answer: {0}")]
    Build(String),
}

/// Koppel's reqwest client as `oauth2`'s `AsyncHttpClient` (`request.request_async(&Http(client))`).
pub struct Http<'a>(pub &'a reqwest::Client);

impl<'c> AsyncHttpClient<'c> for Http<'_> {
    type Error = HttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(send(self.0, request))
    }
}

/// Send one request with `client`.
pub async fn send(client: &reqwest::Client, request: HttpRequest) -> Result<HttpResponse, HttpError> {
    let (parts, body) = request.into_parts();
    let response = client
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| HttpError::Transport(describe(&e)))?;
    let status = response.status();
    if status.is_server_error() || status.as_u16() == 429 {
        return Err(HttpError::Status(status.as_u16()));
    }
    let headers = response.headers().clone();
    let bytes = response.bytes().await.map_err(|e| HttpError::Transport(describe(&e)))?;
    let status = if status.is_success() && is_error_answer(&bytes) { reqwest::StatusCode::BAD_REQUEST } else { status };
    let mut out = oauth2::http::Response::builder().status(status);
    if let Some(map) = out.headers_mut() {
        *map = headers;
    }
    out.body(bytes.to_vec()).map_err(|e| HttpError::Build(e.to_string()))
}

/// A JSON object with a text `error` and no `access_token` (RFC 6749 §5.2 shape).
fn is_error_answer(body: &[u8]) -> bool {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => {
            map.get("error").is_some_and(serde_json::Value::is_string) && !map.contains_key("access_token")
        }
        _ => false,
    }
}

/// What went wrong on the wire, without the URL's query or any body.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else if e.is_body() || e.is_decode() {
        "the answer broke off".into()
    } else {
        "transport error".into()
    }
}

#[cfg(test)]
mod tests {
    use super::is_error_answer;

    #[test]
    fn an_ok_answer_with_an_error_and_no_token_is_an_error() {
        assert!(is_error_answer(br#"{"error":"invalid_code"}"#));
        assert!(!is_error_answer(br#"{"access_token":"a","token_type":"Bearer","error":"x"}"#));
        assert!(!is_error_answer(br#"{"access_token":"a","token_type":"Bearer"}"#));
        assert!(!is_error_answer(br#"{"error":{"code":1}}"#));
        assert!(!is_error_answer(b"not json"));
    }
}
