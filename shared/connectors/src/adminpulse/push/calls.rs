//! The meeting side's HTTP calls on top of the import session (bearer, 480-a-minute budget,
//! error mapping): JSON writes, deletes, the `documents/add` upload within its own 50 a minute,
//! list scans, and the errors a user of the push reads.

use koppel_core::ports::source::ConnectorError;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

use super::super::DISPLAY_NAME;
use super::super::assumptions::{MAX_FIND_PAGES, MAX_PAGE_SIZE};
use super::super::errors::Bearer;
use super::super::page;
use super::super::session::CallKind;
use super::session::AdminPulseMeetingSession;
use super::wire::Multipart;

/// A write's method.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Verb {
    Post,
    Put,
}

pub const PUSH_API_KEY_HINT: &str = "AdminPulse did not accept the API key: it is wrong, expired or withdrawn, or it \
lacks a scope Koppel needs to send meetings (reading relations; adding interactions, documents and to-dos). Make a \
key in AdminPulse under My profile > API keys with those scopes (admin rights needed) and paste it in the connection.";
pub const PUSH_ACCESS_TOKEN_HINT: &str = "AdminPulse did not accept Koppel's sign-in: access was withdrawn or has \
expired, or it does not allow adding interactions, documents and to-dos. Sign in with AdminPulse again from the \
connection.";

impl AdminPulseMeetingSession {
    /// `GET` (retried by the seam).
    pub(crate) async fn read(&self, path_and_query: &str, label: &str) -> Result<String, ConnectorError> {
        self.api.get(path_and_query, label).await.map_err(|e| self.push_error(e))
    }

    /// `POST` / `PUT` a JSON body; only a 429 is retried. The stored record comes back.
    pub(crate) async fn write(
        &self,
        verb: Verb,
        path: &str,
        label: &str,
        body: &Value,
    ) -> Result<Value, ConnectorError> {
        let answer = self
            .api
            .call(path, label, CallKind::Write, |client, url| match verb {
                Verb::Post => client.post(url).json(body),
                Verb::Put => client.put(url).json(body),
            })
            .await
            .map_err(|e| self.push_error(e))?;
        record(&answer, label)
    }

    /// `DELETE`; only a 429 is retried.
    pub(crate) async fn delete(&self, path: &str, label: &str) -> Result<(), ConnectorError> {
        self.api
            .call(path, label, CallKind::Write, |client, url| client.delete(url))
            .await
            .map(|_| ())
            .map_err(|e| self.push_error(e))
    }

    /// `POST /documents/add`: first within its own 50 calls a minute, then within the 480.
    pub(crate) async fn upload(&self, path: &str, label: &str, form: Multipart) -> Result<Value, ConnectorError> {
        let wait = self.documents_budget().map(|mut b| b.admit(self.clock.now())).unwrap_or_default();
        if !wait.is_zero() {
            tracing::info!(call = label, wait_ms = wait.as_millis() as u64, "documents/add budget full; waiting");
            self.sleeper.sleep(wait).await;
        }
        let before = self.api_calls_now();
        let sent = self
            .api
            .call(path, label, CallKind::Write, |client, url| {
                client.post(url).header(CONTENT_TYPE, form.content_type.as_str()).body(form.body.clone())
            })
            .await;
        let retries = self.api_calls_now().saturating_sub(before).saturating_sub(1);
        if let Some(mut b) = self.documents_budget() {
            b.record(self.clock.now(), retries);
        }
        record(&sent.map_err(|e| self.push_error(e))?, label)
    }

    /// Every row of a paged list (`path` with its filter, `?` included) that `keep` accepts, at
    /// most [`MAX_FIND_PAGES`] pages of [`MAX_PAGE_SIZE`].
    pub(crate) async fn scan(
        &self,
        path: &str,
        label: &str,
        keep: impl Fn(&Value) -> bool,
    ) -> Result<Vec<Value>, ConnectorError> {
        let mut found = Vec::new();
        let mut number = 0u64;
        loop {
            let body = self.read(&format!("{path}page={number}&pageSize={MAX_PAGE_SIZE}"), label).await?;
            let listing = page::read_listing(&body).map_err(|message| parse(label, message))?;
            let next = page::next(number, listing.rows.len(), MAX_PAGE_SIZE, listing.page_count);
            found.extend(listing.rows.into_iter().filter(|row| keep(row)));
            match next {
                koppel_core::ports::source::PageNext::Token(_) if number + 1 < MAX_FIND_PAGES => number += 1,
                _ => return Ok(found),
            }
        }
    }

    /// Unauthorized → what to do for the meeting side (write scopes, sign in again).
    pub(crate) fn push_error(&self, error: ConnectorError) -> ConnectorError {
        match error {
            ConnectorError::Unauthorized { provider, what, .. } => {
                let hint = match self.api.bearer_kind() {
                    Bearer::ApiKey => PUSH_API_KEY_HINT,
                    Bearer::AccessToken => PUSH_ACCESS_TOKEN_HINT,
                };
                ConnectorError::Unauthorized { provider, what, hint: hint.into() }
            }
            other => other,
        }
    }
}

/// A 404 on a call that names the relation (a create): the target is gone, the user picks again.
pub(crate) fn target_gone(error: ConnectorError) -> ConnectorError {
    match error {
        ConnectorError::Rejected { provider, status: 404, message } => ConnectorError::Rejected {
            provider,
            status: 404,
            message: format!(
                "AdminPulse no longer knows the relation (or the meeting's interaction) this meeting was sent to \
                 ({message}). Pick the relation for this meeting again."
            ),
        },
        other => other,
    }
}

/// A 404 on an update: the item was removed in AdminPulse.
pub(crate) fn item_gone(error: ConnectorError, what: &str) -> ConnectorError {
    match error {
        ConnectorError::Rejected { provider, status: 404, message } => ConnectorError::Rejected {
            provider,
            status: 404,
            message: format!(
                "the {what} Koppel sent earlier is no longer in AdminPulse ({message}); Koppel does not create it \
                 again by itself"
            ),
        },
        other => other,
    }
}

/// The record an answer holds (an empty answer is no record: a write must say what it stored).
fn record(answer: &str, label: &str) -> Result<Value, ConnectorError> {
    match serde_json::from_str::<Value>(answer) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(parse(label, "the answer is not a JSON object".into())),
        Err(e) => Err(parse(label, format!("the answer is not JSON ({e})"))),
    }
}

pub(crate) fn parse(label: &str, message: String) -> ConnectorError {
    ConnectorError::Parse { provider: DISPLAY_NAME.into(), message: format!("{label}: {message}") }
}

/// The error for an item the connector cannot send as asked (a wiring or data problem, status 0).
pub(crate) fn refuse(message: impl Into<String>) -> ConnectorError {
    ConnectorError::Rejected { provider: DISPLAY_NAME.into(), status: 0, message: message.into() }
}

/// A path segment or query value, percent-encoded (everything but `A-Z a-z 0-9 - . _ ~`).
pub(crate) fn enc(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.trim().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What a create or a find reports: the stored record's id.
pub(crate) fn pushed(stored: &Value, label: &str) -> Result<koppel_core::ports::meeting::Pushed, ConnectorError> {
    match super::wire::id_of(stored) {
        Some(remote_id) => Ok(koppel_core::ports::meeting::Pushed { remote_id, link: None }),
        None => Err(parse(label, "the stored record has no 'id'".into())),
    }
}
