//! Admin IS error answers: `{"ErrorMessage": "…"}` or an array of them (S), read into a short
//! message with every secret scrubbed, and the 403s told apart (throttling, permission, other).

use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::DISPLAY_NAME;
use super::assumptions::{NO_PERMISSION_TEXT, NOTHING_FOUND_TEXTS, THROTTLED_TEXT};

/// Longest provider message quoted in an error, in characters.
pub const MAX_MESSAGE: usize = 300;

/// What a 403 means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Over the install's `RateLimit`: wait and try again.
    Throttled,
    /// The API key has no access to this endpoint in the office's configuration.
    NoPermission,
    Other,
}

pub fn classify_403(body: &str) -> Refusal {
    let text = raw_message(body).to_lowercase();
    if text.contains(THROTTLED_TEXT) {
        Refusal::Throttled
    } else if text.contains(NO_PERMISSION_TEXT) {
        Refusal::NoPermission
    } else {
        Refusal::Other
    }
}

/// Whether a 404 means "empty result".
pub fn is_nothing_found(body: &str) -> bool {
    let text = raw_message(body).to_lowercase();
    NOTHING_FOUND_TEXTS.iter().any(|t| text.contains(t))
}

/// A refused call (not 401, not a throttling 403, not a 404 "nothing found") → the error the
/// engine acts on. `endpoint` names the call without ids (`customers`); `secrets` are scrubbed.
pub fn from_status(status: u16, body: &str, endpoint: &str, secrets: &[&str]) -> ConnectorError {
    let provider = DISPLAY_NAME.to_string();
    let message = error_message(body, secrets);
    match status {
        403 => match classify_403(body) {
            Refusal::NoPermission => ConnectorError::Forbidden { provider, message: no_permission(endpoint, &message) },
            _ => ConnectorError::Forbidden { provider, message },
        },
        429 => ConnectorError::RateLimited { provider, retry_after_secs: None },
        500..=599 => ConnectorError::Server { provider, status },
        _ => ConnectorError::Rejected { provider, status, message },
    }
}

/// The permission 403, with what the office has to do about it.
fn no_permission(endpoint: &str, message: &str) -> String {
    format!(
        "the API key may not read /api/v1/{endpoint} ({message}). Ask the office to allow this endpoint for \
         Koppel's API key in the Syneton management console (API configuration), then test again"
    )
}

/// The human part of an error body: every `ErrorMessage` joined with "; ", other JSON or text as
/// it is; secrets scrubbed before the text is cut.
pub fn error_message(body: &str, secrets: &[&str]) -> String {
    let text = redact(raw_message(body).trim(), secrets);
    if text.is_empty() {
        return "(no details in the answer)".to_string();
    }
    truncate(&text)
}

fn raw_message(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Array(items)) => {
            let parts: Vec<String> = items.iter().filter_map(message_of).collect();
            if parts.is_empty() { Value::Array(items).to_string() } else { parts.join("; ") }
        }
        Ok(Value::Object(map)) => {
            let value = Value::Object(map);
            message_of(&value).unwrap_or_else(|| value.to_string())
        }
        Ok(Value::String(s)) => s,
        Ok(Value::Null) | Err(_) => body.to_string(),
        Ok(other) => other.to_string(),
    }
}

/// `ErrorMessage` (any key case, also `Message`), or a plain string item.
fn message_of(item: &Value) -> Option<String> {
    if let Some(s) = item.as_str() {
        return Some(s.to_string());
    }
    let map = item.as_object()?;
    ["errormessage", "message"].iter().find_map(|wanted| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(wanted))
            .and_then(|(_, v)| v.as_str())
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_string)
    })
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_MESSAGE).collect();
    format!("{cut}…")
}

/// Replaces every occurrence of a secret (four characters or longer) with `***`.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    secrets.iter().filter(|s| s.len() >= 4).fold(text.to_string(), |t, s| t.replace(s, "***"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &[&str] = &[];

    #[test]
    fn reads_both_error_shapes() {
        let cases = [
            (r#"{"ErrorMessage":"Nothing found"}"#, "Nothing found"),
            (
                r#"[{"ErrorMessage":"Name is required"},{"ErrorMessage":"VATNr is invalid"}]"#,
                "Name is required; VATNr is invalid",
            ),
            (r#"{"errorMessage":"lower case key"}"#, "lower case key"),
            (r#"{"Message":"An error has occurred."}"#, "An error has occurred."),
            (r#"{"other":1}"#, r#"{"other":1}"#),
            ("[]", "[]"),
            (r#""plain""#, "plain"),
            ("<html>Bad gateway</html>", "<html>Bad gateway</html>"),
            ("", "(no details in the answer)"),
        ];
        for (body, expected) in cases {
            assert_eq!(error_message(body, NONE), expected, "{body}");
        }
    }

    #[test]
    fn tells_the_403s_apart() {
        let throttled = r#"{"ErrorMessage":"You are throttling the system. Please wait."}"#;
        let permission = r#"{"ErrorMessage":"There is no valid configuration for token abc"}"#;
        assert_eq!(classify_403(throttled), Refusal::Throttled);
        assert_eq!(classify_403(permission), Refusal::NoPermission);
        assert_eq!(classify_403(r#"[{"ErrorMessage":"you are throttling the system"}]"#), Refusal::Throttled);
        assert_eq!(classify_403(r#"{"ErrorMessage":"Forbidden"}"#), Refusal::Other);
        let err = from_status(403, permission, "customers", &["abc-token"]);
        let ConnectorError::Forbidden { message, .. } = err else { panic!("forbidden") };
        assert!(message.contains("/api/v1/customers") && message.contains("management console"), "{message}");
    }

    #[test]
    fn nothing_found_is_recognised() {
        assert!(is_nothing_found(r#"{"ErrorMessage":"Nothing found"}"#));
        assert!(is_nothing_found(r#"[{"ErrorMessage":"nothing found for this filter"}]"#));
        assert!(!is_nothing_found(r#"{"ErrorMessage":"Customer does not exist"}"#));
        assert!(!is_nothing_found(""));
    }

    #[test]
    fn maps_statuses() {
        assert!(matches!(from_status(400, "{}", "customers", NONE), ConnectorError::Rejected { status: 400, .. }));
        assert!(matches!(from_status(414, "", "customers", NONE), ConnectorError::Rejected { status: 414, .. }));
        assert!(matches!(from_status(503, "", "customers", NONE), ConnectorError::Server { status: 503, .. }));
        assert!(matches!(from_status(429, "", "customers", NONE), ConnectorError::RateLimited { .. }));
        let other = from_status(403, r#"{"ErrorMessage":"nope"}"#, "customers", NONE);
        assert!(matches!(other, ConnectorError::Forbidden { message, .. } if message == "nope"));
    }

    #[test]
    fn secrets_are_scrubbed_before_cutting() {
        let secret = "k3y-0123456789";
        let body = format!(r#"{{"ErrorMessage":"{}{secret}"}}"#, "x".repeat(295));
        let message = error_message(&body, &[secret, "abc"]);
        assert!(!message.contains("k3y"), "{message}");
        assert_eq!(error_message(&"y".repeat(1000), NONE).chars().count(), MAX_MESSAGE + 1);
    }
}
