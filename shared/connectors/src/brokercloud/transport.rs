//! Every Brokercloud call: `Authorization: Bearer <access token>` (the engine refreshes the token
//! before it opens a session), through the HTTP seam — reads retried on 429/5xx/timeouts, uploads
//! and deletes only on 429 (`HttpSeam::send_write`).

use koppel_core::ports::source::ConnectorError;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use reqwest::{RequestBuilder, Url};
use secrecy::{ExposeSecret, SecretString};

use super::DISPLAY_NAME;
use super::assumptions::API_PREFIX;
use super::errors::{self, Subject};
use crate::http::{HttpReply, HttpSeam};

/// Whether a call may be repeated after a failure the provider may have acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
}

pub struct Transport {
    pub seam: HttpSeam,
    /// `https://secure.brokercloud.app` (or a stand-in).
    pub base: Url,
    header: HeaderValue,
    /// Every secret of the connection, scrubbed from quoted answers.
    scrub: Vec<SecretString>,
}

impl Transport {
    pub fn new(
        seam: HttpSeam,
        base: Url,
        token: &SecretString,
        scrub: Vec<SecretString>,
    ) -> Result<Self, ConnectorError> {
        let mut header = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| {
            ConnectorError::Unauthorized {
                provider: DISPLAY_NAME.into(),
                what: "Koppel's Brokercloud sign-in (access token)".into(),
                hint: "The stored access token cannot be sent; reconnect the connection (sign in with Brokercloud)."
                    .into(),
            }
        })?;
        header.set_sensitive(true);
        Ok(Self { seam, base, header, scrub })
    }

    /// `{base}/api/v2/{segments…}`, each segment percent-encoded.
    pub fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(API_PREFIX).extend(segments);
        }
        url
    }

    /// Sends `build(client)` with the bearer. A 401 → `Unauthorized`; every other answer comes
    /// back as it is for the caller to read.
    pub async fn call<F>(&self, label: &str, kind: Kind, build: F) -> Result<HttpReply, ConnectorError>
    where
        F: Fn(&reqwest::Client) -> RequestBuilder,
    {
        let make =
            || build(self.seam.client()).header(AUTHORIZATION, self.header.clone()).header(ACCEPT, "application/json");
        let sent = match kind {
            Kind::Read => self.seam.send(label, make).await,
            Kind::Write => self.seam.send_write(label, make).await,
        };
        let reply = sent.map_err(|e| e.into_connector_error(DISPLAY_NAME))?;
        if reply.status == 401 {
            tracing::warn!(call = label, "Brokercloud refused the access token");
            return Err(errors::unauthorized());
        }
        Ok(reply)
    }

    /// Maps a refused answer with the secrets scrubbed.
    pub fn refused(&self, reply: &HttpReply, subject: Subject) -> ConnectorError {
        let secrets: Vec<&str> = self.scrub.iter().map(|s| s.expose_secret()).collect();
        errors::refused(reply.status, &reply.body, subject, &secrets)
    }

    /// Brokercloud's message from a refused answer, secrets scrubbed.
    pub fn message(&self, reply: &HttpReply) -> String {
        let secrets: Vec<&str> = self.scrub.iter().map(|s| s.expose_secret()).collect();
        errors::error_message(&reply.body, &secrets)
    }

    pub fn calls(&self) -> u64 {
        self.seam.attempts()
    }
}

pub fn parse(message: String) -> ConnectorError {
    ConnectorError::Parse { provider: DISPLAY_NAME.into(), message }
}
