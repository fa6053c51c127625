//! Every Flexmail behaviour Koppel depends on that no official source confirms — the (U) items
//! of the provider research (`accounting-crm-newsletter.md` §2) as fixed in the wire contract
//! (`docs/connectors/flexmail-wire.md`, last table), plus the (S) limit that is easy to get
//! wrong. Nothing else in the connector hard-codes these; when one turns out differently against
//! the live API, this file is the one to change. The sandbox (`infra/sandbox/src/flexmail/`)
//! implements the same choices.

use chrono::{DateTime, Utc};
use koppel_core::ports::newsletter::ImportState;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::http::RetryAfter;

/// Largest `limit` a list call may ask for. (S FM-3: max 500; FM-1 pages with 500.) The sandbox
/// answers 400 above it, so the connector never asks for more.
pub const MAX_LIMIT: u32 = 500;

/// Records per `POST /contacts/imports/{id}/records` call. (U "import records per call") A larger
/// batch is refused locally, before any request is made.
pub const IMPORT_RECORDS_PER_CALL: usize = 500;

/// The path prefix of the `Location` header of `201 Created` after `POST /contacts`.
/// (U "create answer") The id is read from the answer's body (`{"id": 123, ...}`, S FM-2), else
/// from `Location: /contacts/{id}`, else it is unknown and the engine searches by e-mail
/// (the Craft plugin does that, S FM-5).
pub const CONTACT_LOCATION_PREFIX: &str = "/contacts/";

/// The same rule for `POST /webhooks` (its answer carries the id in the body per S FM-4; the
/// `Location` fallback is Koppel's choice, by analogy with contacts). (U)
pub const WEBHOOK_LOCATION_PREFIX: &str = "/webhooks/";

/// The last path segment after `prefix` in a `Location` header value (absolute URL or path), if
/// it is a single non-empty segment. (U "create answer")
pub fn id_from_location(location: &str, prefix: &str) -> Option<String> {
    let path = match location.find("://") {
        Some(scheme_end) => {
            let rest = &location[scheme_end + 3..];
            rest.find('/').map_or("", |i| &rest[i..])
        }
        None => location,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let start = path.rfind(prefix)? + prefix.len();
    let id = path[start..].trim_end_matches('/');
    (!id.is_empty() && !id.contains('/')).then(|| id.to_string())
}

/// Whether a contact row is subscribed. (U "unsubscribed state in list rows") A boolean
/// `subscribed`; missing (or not a boolean) means subscribed.
pub fn subscribed(row: &Value) -> bool {
    row.get("subscribed").and_then(Value::as_bool).unwrap_or(true)
}

/// Import job status names. (U "import status names") `idle` is S (FM-6); the others are U.
pub const IMPORT_IDLE: &str = "idle";
pub const IMPORT_QUEUED: &str = "queued";
pub const IMPORT_PROCESSING: &str = "processing";
pub const IMPORT_FINISHED: &str = "finished";
pub const IMPORT_FAILED: &str = "failed";

/// An import job's `status` as Koppel's state; `None` for a name the contract does not know
/// (the connector then reports a parse error naming it, so the table here can be extended).
/// (U "import status names")
pub fn import_state(status: &str) -> Option<ImportState> {
    match status.trim().to_ascii_lowercase().as_str() {
        IMPORT_IDLE | IMPORT_QUEUED | IMPORT_PROCESSING => Some(ImportState::Pending),
        IMPORT_FINISHED => Some(ImportState::Done),
        IMPORT_FAILED => Some(ImportState::Failed),
        _ => None,
    }
}

/// Webhook event names Koppel acts on. (U "webhook event names") Read the real catalogue with
/// `GET /webhook-events`; any other name parses as `NewsletterEventKind::Other`.
pub const EVENT_UNSUBSCRIBED: &str = "contact.unsubscribed";
pub const EVENT_CLICKED: &str = "contact.clicked";
pub const EVENT_BOUNCED: &str = "contact.bounced";

/// The request header that carries the webhook's verification token, compared (in constant time)
/// with the token Koppel registered. (U "webhook verification": header, plain echo of the
/// registered token, no HMAC.)
pub const VERIFICATION_HEADER: &str = "X-Flexmail-Verification-Token";

/// Webhook body keys. (U "webhook body") `{"id", "event_name", "created_at",
/// "contact": {"id", "email"}, "data": {"campaign", "url", "reason"}}`, `data` keys optional.
pub const WEBHOOK_ID_FIELD: &str = "id";
pub const WEBHOOK_EVENT_FIELD: &str = "event_name";
pub const WEBHOOK_CONTACT_FIELD: &str = "contact";
pub const WEBHOOK_EMAIL_FIELD: &str = "email";
pub const WEBHOOK_DATA_FIELD: &str = "data";

/// The event id of a delivery without an `id`: the lowercase hex SHA-256 of the raw body, so a
/// re-delivery of the same bytes is recognised as the same event. (U "webhook body")
pub fn fallback_event_id(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// How long a 429 asks to wait, in whole seconds. (U "429": `Retry-After: <seconds>`; S FM-3: 60
/// calls per rolling minute.) The HTTP-date form is read too (via `crate::http::RetryAfter`); a
/// missing or unreadable header gives `None`, and the engine falls back to its own budget.
pub fn retry_after_secs(header: Option<&str>, now: DateTime<Utc>) -> Option<u64> {
    let wait = RetryAfter::parse(header?)?.wait_from(now);
    Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
}

/// Error body keys: `{"message": "...", "errors": [{"field": "email", "message": "..."}]}`.
/// (U "error body") Any other JSON, or none, is quoted as text.
pub const ERROR_MESSAGE_FIELD: &str = "message";
pub const ERROR_LIST_FIELD: &str = "errors";
pub const ERROR_ITEM_FIELD: &str = "field";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_from_location() {
        let cases = [
            ("/contacts/123", Some("123")),
            ("/contacts/123/", Some("123")),
            ("https://api.flexmail.eu/contacts/77?x=1", Some("77")),
            ("http://127.0.0.1:9/base/contacts/5", Some("5")),
            ("/contacts/", None),
            ("/contacts/1/interest-subscriptions", None),
            ("/sources/1", None),
            ("", None),
        ];
        for (location, expected) in cases {
            assert_eq!(id_from_location(location, CONTACT_LOCATION_PREFIX).as_deref(), expected, "{location}");
        }
    }

    #[test]
    fn subscribed_defaults_to_true() {
        assert!(subscribed(&json!({})));
        assert!(subscribed(&json!({"subscribed": null})));
        assert!(subscribed(&json!({"subscribed": true})));
        assert!(!subscribed(&json!({"subscribed": false})));
    }

    #[test]
    fn import_states() {
        for (status, state) in [
            ("idle", Some(ImportState::Pending)),
            ("queued", Some(ImportState::Pending)),
            ("Processing", Some(ImportState::Pending)),
            ("finished", Some(ImportState::Done)),
            ("failed", Some(ImportState::Failed)),
            ("exploded", None),
        ] {
            assert_eq!(import_state(status), state, "{status}");
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 1994, 11, 6, 8, 49, 30).single().unwrap_or_default();
        assert_eq!(retry_after_secs(Some("12"), now), Some(12));
        assert_eq!(retry_after_secs(Some("Sun, 06 Nov 1994 08:49:37 GMT"), now), Some(7));
        assert_eq!(retry_after_secs(Some("soon"), now), None);
        assert_eq!(retry_after_secs(None, now), None);
    }

    #[test]
    fn fallback_ids_are_sha256_hex() {
        assert_eq!(fallback_event_id(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
