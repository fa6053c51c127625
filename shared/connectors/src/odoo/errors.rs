//! Odoo's JSON-2 refusals → `ConnectorError`. A JSON-2 error body is `{name, message, arguments,
//! context, debug}` [C]: Koppel shows `message` (else `arguments[0]`), never `debug` (a server
//! traceback), cut to [`MAX_MESSAGE`] characters with the connection's key scrubbed.

use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::DISPLAY_NAME;
use super::assumptions::MISSING_ERROR;

/// Longest provider message quoted in an error, in characters.
pub const MAX_MESSAGE: usize = 300;

pub const API_KEY_HINT: &str = "Odoo did not accept the API key: it is wrong, expired or revoked, or it belongs \
to another database. Odoo API keys last at most 3 months: make a new one in Odoo under My Profile > Account \
Security > New API Key (for the user Koppel posts as) and paste it in the connection.";

/// A non-success answer Odoo gave (a 4xx the HTTP seam hands back as it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    /// The exception's name (`odoo.exceptions.MissingError`), empty when the body had none.
    pub name: String,
    /// Odoo's message for the user (scrubbed and cut).
    pub message: String,
}

impl Refusal {
    /// Reads an error body; `secrets` are scrubbed from the message.
    pub fn read(status: u16, body: &str, secrets: &[&str]) -> Self {
        let (name, text) = match serde_json::from_str::<Value>(body) {
            Ok(Value::Object(map)) => {
                let name = map.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                let message = map
                    .get("message")
                    .and_then(Value::as_str)
                    .filter(|m| !m.trim().is_empty())
                    .or_else(|| map.get("arguments").and_then(|a| a.get(0)).and_then(Value::as_str))
                    .map(str::to_string)
                    .unwrap_or_default();
                (name, message)
            }
            Ok(Value::String(s)) => (String::new(), s),
            // Not JSON (a proxy's HTML page): the status says enough.
            _ if body.trim_start().starts_with('<') => (String::new(), String::new()),
            _ => (String::new(), body.to_string()),
        };
        Self { status, name, message: tidy(&text, secrets) }
    }

    /// A record the call named was deleted (Odoo's `MissingError`).
    pub fn is_missing(&self) -> bool {
        self.status == 404 && self.name.ends_with(MISSING_ERROR)
    }

    /// Refused for lack of rights, or as a user error: a change Odoo will not make.
    pub fn is_refusal_to_change(&self) -> bool {
        matches!(self.status, 403 | 422)
    }

    pub fn into_error(self) -> ConnectorError {
        let provider = DISPLAY_NAME.to_string();
        match self.status {
            401 => unauthorized(),
            403 => ConnectorError::Forbidden { provider, message: self.message },
            status => ConnectorError::Rejected { provider, status, message: self.message },
        }
    }
}

pub fn unauthorized() -> ConnectorError {
    ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "the API key".into(),
        hint: API_KEY_HINT.into(),
    }
}

/// Why a call failed: Odoo refused it (with its message), or the seam / the body said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Refused(Refusal),
    Error(ConnectorError),
}

impl Failure {
    pub fn into_error(self) -> ConnectorError {
        match self {
            Failure::Refused(r) => r.into_error(),
            Failure::Error(e) => e,
        }
    }
    pub fn is_missing(&self) -> bool {
        matches!(self, Failure::Refused(r) if r.is_missing())
    }
}

impl From<ConnectorError> for Failure {
    fn from(e: ConnectorError) -> Self {
        Failure::Error(e)
    }
}

/// The target the user picked was deleted in Odoo: the message says to pick it again.
pub fn target_gone(what: &str, id: &str, name: Option<&str>, odoo: &str) -> ConnectorError {
    let which = name.map_or_else(|| format!("#{id}"), |n| format!("{n:?} (#{id})"));
    ConnectorError::Rejected {
        provider: DISPLAY_NAME.into(),
        status: 404,
        message: format!("the {what} {which} no longer exists in Odoo ({odoo}): pick the target again"),
    }
}

pub fn parse_error(what: &str) -> ConnectorError {
    ConnectorError::Parse { provider: DISPLAY_NAME.into(), message: what.to_string() }
}

const NO_DETAILS: &str = "(no details in the answer)";

/// Scrubbed first, then cut, so a cut cannot leave half a secret behind.
fn tidy(text: &str, secrets: &[&str]) -> String {
    let text = secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .fold(text.trim().to_string(), |t, s| if t.contains(s) { t.replace(s, "***") } else { t });
    if text.trim().is_empty() {
        return NO_DETAILS.to_string();
    }
    if text.chars().count() <= MAX_MESSAGE {
        return text;
    }
    let cut: String = text.chars().take(MAX_MESSAGE).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &[&str] = &[];

    #[test]
    fn the_message_is_read_and_the_traceback_never() {
        let body = r#"{"name":"werkzeug.exceptions.Unauthorized","message":"Invalid apikey","arguments":["Invalid apikey",401],"context":{},"debug":"Traceback (most recent call last): secret stuff"}"#;
        let r = Refusal::read(401, body, NONE);
        assert_eq!((r.name.as_str(), r.message.as_str()), ("werkzeug.exceptions.Unauthorized", "Invalid apikey"));
        let r = Refusal::read(422, r#"{"name":"x","message":"","arguments":["from arguments"],"debug":"tb"}"#, NONE);
        assert_eq!(r.message, "from arguments");
        let r = Refusal::read(422, r#"{"name":"x","debug":"Traceback"}"#, NONE);
        assert_eq!(r.message, NO_DETAILS);
        assert_eq!(Refusal::read(502, "<html>Bad gateway</html>", NONE).message, NO_DETAILS);
        assert_eq!(Refusal::read(400, "plain words", NONE).message, "plain words");
    }

    #[test]
    fn statuses_map_to_what_the_engine_acts_on() {
        let read = |status, name: &str| Refusal::read(status, &format!(r#"{{"name":"{name}","message":"m"}}"#), NONE);
        assert!(
            matches!(read(401, "u").into_error(), ConnectorError::Unauthorized { hint, .. } if hint.contains("3 months"))
        );
        assert!(
            matches!(read(403, "odoo.exceptions.AccessError").into_error(), ConnectorError::Forbidden { message, .. } if message == "m")
        );
        assert!(
            matches!(read(422, "odoo.exceptions.UserError").into_error(), ConnectorError::Rejected { status: 422, message, .. } if message == "m")
        );
        assert!(read(404, "odoo.exceptions.MissingError").is_missing());
        assert!(!read(404, "werkzeug.exceptions.NotFound").is_missing());
        assert!(read(403, "a").is_refusal_to_change() && read(422, "a").is_refusal_to_change());
        assert!(!read(404, "a").is_refusal_to_change());
    }

    #[test]
    fn secrets_are_scrubbed_before_the_cut() {
        let r = Refusal::read(400, r#"{"message":"key abcd1234efgh refused"}"#, &["abcd1234efgh", ""]);
        assert_eq!(r.message, "key *** refused");
        let long = format!(r#"{{"message":"{}SECRETVALUE"}}"#, "y".repeat(MAX_MESSAGE - 1));
        let r = Refusal::read(400, &long, &["SECRETVALUE"]);
        assert!(!r.message.contains("SEC"));
        assert_eq!(r.message.chars().count(), MAX_MESSAGE + 1);
    }

    #[test]
    fn a_deleted_target_says_to_pick_again() {
        let e = target_gone("contact", "42", Some("Acme"), "Record does not exist");
        assert!(
            matches!(&e, ConnectorError::Rejected { status: 404, message, .. }
            if message.contains("\"Acme\" (#42)") && message.contains("pick the target again")),
            "{e:?}"
        );
    }
}
