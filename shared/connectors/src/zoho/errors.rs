//! Zoho answers that are not a success → `ConnectorError`, with Zoho's own message (its `code`
//! added, e.g. `required field not found (MANDATORY_NOT_FOUND, Subject)`), at most
//! [`MAX_MESSAGE`] characters, every secret of the connection scrubbed.

use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::DISPLAY_NAME;

/// Longest provider message quoted in an error, in characters.
pub const MAX_MESSAGE: usize = 300;

pub const SIGN_IN_HINT: &str = "Zoho did not accept Koppel's sign-in: access was withdrawn or has expired, it \
lacks a permission Koppel needs (events, notes, tasks, attachments, WorkDrive files, search), or it belongs to \
another Zoho data centre. Sign in with Zoho again from the connection.";

const NO_DETAILS: &str = "(no details in the answer)";

/// A refusal Zoho explained: its `code`, the readable text, and the field it names, if any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ZohoRefusal {
    pub code: Option<String>,
    pub message: String,
    pub field: Option<String>,
}

impl ZohoRefusal {
    /// `message (CODE, field)`, scrubbed and cut.
    pub fn text(&self, secrets: &[&str]) -> String {
        let extra: Vec<&str> = self.code.iter().chain(self.field.iter()).map(String::as_str).collect();
        let text =
            if extra.is_empty() { self.message.clone() } else { format!("{} ({})", self.message, extra.join(", ")) };
        cut(&redact(&text, secrets))
    }
}

/// Reads a request-level error (`{"code","message","details"}`), the first record error of a
/// `data[]` answer, a WorkDrive JSON:API error (`{"errors":[{"id","title"}]}`), an OAuth-style
/// `{"error"}`, or the text itself.
pub fn refusal(body: &str) -> ZohoRefusal {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        let text = body.trim();
        return ZohoRefusal {
            message: if text.is_empty() { NO_DETAILS.into() } else { text.into() },
            ..Default::default()
        };
    };
    if let Some(record) = record_error(&value) {
        return record;
    }
    if let Some(first) = value.get("errors").and_then(Value::as_array).and_then(|a| a.first()) {
        return ZohoRefusal {
            code: first.get("id").and_then(text_of),
            message: first.get("title").and_then(text_of).unwrap_or_else(|| first.to_string()),
            field: None,
        };
    }
    from_object(&value).unwrap_or_else(|| ZohoRefusal {
        message: match &value {
            Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
            Value::Null => NO_DETAILS.into(),
            other => other.to_string(),
        },
        ..Default::default()
    })
}

/// The first `data[]` entry whose `status` is `"error"` (Zoho reports record errors this way even
/// with a 2xx status).
pub fn record_error(value: &Value) -> Option<ZohoRefusal> {
    let data = value.get("data")?.as_array()?;
    data.iter().find(|r| r.get("status").and_then(Value::as_str) == Some("error")).and_then(from_object)
}

fn from_object(value: &Value) -> Option<ZohoRefusal> {
    let object = value.as_object()?;
    let message =
        ["message", "error_description", "error", "title"].iter().find_map(|k| object.get(*k).and_then(text_of));
    let code = object.get("code").and_then(text_of);
    if message.is_none() && code.is_none() {
        return None;
    }
    let details = object.get("details");
    let field = details
        .and_then(|d| d.get("api_name").or_else(|| d.get("param_name")))
        .and_then(text_of)
        .or_else(|| details.and_then(|d| d.get("expected_data_type")).and_then(text_of));
    Some(ZohoRefusal { code, message: message.unwrap_or_else(|| "Zoho refused the request".into()), field })
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn unauthorized(code: Option<&str>) -> ConnectorError {
    let hint = match code {
        Some(code) => format!("{SIGN_IN_HINT} (Zoho said {code}.)"),
        None => SIGN_IN_HINT.to_string(),
    };
    ConnectorError::Unauthorized { provider: DISPLAY_NAME.into(), what: "the Zoho sign-in (access token)".into(), hint }
}

/// A non-success status the seam handed back → the error the engine acts on. (429 and 5xx come
/// from the seam itself once it stops retrying; they are mapped here too for completeness.)
pub fn from_status(status: u16, body: &str, secrets: &[&str]) -> ConnectorError {
    let provider = DISPLAY_NAME.to_string();
    let refusal = refusal(body);
    match status {
        401 => unauthorized(refusal.code.as_deref()),
        403 => ConnectorError::Forbidden { provider, message: refusal.text(secrets) },
        429 => ConnectorError::RateLimited { provider, retry_after_secs: None },
        500..=599 => ConnectorError::Server { provider, status },
        _ => ConnectorError::Rejected { provider, status, message: refusal.text(secrets) },
    }
}

/// A record error inside a 2xx answer → `Rejected` with that status.
pub fn rejected(status: u16, refusal: &ZohoRefusal, secrets: &[&str]) -> ConnectorError {
    ConnectorError::Rejected { provider: DISPLAY_NAME.into(), status, message: refusal.text(secrets) }
}

pub fn parse(message: impl Into<String>) -> ConnectorError {
    ConnectorError::Parse { provider: DISPLAY_NAME.into(), message: message.into() }
}

/// The target event is gone (deleted in Zoho, or not an event of this account).
pub fn target_gone(event_id: &str, status: u16, zoho: Option<String>) -> ConnectorError {
    let said = zoho.map(|m| format!(" Zoho said: {m}")).unwrap_or_default();
    ConnectorError::Rejected {
        provider: DISPLAY_NAME.into(),
        status,
        message: format!(
            "the Zoho event {event_id} chosen for this meeting no longer exists (or this sign-in cannot see it): \
             pick the meeting's event again.{said}"
        ),
    }
}

/// Every occurrence of a secret (4 characters or more) → `***`.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .fold(text.to_string(), |t, s| if t.contains(s) { t.replace(s, "***") } else { t })
}

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_MESSAGE).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &[&str] = &[];

    #[test]
    fn request_and_record_errors_are_read() {
        let r = refusal(r#"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#);
        assert_eq!(r.text(NONE), "invalid oauth token (INVALID_TOKEN)");
        let body = r#"{"data":[{"code":"MANDATORY_NOT_FOUND","details":{"api_name":"Subject"},
            "message":"required field not found","status":"error"}]}"#;
        assert_eq!(refusal(body).text(NONE), "required field not found (MANDATORY_NOT_FOUND, Subject)");
        let ok = r#"{"data":[{"code":"SUCCESS","details":{"id":"1"},"message":"record added","status":"success"}]}"#;
        assert_eq!(record_error(&serde_json::from_str(ok).unwrap_or_default()), None);
        let wd = r#"{"errors":[{"id":"R008","title":"The resource does not exist"}]}"#;
        assert_eq!(refusal(wd).text(NONE), "The resource does not exist (R008)");
        assert_eq!(refusal("").text(NONE), NO_DETAILS);
        assert_eq!(refusal("plain words").text(NONE), "plain words");
    }

    #[test]
    fn statuses_map_to_what_the_engine_acts_on() {
        let e = from_status(401, r#"{"code":"INVALID_TOKEN","message":"invalid oauth token"}"#, NONE);
        assert!(matches!(&e, ConnectorError::Unauthorized { hint, .. } if hint.contains("INVALID_TOKEN")), "{e:?}");
        let e = from_status(403, r#"{"code":"NO_PERMISSION","message":"permission denied"}"#, NONE);
        assert!(matches!(&e, ConnectorError::Forbidden { message, .. } if message.contains("permission denied")));
        let e = from_status(400, r#"{"code":"INVALID_DATA","message":"invalid data"}"#, NONE);
        assert!(
            matches!(&e, ConnectorError::Rejected { status: 400, message, .. } if message == "invalid data (INVALID_DATA)")
        );
        assert!(matches!(from_status(502, "", NONE), ConnectorError::Server { status: 502, .. }));
        assert!(matches!(from_status(429, "", NONE), ConnectorError::RateLimited { .. }));
    }

    #[test]
    fn secrets_are_scrubbed_before_the_cut() {
        let r = refusal(r#"{"message":"token 1000.abcdef.123456 refused"}"#);
        assert_eq!(r.text(&["1000.abcdef.123456"]), "token *** refused");
        let long = refusal(&format!("{}SECRETVALUE", "y".repeat(MAX_MESSAGE - 3)));
        assert!(!long.text(&["SECRETVALUE"]).contains("SEC"));
        assert_eq!(refusal(&"x".repeat(1_000)).text(NONE).chars().count(), MAX_MESSAGE + 1);
    }
}
