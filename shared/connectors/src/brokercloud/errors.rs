//! Brokercloud's error answers read into a short message (secrets scrubbed), and refusals mapped
//! to the errors the engine acts on. What the user reads is Brokercloud's own message.

use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::DISPLAY_NAME;
use super::assumptions::{ERRORS_FIELD, MESSAGE_FIELDS};

/// Longest provider message quoted in an error, in characters.
pub const MAX_MESSAGE: usize = 300;

/// What a refused call was about, for the 404 sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Account,
    /// The picked party.
    Party,
    /// An earlier file.
    File,
}

/// A refusal (not 401; 429/5xx normally come from the seam) → the error the engine acts on.
pub fn refused(status: u16, body: &str, subject: Subject, secrets: &[&str]) -> ConnectorError {
    let provider = DISPLAY_NAME.to_string();
    let message = error_message(body, secrets);
    match (status, subject) {
        (401, _) => unauthorized(),
        (403, _) => ConnectorError::Forbidden { provider, message },
        (404, Subject::Party) => ConnectorError::Rejected {
            provider,
            status,
            message: format!(
                "Brokercloud no longer has the party picked for this meeting ({message}): pick the party again"
            ),
        },
        (429, _) => ConnectorError::RateLimited { provider, retry_after_secs: None },
        (500..=599, _) => ConnectorError::Server { provider, status },
        _ => ConnectorError::Rejected { provider, status, message },
    }
}

/// The access token was refused. Koppel refreshes it before every session, so this means the
/// grant was withdrawn or expired: the user signs in again.
pub fn unauthorized() -> ConnectorError {
    ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "Koppel's Brokercloud sign-in (access token)".into(),
        hint: "Brokercloud no longer accepts Koppel's access: reconnect the connection (sign in with Brokercloud \
               again) and make sure the user may open the parties' files."
            .into(),
    }
}

/// The human part of an error body, secrets scrubbed before it is cut.
pub fn error_message(body: &str, secrets: &[&str]) -> String {
    let text = redact(raw_message(body).trim(), secrets);
    if text.is_empty() {
        return "(no details in the answer)".to_string();
    }
    truncate(&text)
}

fn raw_message(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return body.to_string();
    };
    let Some(map) = value.as_object() else {
        return match value {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        };
    };
    let head = MESSAGE_FIELDS
        .iter()
        .find_map(|f| map.get(*f).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()));
    let mut details = Vec::new();
    if let Some(errors) = map.get(ERRORS_FIELD) {
        collect(errors, &mut details);
    }
    match (head, details.is_empty()) {
        (Some(h), true) => h.to_string(),
        (Some(h), false) => format!("{h} ({})", details.join("; ")),
        (None, false) => details.join("; "),
        (None, true) => value.to_string(),
    }
}

/// Every text under an `errors` tree (FOSRest nests them under `children.{field}.errors`).
fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect(v, out)),
        _ => {}
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
    fn reads_the_error_shapes() {
        let cases = [
            (
                r#"{"code":400,"message":"Validation Failed","errors":{"children":{"file":{"errors":["This file type is not allowed."]},"description":{}}}}"#,
                "Validation Failed (This file type is not allowed.)",
            ),
            (
                r#"{"error":"invalid_grant","error_description":"The access token provided has expired."}"#,
                "The access token provided has expired.",
            ),
            (r#"{"error":"access_denied"}"#, "access_denied"),
            (r#"{"code":404,"message":"Party not found"}"#, "Party not found"),
            ("<html>502</html>", "<html>502</html>"),
            ("", "(no details in the answer)"),
        ];
        for (body, expected) in cases {
            assert_eq!(error_message(body, NONE), expected, "{body}");
        }
    }

    #[test]
    fn maps_refusals() {
        let e = refused(404, r#"{"message":"Party 9 not found"}"#, Subject::Party, NONE);
        assert!(matches!(&e, ConnectorError::Rejected { status: 404, message, .. }
            if message.contains("pick the party again") && message.contains("Party 9 not found")));
        assert!(matches!(refused(404, "{}", Subject::File, NONE), ConnectorError::Rejected { status: 404, .. }));
        assert!(matches!(refused(401, "{}", Subject::Account, NONE), ConnectorError::Unauthorized { .. }));
        assert!(matches!(refused(403, "{}", Subject::Account, NONE), ConnectorError::Forbidden { .. }));
        assert!(matches!(refused(503, "", Subject::Party, NONE), ConnectorError::Server { status: 503, .. }));
        let secret = "tok-0123456789";
        let e = refused(400, &format!(r#"{{"message":"bad token {secret}"}}"#), Subject::Party, &[secret]);
        assert!(matches!(e, ConnectorError::Rejected { message, .. } if message == "bad token ***"));
    }
}
