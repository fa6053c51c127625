//! The bridge from `oauth2`'s `http::Request<Vec<u8>>` to Koppel's `reqwest::Client` and back.
//! 429 and 5xx answers become [`HttpError::Status`] here, so the caller knows a retry may help
//! (the `oauth2` crate would otherwise try to read them as OAuth error JSON).

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
    let mut out = oauth2::http::Response::builder().status(status);
    if let Some(map) = out.headers_mut() {
        *map = headers;
    }
    out.body(bytes.to_vec()).map_err(|e| HttpError::Build(e.to_string()))
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
