//! Flexmail webhook deliveries: checking the verification token and reading the body.
//!
//! The receiver (the `flexmail-webhook` function) calls [`verify`] with the value of [`VERIFICATION_HEADER`] and
//! the token Koppel registered, then [`parse`] with the raw body. Both are pure: no I/O, no
//! logging, nothing secret in any error. Every shape here is an assumption (see
//! [`super::assumptions`]).

use koppel_core::ports::newsletter::{NewsletterEvent, NewsletterEventKind};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::assumptions::{
    EVENT_BOUNCED, EVENT_CLICKED, EVENT_UNSUBSCRIBED, WEBHOOK_CONTACT_FIELD, WEBHOOK_DATA_FIELD, WEBHOOK_EMAIL_FIELD,
    WEBHOOK_EVENT_FIELD, WEBHOOK_ID_FIELD, fallback_event_id,
};

pub use super::assumptions::VERIFICATION_HEADER;

/// Largest body [`parse`] reads (64 KiB); a delivery is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What a valid delivery looks like, quoted in every body error.
pub const EXAMPLE_BODY: &str = concat!(
    r#"{"id": "<event id>", "event_name": "contact.unsubscribed", "#,
    r#""contact": {"id": 123, "email": "someone@example.com"}, "data": {}}"#
);

/// Why a delivery was refused. The texts are for the sender (and logs): they never contain the
/// received or the expected token, nor the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("no verification token is configured for this webhook; register the webhook again")]
    NotConfigured,
    #[error("the request has no {VERIFICATION_HEADER} header; Flexmail sends the webhook's verification token in it")]
    MissingToken,
    #[error("the {VERIFICATION_HEADER} header does not match the verification token registered for this webhook")]
    WrongToken,
    #[error("the body is {size} bytes; at most {MAX_BODY_BYTES} bytes are accepted")]
    TooLarge { size: usize },
    #[error("the body is not a JSON object ({problem}); a valid delivery looks like {EXAMPLE_BODY}")]
    NotJson { problem: String },
    #[error("the body has no `event_name` text; a valid delivery looks like {EXAMPLE_BODY}")]
    MissingEventName,
    #[error("the '{event_name}' event has no `contact.email` text; a valid delivery looks like {EXAMPLE_BODY}")]
    MissingEmail { event_name: String },
}

/// Checks the header against the registered token in constant time. Both sides are hashed
/// (SHA-256) first, so the comparison always runs over 32 bytes and leaks neither the token's
/// content nor its length.
pub fn verify(header_value: Option<&str>, expected: &SecretString) -> Result<(), WebhookError> {
    let expected = expected.expose_secret();
    if expected.is_empty() {
        return Err(WebhookError::NotConfigured);
    }
    let received = header_value.ok_or(WebhookError::MissingToken)?;
    let same = Sha256::digest(received.as_bytes()).ct_eq(&Sha256::digest(expected.as_bytes()));
    if bool::from(same) { Ok(()) } else { Err(WebhookError::WrongToken) }
}

/// Reads one delivery. Unknown but well-formed event names parse as [`NewsletterEventKind::Other`];
/// the event id is `id` (text or number), else the hex SHA-256 of the body.
pub fn parse(body: &[u8]) -> Result<NewsletterEvent, WebhookError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(WebhookError::TooLarge { size: body.len() });
    }
    let map = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        Ok(other) => return Err(WebhookError::NotJson { problem: format!("it is a JSON {}", kind(&other)) }),
        Err(e) => return Err(WebhookError::NotJson { problem: syntax_problem(&e) }),
    };
    let event_name = map
        .get(WEBHOOK_EVENT_FIELD)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .ok_or(WebhookError::MissingEventName)?
        .to_string();
    let event_id = text(&map, WEBHOOK_ID_FIELD).unwrap_or_else(|| fallback_event_id(body));
    let kind = match event_name.as_str() {
        EVENT_UNSUBSCRIBED => NewsletterEventKind::Unsubscribed { email: email(&map, &event_name)? },
        EVENT_CLICKED => NewsletterEventKind::Clicked {
            email: email(&map, &event_name)?,
            campaign: data(&map, "campaign"),
            url: data(&map, "url"),
        },
        EVENT_BOUNCED => {
            NewsletterEventKind::Bounced { email: email(&map, &event_name)?, reason: data(&map, "reason") }
        }
        _ => NewsletterEventKind::Other,
    };
    Ok(NewsletterEvent { event_id, event_name, kind })
}

fn email(map: &Map<String, Value>, event_name: &str) -> Result<String, WebhookError> {
    map.get(WEBHOOK_CONTACT_FIELD)
        .and_then(Value::as_object)
        .and_then(|contact| text(contact, WEBHOOK_EMAIL_FIELD))
        .ok_or_else(|| WebhookError::MissingEmail { event_name: clip(event_name) })
}

fn data(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(WEBHOOK_DATA_FIELD).and_then(Value::as_object).and_then(|d| text(d, key))
}

/// A string (trimmed, non-empty) or a number, as text.
fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// serde_json's syntax errors name a position, never content.
fn syntax_problem(e: &serde_json::Error) -> String {
    format!("invalid JSON at line {} column {}", e.line(), e.column())
}

/// An event name quoted in an error: at most 100 characters.
fn clip(text: &str) -> String {
    text.chars().take(100).collect()
}
