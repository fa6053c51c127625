//! Every Fid-Manager call: signed in (a session token from `POST …/auth/login`, cached and
//! renewed before its end), sent through the HTTP seam (reads retried on 429/5xx/timeouts,
//! writes only on 429), and repeated once after a fresh sign-in when a cached token is refused.

use koppel_core::ports::source::ConnectorError;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{RequestBuilder, Url};
use secrecy::ExposeSecret;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Mutex;

use super::DISPLAY_NAME;
use super::assumptions::{API_PREFIX, AUTH_SCHEME, LOGIN_PATH, RELOGIN_ON_401};
use super::errors::{self, Subject};
use super::wire::{self, Issued, SignIn};
use crate::http::{HttpReply, HttpSeam};

/// Whether a call may be repeated after a failure the provider may have acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Reads: retried on 429, 5xx and timeouts.
    Read,
    /// Creates and deletes: retried on 429 only (see `HttpSeam::send_write`).
    Write,
}

struct Cached {
    header: HeaderValue,
    generation: u64,
    renew_at: chrono::DateTime<chrono::Utc>,
}

pub struct Transport {
    pub seam: HttpSeam,
    /// The office's address, e.g. `https://kantoor.fid-manager.be/`.
    pub office: Url,
    pub sign_in: SignIn,
    token: Mutex<Option<Cached>>,
    generations: AtomicU64,
    /// The current token's text, for scrubbing quoted answers.
    token_text: std::sync::Mutex<String>,
}

impl Transport {
    pub fn new(seam: HttpSeam, office: Url, sign_in: SignIn) -> Self {
        Self {
            seam,
            office,
            sign_in,
            token: Mutex::new(None),
            generations: AtomicU64::new(0),
            token_text: std::sync::Mutex::new(String::new()),
        }
    }

    /// `{office}/api/v1/{segments…}`, each segment percent-encoded.
    pub fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.office.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(API_PREFIX).extend(segments);
        }
        url
    }

    /// Everything a quoted answer must not show: password, partner code, the session token.
    pub fn secrets(&self) -> Vec<String> {
        let token = self.token_text.lock().map(|t| t.clone()).unwrap_or_default();
        let mut all: Vec<String> = self.sign_in.secrets().iter().map(|s| s.to_string()).collect();
        all.push(token);
        all
    }

    /// Maps a refused answer with the secrets scrubbed.
    pub fn refused(&self, reply: &HttpReply, subject: Subject) -> ConnectorError {
        let secrets = self.secrets();
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        errors::refused(reply.status, &reply.body, subject, &secrets)
    }

    /// Sends `build(client)` with the session token. Every answer but 401 comes back as it is
    /// (the caller reads 2xx and maps the rest); a 401 signs in again once.
    pub async fn call<F>(&self, label: &str, kind: Kind, build: F) -> Result<HttpReply, ConnectorError>
    where
        F: Fn(&reqwest::Client) -> RequestBuilder,
    {
        let mut relogins = 0;
        loop {
            let (header, generation) = self.token().await?;
            let make =
                || build(self.seam.client()).header(AUTHORIZATION, header.clone()).header(ACCEPT, "application/json");
            let sent = match kind {
                Kind::Read => self.seam.send(label, make).await,
                Kind::Write => self.seam.send_write(label, make).await,
            };
            let reply = sent.map_err(|e| e.into_connector_error(DISPLAY_NAME))?;
            if reply.status != 401 {
                return Ok(reply);
            }
            if relogins >= RELOGIN_ON_401 {
                tracing::warn!(call = label, "Fid-Manager refused the call with a fresh session");
                return Err(errors::token_refused());
            }
            relogins += 1;
            tracing::info!(call = label, "Fid-Manager answered 401; signing in again");
            self.invalidate(generation).await;
        }
    }

    /// Signs in now (the connection test), whatever is cached.
    pub async fn sign_in_now(&self) -> Result<(), ConnectorError> {
        *self.token.lock().await = None;
        self.token().await.map(|_| ())
    }

    async fn token(&self) -> Result<(HeaderValue, u64), ConnectorError> {
        let now = self.seam.clock().now();
        let mut slot = self.token.lock().await;
        if let Some(cached) = slot.as_ref().filter(|c| now < c.renew_at) {
            return Ok((cached.header.clone(), cached.generation));
        }
        *slot = None;
        let issued = self.login().await?;
        let mut header = HeaderValue::from_str(&format!("{AUTH_SCHEME} {}", issued.value.expose_secret()))
            .map_err(|_| parse("the session token cannot be sent in a header".into()))?;
        header.set_sensitive(true);
        if let Ok(mut text) = self.token_text.lock() {
            *text = issued.value.expose_secret().to_string();
        }
        let generation = self.generations.fetch_add(1, Ordering::Relaxed) + 1;
        *slot = Some(Cached { header: header.clone(), generation, renew_at: issued.renew_at });
        Ok((header, generation))
    }

    async fn invalidate(&self, generation: u64) {
        let mut slot = self.token.lock().await;
        if slot.as_ref().is_some_and(|c| c.generation == generation) {
            *slot = None;
        }
    }

    /// `POST {office}/api/v1/auth/login`. It stores nothing, so the seam may retry it.
    async fn login(&self) -> Result<Issued, ConnectorError> {
        let url = self.url(&LOGIN_PATH);
        let label = "POST /api/v1/auth/login";
        let reply = self
            .seam
            .send(label, || {
                self.seam
                    .client()
                    .post(url.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .header(ACCEPT, "application/json")
                    .body(self.sign_in.body())
            })
            .await
            .map_err(|e| e.into_connector_error(DISPLAY_NAME))?;
        let secrets = self.sign_in.secrets();
        if reply.is_success() {
            return wire::parse_login(&reply.body, self.seam.clock().now()).map_err(parse);
        }
        if let Some(refused) = errors::login_refused(reply.status, &reply.body, &secrets) {
            tracing::warn!(status = reply.status, "Fid-Manager refused the sign-in");
            return Err(refused);
        }
        Err(errors::refused(reply.status, &reply.body, Subject::Account, &secrets))
    }

    pub fn calls(&self) -> u64 {
        self.seam.attempts()
    }
}

pub fn parse(message: String) -> ConnectorError {
    ConnectorError::Parse { provider: DISPLAY_NAME.into(), message }
}
