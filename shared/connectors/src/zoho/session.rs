//! One connection's Zoho session: the `Zoho-oauthtoken` header, the calls through the HTTP seam
//! (reads retried, writes only on 429), answer checking, and the `MeetingApi` routing per item kind.

use async_trait::async_trait;
use koppel_core::ports::meeting::{
    ItemKind, MeetingApi, PushItem, Pushed, Revision, TargetPage, TargetQuery, TargetRef,
};
use koppel_core::ports::source::{ConnectorError, ProbeInfo};
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;

use super::assumptions::{CRM_PATH, EVENT_FIELDS, EVENTS_MODULE, INVALID_DATA};
use super::errors;
use super::wire::{self, EventLinks, EventRow, WriteOutcome};
use super::{DISPLAY_NAME, TARGET_KIND, notes, reports, targets, tasks};
use crate::http::{HttpReply, HttpSeam};

/// What a write sends.
pub(crate) enum Payload {
    Json(Value),
    /// A multipart form: its `Content-Type` (with the boundary) and body.
    Form {
        content_type: String,
        body: Vec<u8>,
    },
    Empty,
}

pub(crate) struct SessionSetup {
    pub seam: HttpSeam,
    /// `{api_domain}` without a trailing `/`.
    pub api: String,
    pub token: SecretString,
    /// Every secret of the connection, scrubbed from quoted answers.
    pub scrub: Vec<SecretString>,
    pub workdrive_folder: Option<String>,
}

pub struct ZohoSession {
    seam: HttpSeam,
    api: String,
    header: HeaderValue,
    secrets: Vec<SecretString>,
    workdrive_folder: Option<String>,
    /// What each event's tasks point at, read once per event and session.
    events: Mutex<HashMap<String, EventLinks>>,
}

impl std::fmt::Debug for ZohoSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZohoSession")
            .field("api", &self.api)
            .field("workdrive_folder", &self.workdrive_folder)
            .field("api_calls", &self.seam.attempts())
            .finish_non_exhaustive()
    }
}

impl ZohoSession {
    pub(crate) fn new(setup: SessionSetup) -> Result<Self, ConnectorError> {
        let SessionSetup { seam, api, token, scrub, workdrive_folder } = setup;
        let mut header =
            HeaderValue::from_str(&format!("Zoho-oauthtoken {}", token.expose_secret())).map_err(|_| {
                ConnectorError::Unauthorized {
                    provider: DISPLAY_NAME.into(),
                    what: "the Zoho sign-in (access token)".into(),
                    hint: "It contains characters that cannot be sent; sign in with Zoho again.".into(),
                }
            })?;
        header.set_sensitive(true);
        let secrets = std::iter::once(token).chain(scrub).collect();
        Ok(Self { seam, api, header, secrets, workdrive_folder, events: Mutex::default() })
    }

    /// The WorkDrive folder reports are uploaded to, when the connection names one.
    pub fn workdrive_folder(&self) -> Option<&str> {
        self.workdrive_folder.as_deref()
    }

    /// `{api_domain}/crm/v8{path}`.
    pub(crate) fn crm(&self, path: &str) -> String {
        format!("{}{CRM_PATH}{path}", self.api)
    }

    /// `{api_domain}{path}` (WorkDrive).
    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{path}", self.api)
    }

    fn secrets(&self) -> Vec<&str> {
        self.secrets.iter().map(|s| s.expose_secret()).collect()
    }

    /// The error for a refused answer, with every secret scrubbed.
    pub(crate) fn refused(&self, reply: &HttpReply) -> ConnectorError {
        let error = errors::from_status(reply.status, &reply.body, &self.secrets());
        tracing::warn!(status = reply.status, error = %error, "Zoho refused the call");
        error
    }

    /// A GET through the seam (retried on 429, 5xx, timeouts). `None` for 204 (Zoho's "nothing
    /// found"). `label` names the call by template; it holds no id and no secret.
    pub(crate) async fn get(&self, label: &str, url: &str) -> Result<Option<String>, ConnectorError> {
        let reply = self
            .seam
            .send(label, || {
                self.seam
                    .client()
                    .get(url)
                    .header(AUTHORIZATION, self.header.clone())
                    .header(ACCEPT, "application/json")
            })
            .await
            .map_err(|e| e.into_connector_error(DISPLAY_NAME))?;
        match reply.status {
            204 => Ok(None),
            s if (200..300).contains(&s) => Ok(Some(reply.body)),
            _ => Err(self.refused(&reply)),
        }
    }

    /// A write through the seam: retried only on 429 (a timeout or 5xx may come after Zoho stored
    /// it; the engine then calls `find`). Gives the reply as it came, 4xx included.
    pub(crate) async fn send(
        &self,
        label: &str,
        method: Method,
        url: &str,
        payload: &Payload,
    ) -> Result<HttpReply, ConnectorError> {
        self.seam
            .send_write(label, || {
                let request = self
                    .seam
                    .client()
                    .request(method.clone(), url)
                    .header(AUTHORIZATION, self.header.clone())
                    .header(ACCEPT, "application/json");
                match payload {
                    Payload::Json(value) => request.json(value),
                    Payload::Form { content_type, body } => {
                        request.header(CONTENT_TYPE, content_type.as_str()).body(body.clone())
                    }
                    Payload::Empty => request,
                }
            })
            .await
            .map_err(|e| e.into_connector_error(DISPLAY_NAME))
    }

    /// A CRM record write (`{"data":[…]}` answer): the record's id, or `Rejected` with Zoho's
    /// message — also when the record error comes inside a 2xx answer.
    pub(crate) async fn write_record(
        &self,
        label: &str,
        method: Method,
        url: &str,
        payload: &Payload,
    ) -> Result<String, ConnectorError> {
        let reply = self.send(label, method, url, payload).await?;
        if !reply.is_success() {
            return Err(self.refused(&reply));
        }
        match wire::write_outcome(&reply.body).map_err(errors::parse)? {
            WriteOutcome::Done(id) => Ok(id),
            WriteOutcome::Refused(refusal) => {
                let error = errors::rejected(reply.status, &refusal, &self.secrets());
                tracing::warn!(call = label, status = reply.status, error = %error, "Zoho refused the record");
                Err(error)
            }
        }
    }

    /// The event's links (cached). `Ok(None)`: the event does not exist (204, 404 or
    /// `INVALID_DATA` on reading it).
    pub(crate) async fn event(&self, event_id: &str) -> Result<Option<EventLinks>, ConnectorError> {
        if let Some(links) = self.cached(event_id) {
            return Ok(Some(links));
        }
        let url = self.crm(&format!("/{EVENTS_MODULE}/{}?fields={}", enc(event_id), enc(EVENT_FIELDS)));
        let body = match self.get("GET /Events/{id}", &url).await {
            Ok(Some(body)) => body,
            Ok(None) => return Ok(None),
            Err(ConnectorError::Rejected { status: 404, .. }) => return Ok(None),
            Err(e @ ConnectorError::Rejected { status: 400, .. }) => {
                return if self.is_invalid_data(&e) { Ok(None) } else { Err(e) };
            }
            Err(e) => return Err(e),
        };
        let listing = wire::listing::<EventRow>(Some(&body), "event").map_err(errors::parse)?;
        let Some(row) = listing.data.into_iter().next() else { return Ok(None) };
        let links = EventLinks::from(row);
        if let Ok(mut cache) = self.events.lock() {
            cache.insert(event_id.to_string(), links.clone());
        }
        Ok(Some(links))
    }

    fn cached(&self, event_id: &str) -> Option<EventLinks> {
        self.events.lock().ok().and_then(|c| c.get(event_id).cloned())
    }

    fn is_invalid_data(&self, error: &ConnectorError) -> bool {
        matches!(error, ConnectorError::Rejected { message, .. } if message.contains(INVALID_DATA))
    }

    /// A refusal of a call on `event_id` (400 / 404): when the event itself is gone, say so
    /// (pick the target again); otherwise keep Zoho's refusal.
    pub(crate) async fn explain(&self, event_id: &str, error: ConnectorError) -> ConnectorError {
        let ConnectorError::Rejected { status, message, .. } = &error else { return error };
        if !matches!(status, 400 | 404) && !message.contains(INVALID_DATA) {
            return error;
        }
        if let Ok(mut cache) = self.events.lock() {
            cache.remove(event_id);
        }
        match self.event(event_id).await {
            Ok(None) => errors::target_gone(event_id, *status, Some(message.clone())),
            _ => error,
        }
    }

    /// The event a meeting's items go to: kind `event`, a non-empty id.
    pub(crate) fn event_id<'t>(&self, target: &'t TargetRef) -> Result<&'t str, ConnectorError> {
        let id = target.id.trim();
        if target.kind != TARGET_KIND {
            return Err(ConnectorError::Rejected {
                provider: DISPLAY_NAME.into(),
                status: 0,
                message: format!("Zoho meetings go to an event (got a '{}'): pick the meeting's event", target.kind),
            });
        }
        if !valid_id(id) {
            return Err(errors::target_gone(id, 0, None));
        }
        Ok(id)
    }
}

/// Zoho record ids are digits; Koppel accepts letters, digits, `_` and `-` (1–64), so an id can
/// never change the path it is put in.
pub(crate) fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
}

/// RFC 3986: unreserved characters stay, everything else is `%XX` (ids in paths, query values).
pub(crate) fn enc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn no_envelope() -> ConnectorError {
    ConnectorError::Rejected {
        provider: DISPLAY_NAME.into(),
        status: 0,
        message: "Zoho items hang on the chosen event; there is no separate meeting record".into(),
    }
}

#[async_trait]
impl MeetingApi for ZohoSession {
    /// `GET /crm/v8/users?type=CurrentUser`: the user's name and e-mail.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        targets::probe(self).await
    }

    async fn targets(&self, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
        targets::list(self, query).await
    }

    async fn find(&self, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
        let event = self.event_id(target)?;
        match item.kind {
            ItemKind::Report => reports::find(self, event, item).await,
            ItemKind::Note => notes::find(self, event, item).await,
            ItemKind::Todo => tasks::find(self, event, item).await,
            ItemKind::Meeting => Err(no_envelope()),
        }
    }

    async fn create(&self, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
        let event = self.event_id(target)?;
        match item.kind {
            ItemKind::Report => reports::create(self, event, item).await,
            ItemKind::Note => notes::create(self, event, item).await,
            ItemKind::Todo => tasks::create(self, event, item).await,
            ItemKind::Meeting => Err(no_envelope()),
        }
    }

    async fn revise(&self, target: &TargetRef, previous: &Pushed, item: &PushItem) -> Result<Revision, ConnectorError> {
        let event = self.event_id(target)?;
        match item.kind {
            ItemKind::Report => reports::revise(self, event, previous, item).await,
            ItemKind::Note => notes::revise(self, event, previous, item).await,
            ItemKind::Todo => tasks::revise(self, event, previous, item).await,
            ItemKind::Meeting => Err(no_envelope()),
        }
    }

    fn api_calls(&self) -> u64 {
        self.seam.attempts()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_and_query_values_are_encoded() {
        assert_eq!(enc("4150868000000224005"), "4150868000000224005");
        assert_eq!(enc("../x?y=1&z"), "..%2Fx%3Fy%3D1%26z");
        assert_eq!(enc("(Subject:equals:Bel é)"), "%28Subject%3Aequals%3ABel%20%C3%A9%29");
        assert!(valid_id("4150868000000224005") && valid_id("a_b-1"));
        for bad in ["", "..", "1/2", "1?x", "a b", &"9".repeat(65)] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
