//! Fid-Manager's error answers read into a short message (secrets scrubbed), and refusals mapped
//! to the errors the engine acts on. What the user reads is Fid-Manager's own message.

use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::DISPLAY_NAME;
use super::assumptions::{LOGIN_REFUSED_STATUSES, MESSAGE_FIELDS, VALIDATION_ERRORS_FIELD};

/// Longest provider message quoted in an error, in characters.
pub const MAX_MESSAGE: usize = 300;

/// What a refused call was about, for the 404 sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A list or a check that names no target.
    Account,
    /// The picked client (and folder).
    Target,
    /// An earlier document.
    Document,
}

/// A refusal (not 401, not 429/5xx which the seam reports) → the error the engine acts on.
pub fn refused(status: u16, body: &str, subject: Subject, secrets: &[&str]) -> ConnectorError {
    let provider = DISPLAY_NAME.to_string();
    let message = error_message(body, secrets);
    match (status, subject) {
        (403, _) => ConnectorError::Forbidden { provider, message },
        (404, Subject::Target) => ConnectorError::Rejected {
            provider,
            status,
            message: format!(
                "Fid-Manager no longer has the client or folder picked for this meeting ({message}): pick the target \
                 again"
            ),
        },
        (429, _) => ConnectorError::RateLimited { provider, retry_after_secs: None },
        (500..=599, _) => ConnectorError::Server { provider, status },
        _ => ConnectorError::Rejected { provider, status, message },
    }
}

/// The sign-in was refused: which fields to check, with Fid-Manager's words.
pub fn login_refused(status: u16, body: &str, secrets: &[&str]) -> Option<ConnectorError> {
    LOGIN_REFUSED_STATUSES.contains(&status).then(|| ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "the Fid-Manager sign-in (user name, password and partner code)".into(),
        hint: format!(
            "Fid-Manager answered: {}. Use the user name and password from Fid-Manager's API mail (not your own \
             Fid-Manager login) and the partner code in the connection's settings, then test again.",
            error_message(body, secrets)
        ),
    })
}

/// A call refused with a fresh session token.
pub fn token_refused() -> ConnectorError {
    ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "Koppel's Fid-Manager session".into(),
        hint: "Fid-Manager signed Koppel in but then refused the call: check that this user may use the API and \
               its partner code is active, then test the connection again."
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
    let details: Vec<String> = match map.get(VALIDATION_ERRORS_FIELD) {
        Some(Value::Object(fields)) => {
            fields.iter().flat_map(|(field, v)| texts(v).into_iter().map(move |t| format!("{field}: {t}"))).collect()
        }
        Some(other) => texts(other),
        None => Vec::new(),
    };
    match (head, details.is_empty()) {
        (Some(h), true) => h.to_string(),
        (Some(h), false) => format!("{h} ({})", details.join("; ")),
        (None, false) => details.join("; "),
        (None, true) => value.to_string(),
    }
}

fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.trim().to_string()],
        Value::Array(items) => items.iter().flat_map(texts).collect(),
        Value::Null => Vec::new(),
        other => vec![other.to_string()],
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
            (r#"{"message":"Unknown client"}"#, "Unknown client"),
            (
                r#"{"title":"One or more validation errors occurred.","status":400,"errors":{"file":["The file is empty."]}}"#,
                "One or more validation errors occurred. (file: The file is empty.)",
            ),
            (r#"{"errors":["a","b"]}"#, "a; b"),
            (r#"{"other":1}"#, r#"{"other":1}"#),
            ("<html>Bad gateway</html>", "<html>Bad gateway</html>"),
            (r#""plain""#, "plain"),
            ("", "(no details in the answer)"),
        ];
        for (body, expected) in cases {
            assert_eq!(error_message(body, NONE), expected, "{body}");
        }
    }

    #[test]
    fn maps_refusals() {
        let e = refused(404, r#"{"message":"Client 9 not found"}"#, Subject::Target, NONE);
        assert!(matches!(&e, ConnectorError::Rejected { status: 404, message, .. }
            if message.contains("pick the target again") && message.contains("Client 9 not found")));
        let e = refused(404, "{}", Subject::Document, NONE);
        assert!(matches!(e, ConnectorError::Rejected { status: 404, .. }));
        assert!(matches!(refused(403, "{}", Subject::Account, NONE), ConnectorError::Forbidden { .. }));
        assert!(matches!(refused(502, "", Subject::Target, NONE), ConnectorError::Server { status: 502, .. }));
        let e = refused(400, r#"{"message":"File type .exe is not allowed"}"#, Subject::Target, NONE);
        assert!(
            matches!(e, ConnectorError::Rejected { status: 400, message, .. } if message == "File type .exe is not allowed")
        );
    }

    #[test]
    fn the_sign_in_refusal_names_the_fields_and_hides_the_password() {
        let e = login_refused(401, r#"{"message":"Wrong password s3cr3t-pw"}"#, &["s3cr3t-pw"]);
        let Some(ConnectorError::Unauthorized { hint, .. }) = e else { panic!("unauthorized") };
        assert!(hint.contains("partner code") && hint.contains("Wrong password ***"), "{hint}");
        assert!(login_refused(500, "", NONE).is_none());
    }

    #[test]
    fn secrets_are_scrubbed_before_cutting() {
        let secret = "p4ssw0rd-0123456789";
        let body = format!(r#"{{"message":"{}{secret}"}}"#, "x".repeat(295));
        assert!(!error_message(&body, &[secret]).contains("p4ss"));
        assert_eq!(error_message(&"y".repeat(1000), NONE).chars().count(), MAX_MESSAGE + 1);
    }
}
