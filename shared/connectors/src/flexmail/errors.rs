//! Flexmail answers that are not a success → `ConnectorError`, with the provider's message kept
//! readable (at most [`MAX_MESSAGE`] characters) and every secret scrubbed from it.

use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::DISPLAY_NAME;
use super::assumptions::{ERROR_ITEM_FIELD, ERROR_LIST_FIELD, ERROR_MESSAGE_FIELD};

/// Longest provider message quoted in an error, in characters.
pub const MAX_MESSAGE: usize = 300;

/// What the user reads on a 401.
pub const UNAUTHORIZED_HINT: &str =
    "Check the account id and the personal access token in Flexmail under Settings > API > Personal access tokens.";

/// A non-success status → the error the engine acts on. `retry_after_secs` is what a 429's
/// `Retry-After` asked for; `secrets` are scrubbed from the quoted message.
pub fn from_status(status: u16, body: &str, retry_after_secs: Option<u64>, secrets: &[&str]) -> ConnectorError {
    let provider = DISPLAY_NAME.to_string();
    match status {
        401 => ConnectorError::Unauthorized {
            provider,
            what: "the account id or personal access token".into(),
            hint: UNAUTHORIZED_HINT.into(),
        },
        403 => ConnectorError::Forbidden { provider, message: error_message(body, secrets) },
        429 => ConnectorError::RateLimited { provider, retry_after_secs },
        500..=599 => ConnectorError::Server { provider, status },
        _ => ConnectorError::Rejected { provider, status, message: error_message(body, secrets) },
    }
}

/// The human part of an error body, whatever its shape: `{"message", "errors": [{"field",
/// "message"}]}` (the assumed shape), other JSON, plain text or nothing. Secrets are scrubbed
/// before the text is cut, so a cut cannot leave half a secret behind.
pub fn error_message(body: &str, secrets: &[&str]) -> String {
    let text = match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => {
            let value = Value::Object(map);
            described(&value).unwrap_or_else(|| value.to_string())
        }
        Ok(Value::String(s)) => s,
        Ok(Value::Null) | Err(_) => body.to_string(),
        Ok(other) => other.to_string(),
    };
    let text = redact(text.trim(), secrets);
    if text.is_empty() {
        return "(no details in the answer)".to_string();
    }
    truncate(&text)
}

/// `message` plus the per-field `errors`, or a problem-details `detail`/`title`.
fn described(value: &Value) -> Option<String> {
    let message = [ERROR_MESSAGE_FIELD, "detail", "title", "error"]
        .iter()
        .find_map(|k| value.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let errors = value
        .get(ERROR_LIST_FIELD)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(field_error).collect::<Vec<_>>().join("; "));
    match (message, errors.filter(|e| !e.is_empty())) {
        (Some(m), Some(e)) => Some(format!("{m} ({e})")),
        (Some(m), None) => Some(m.to_string()),
        (None, Some(e)) => Some(e),
        (None, None) => None,
    }
}

fn field_error(item: &Value) -> Option<String> {
    if let Some(text) = item.as_str() {
        return Some(text.to_string());
    }
    let field = item.get(ERROR_ITEM_FIELD).and_then(Value::as_str).filter(|f| !f.is_empty());
    let message = item.get(ERROR_MESSAGE_FIELD).and_then(Value::as_str);
    match (field, message) {
        (Some(f), Some(m)) => Some(format!("{f}: {m}")),
        (None, Some(m)) => Some(m.to_string()),
        (Some(f), None) => Some(f.to_string()),
        (None, None) => None,
    }
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
    fn reads_error_shapes() {
        let cases = [
            (
                r#"{"message":"Invalid contact","errors":[{"field":"email","message":"is not valid"},{"x":1}]}"#,
                "Invalid contact (email: is not valid)",
            ),
            (r#"{"message":"Not found"}"#, "Not found"),
            (r#"{"errors":[{"field":"limit","message":"max 500"}]}"#, "limit: max 500"),
            (r#"{"title":"Bad Request","detail":"limit too large"}"#, "limit too large"),
            (r#""plain""#, "plain"),
            (r#"{"other":1}"#, r#"{"other":1}"#),
            ("[1,2]", "[1,2]"),
            ("<html>oops</html>", "<html>oops</html>"),
            ("", "(no details in the answer)"),
            ("null", "null"),
        ];
        for (body, expected) in cases {
            assert_eq!(error_message(body, NONE), expected, "{body}");
        }
    }

    #[test]
    fn long_messages_are_cut_after_scrubbing() {
        let secret = "s3cret-token-value";
        let body = format!("{}{secret}", "x".repeat(290));
        let message = error_message(&body, &[secret]);
        assert!(!message.contains("s3cret"), "{message}");
        assert_eq!(message.chars().count(), 293);
        assert_eq!(error_message(&"y".repeat(1000), NONE).chars().count(), MAX_MESSAGE + 1);
    }

    #[test]
    fn maps_statuses() {
        let unauthorized = from_status(401, "", None, NONE);
        assert!(matches!(unauthorized, ConnectorError::Unauthorized { hint, .. } if hint == UNAUTHORIZED_HINT));
        let forbidden = from_status(403, r#"{"message":"no"}"#, None, NONE);
        assert!(matches!(forbidden, ConnectorError::Forbidden { message, .. } if message == "no"));
        assert_eq!(
            from_status(429, "", Some(9), NONE),
            ConnectorError::RateLimited { provider: "Flexmail".into(), retry_after_secs: Some(9) }
        );
        assert!(matches!(from_status(503, "", None, NONE), ConnectorError::Server { status: 503, .. }));
        assert!(matches!(from_status(422, "{}", None, NONE), ConnectorError::Rejected { status: 422, .. }));
        assert!(matches!(from_status(302, "", None, NONE), ConnectorError::Rejected { status: 302, .. }));
    }

    #[test]
    fn short_strings_are_not_treated_as_secrets() {
        assert_eq!(redact("abc abcd", &["abc", "abcd", ""]), "abc ***");
    }
}
