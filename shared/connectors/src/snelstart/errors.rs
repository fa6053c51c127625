//! SnelStart error answers → `ConnectorError`, with the body's message made readable (§1.12
//! variants A, B and C, plus OAuth-style token errors and APIM's `statusCode/message`).

use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::DISPLAY_NAME;
use super::fields::lower_keys;

const MAX_MESSAGE: usize = 300;

/// A non-2xx, non-401 answer that the retry policy handed back.
/// `secrets` are scrubbed from the quoted message.
pub fn from_status(status: u16, body: &str, secrets: &[&str]) -> ConnectorError {
    let provider = DISPLAY_NAME.to_string();
    let message = redact(error_message(body), secrets);
    match status {
        403 => ConnectorError::Forbidden { provider, message },
        429 => ConnectorError::RateLimited { provider, retry_after_secs: None },
        500..=599 => ConnectorError::Server { provider, status },
        _ => ConnectorError::Rejected { provider, status, message },
    }
}

/// The human part of an error body, whatever its shape.
pub fn error_message(body: &str) -> String {
    let text = match serde_json::from_str::<Value>(body).map(lower_keys) {
        Ok(Value::Array(items)) => join(items.iter().filter_map(array_item)),
        Ok(Value::Object(map)) => {
            let value = Value::Object(map);
            model_state(&value).or_else(|| message_field(&value)).unwrap_or_else(|| value.to_string())
        }
        Ok(Value::String(s)) => s,
        _ => body.trim().to_string(),
    };
    let text = text.trim();
    if text.is_empty() {
        return "(no details in the answer)".to_string();
    }
    truncate(text)
}

/// Variant A: `[{"errorCode": "...", "message": "..."}]`.
fn array_item(item: &Value) -> Option<String> {
    let message = item.get("message").and_then(Value::as_str);
    let code = item.get("errorcode").and_then(Value::as_str);
    match (code, message) {
        (Some(c), Some(m)) => Some(format!("{c}: {m}")),
        (None, Some(m)) => Some(m.to_string()),
        (Some(c), None) => Some(c.to_string()),
        (None, None) => item.as_str().map(str::to_string),
    }
}

/// Variant B: `{"modelState": {"field": ["msg", ...]}}` (with an optional `message`).
fn model_state(value: &Value) -> Option<String> {
    let state = value.get("modelstate")?.as_object()?;
    let parts = state.iter().map(|(field, msgs)| {
        let msgs = match msgs {
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if field.is_empty() { msgs } else { format!("{field}: {msgs}") }
    });
    let detail = join(parts);
    Some(match value.get("message").and_then(Value::as_str) {
        Some(m) => format!("{m} ({detail})"),
        None => detail,
    })
}

/// Variant C `{"message"}` / `{"Message"}`, OAuth `{"error","error_description"}`, APIM
/// `{"statusCode","message"}`.
fn message_field(value: &Value) -> Option<String> {
    if let Some(m) = value.get("message").and_then(Value::as_str) {
        return Some(m.to_string());
    }
    let error = value.get("error").and_then(Value::as_str);
    let description = value.get("error_description").and_then(Value::as_str);
    match (error, description) {
        (Some(e), Some(d)) => Some(format!("{e}: {d}")),
        (Some(e), None) => Some(e.to_string()),
        (None, Some(d)) => Some(d.to_string()),
        (None, None) => None,
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join("; ")
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_MESSAGE).collect();
    format!("{cut}…")
}

/// Replaces every occurrence of a secret with `***` (in case an error body echoes one).
pub fn redact(text: String, secrets: &[&str]) -> String {
    secrets.iter().filter(|s| s.len() >= 4).fold(text, |t, s| if t.contains(s) { t.replace(s, "***") } else { t })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &[&str] = &[];

    #[test]
    fn reads_all_error_shapes() {
        let cases = [
            (
                r#"[{"errorCode":"E-123","message":"Relatie bestaat niet"},{"message":"tweede"}]"#,
                "E-123: Relatie bestaat niet; tweede",
            ),
            (
                r#"{"modelState":{"$top":["The value must be between 0 and 500."]}}"#,
                "$top: The value must be between 0 and 500.",
            ),
            (
                r#"{"Message":"The request is invalid.","ModelState":{"model.Naam":["Naam is verplicht","te lang"]}}"#,
                "The request is invalid. (model.naam: Naam is verplicht, te lang)",
            ),
            (
                r#"{"Message":"The query specified in the URI is not valid."}"#,
                "The query specified in the URI is not valid.",
            ),
            (r#"{"message":"klein"}"#, "klein"),
            (r#"{"error":"invalid_grant"}"#, "invalid_grant"),
            (r#"{"error":"invalid_grant","error_description":"unknown key"}"#, "invalid_grant: unknown key"),
            (
                r#"{"statusCode":401,"message":"Access denied due to invalid subscription key."}"#,
                "Access denied due to invalid subscription key.",
            ),
            (r#""plain json string""#, "plain json string"),
            ("<html>Bad gateway</html>", "<html>Bad gateway</html>"),
            ("", "(no details in the answer)"),
            (r#"{"other":1}"#, r#"{"other":1}"#),
        ];
        for (body, expected) in cases {
            assert_eq!(error_message(body), expected, "{body}");
        }
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = "x".repeat(1000);
        assert_eq!(error_message(&body).chars().count(), MAX_MESSAGE + 1);
    }

    #[test]
    fn maps_statuses() {
        assert!(
            matches!(from_status(403, "{\"message\":\"no\"}", NONE), ConnectorError::Forbidden { message, .. } if message == "no")
        );
        assert!(matches!(from_status(400, "[]", NONE), ConnectorError::Rejected { status: 400, .. }));
        assert!(
            matches!(from_status(404, "{\"Message\":\"weg\"}", NONE), ConnectorError::Rejected { status: 404, message, .. } if message == "weg")
        );
        assert!(matches!(from_status(302, "", NONE), ConnectorError::Rejected { status: 302, .. }));
        assert!(matches!(from_status(503, "", NONE), ConnectorError::Server { status: 503, .. }));
    }

    #[test]
    fn secrets_are_scrubbed() {
        assert_eq!(redact("key abcdef used".into(), &["abcdef", ""]), "key *** used");
    }
}
