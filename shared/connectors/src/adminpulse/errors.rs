//! AdminPulse answers that are not a success → `ConnectorError`. The provider's message is kept
//! readable (at most [`MAX_MESSAGE`] characters) with every secret scrubbed; error bodies are
//! [U] (AP-1 lists the statuses only), so any `message`-like field or plain text is quoted.

use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::DISPLAY_NAME;
use super::assumptions::{NOT_READY_DEFAULT_MESSAGE, NOT_READY_STATUS};

/// Longest provider message quoted in an error, in characters.
pub const MAX_MESSAGE: usize = 300;

/// Which bearer the session sends: it decides what a 401 tells the user to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bearer {
    /// A key a user made in AdminPulse (My profile > API keys).
    ApiKey,
    /// An OAuth access token from "sign in with AdminPulse".
    AccessToken,
}

pub const API_KEY_HINT: &str = "AdminPulse did not accept the API key: it is wrong, expired or withdrawn, or it \
lacks the scope 'Read relations'. Make a key in AdminPulse under My profile > API keys with the scope 'Read \
relations' (admin rights needed) and paste it in the connection.";
pub const ACCESS_TOKEN_HINT: &str = "AdminPulse did not accept Koppel's sign-in: access was withdrawn or has \
expired, or it does not include reading relations ('Read relations'). Sign in with AdminPulse again from the \
connection.";

pub fn unauthorized(bearer: Bearer) -> ConnectorError {
    let (what, hint) = match bearer {
        Bearer::ApiKey => ("the API key", API_KEY_HINT),
        Bearer::AccessToken => ("the AdminPulse sign-in (access token)", ACCESS_TOKEN_HINT),
    };
    ConnectorError::Unauthorized { provider: DISPLAY_NAME.into(), what: what.into(), hint: hint.into() }
}

/// A non-success status the seam handed back (4xx, or a 429/5xx it stopped retrying is mapped by
/// the seam itself) → the error the engine acts on. `secrets` are scrubbed from quoted text.
pub fn from_status(status: u16, body: &str, bearer: Bearer, secrets: &[&str]) -> ConnectorError {
    let provider = DISPLAY_NAME.to_string();
    match status {
        401 => unauthorized(bearer),
        403 => ConnectorError::Forbidden { provider, message: error_message(body, secrets) },
        s if s == NOT_READY_STATUS => {
            let message = Some(error_message(body, secrets))
                .filter(|m| m != NO_DETAILS)
                .unwrap_or_else(|| NOT_READY_DEFAULT_MESSAGE.to_string());
            // `Retry-After` is not read here: the seam's reply carries no headers. The engine then
            // asks again after its own default wait.
            ConnectorError::NotReady { provider, message, retry_after_secs: None }
        }
        429 => ConnectorError::RateLimited { provider, retry_after_secs: None },
        500..=599 => ConnectorError::Server { provider, status },
        _ => ConnectorError::Rejected { provider, status, message: error_message(body, secrets) },
    }
}

const NO_DETAILS: &str = "(no details in the answer)";

/// The human part of an error body: `message` / `Message` / `error_description` / `error` /
/// `title` of a JSON object, a JSON string, or the text itself. Scrubbed before it is cut, so
/// a cut cannot leave half a secret behind.
pub fn error_message(body: &str, secrets: &[&str]) -> String {
    let text = match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => ["message", "Message", "error_description", "error", "title", "detail"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .map(str::to_string)
            .unwrap_or_else(|| Value::Object(map).to_string()),
        Ok(Value::String(s)) => s,
        _ => body.to_string(),
    };
    let text = redact(text.trim(), secrets);
    if text.trim().is_empty() {
        return NO_DETAILS.to_string();
    }
    if text.chars().count() <= MAX_MESSAGE {
        return text;
    }
    let cut: String = text.chars().take(MAX_MESSAGE).collect();
    format!("{cut}…")
}

/// Every occurrence of a secret (4 characters or more) → `***`.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .fold(text.to_string(), |t, s| if t.contains(s) { t.replace(s, "***") } else { t })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &[&str] = &[];

    #[test]
    fn statuses_map_to_what_the_engine_acts_on() {
        let e = from_status(401, "{}", Bearer::ApiKey, NONE);
        assert!(matches!(&e, ConnectorError::Unauthorized { hint, .. } if hint.contains("Read relations")), "{e:?}");
        let e = from_status(401, "{}", Bearer::AccessToken, NONE);
        assert!(
            matches!(&e, ConnectorError::Unauthorized { what, hint, .. }
            if what.contains("sign-in") && hint.contains("Sign in with AdminPulse again")),
            "{e:?}"
        );
        assert!(matches!(from_status(403, r#"{"message":"nee"}"#, Bearer::ApiKey, NONE),
            ConnectorError::Forbidden { message, .. } if message == "nee"));
        assert!(matches!(from_status(409, r#"{"message":"still syncing"}"#, Bearer::ApiKey, NONE),
            ConnectorError::NotReady { message, retry_after_secs: None, .. } if message == "still syncing"));
        assert!(matches!(from_status(409, "", Bearer::ApiKey, NONE),
            ConnectorError::NotReady { message, .. } if message == NOT_READY_DEFAULT_MESSAGE));
        assert!(matches!(from_status(400, "bad page", Bearer::ApiKey, NONE),
            ConnectorError::Rejected { status: 400, message, .. } if message == "bad page"));
        assert!(matches!(from_status(404, "", Bearer::ApiKey, NONE), ConnectorError::Rejected { status: 404, .. }));
        assert!(matches!(from_status(503, "", Bearer::ApiKey, NONE), ConnectorError::Server { status: 503, .. }));
        assert!(matches!(from_status(429, "", Bearer::ApiKey, NONE), ConnectorError::RateLimited { .. }));
    }

    #[test]
    fn messages_are_read_scrubbed_and_cut() {
        assert_eq!(error_message(r#"{"Message":"weg"}"#, NONE), "weg");
        assert_eq!(error_message(r#"{"error":"invalid_token"}"#, NONE), "invalid_token");
        assert_eq!(error_message(r#""tekst""#, NONE), "tekst");
        assert_eq!(error_message(r#"{"other":1}"#, NONE), r#"{"other":1}"#);
        assert_eq!(error_message("  ", NONE), NO_DETAILS);
        assert_eq!(error_message("key sk-12345678 refused", &["sk-12345678", ""]), "key *** refused");
        assert_eq!(error_message(&"x".repeat(1_000), NONE).chars().count(), MAX_MESSAGE + 1);
        let long_secret = format!("{}SECRETVALUE", "y".repeat(MAX_MESSAGE - 3));
        assert!(!error_message(&long_secret, &["SECRETVALUE"]).contains("SEC"), "scrubbed before the cut");
    }
}
