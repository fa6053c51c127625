//! Silverfin answers that are not a success → `ConnectorError`. Bodies are Doorkeeper's
//! `{"error", "error_description"}` for token problems [C: silverfin-cli reads
//! `error_description`], `{"error": …}` for 400/404 [C: silverfin-cli], and for 422 a body that
//! is quoted as a whole by the CLI [C] — Rails' `{"errors": {field: [messages]}}` is read into
//! "field message" sentences [U]. Quoted text is scrubbed of secrets and cut to [`MAX_MESSAGE`].

use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::DISPLAY_NAME;
use super::assumptions::SCOPE_COMPANIES;

/// Longest provider message quoted in an error, in characters.
pub const MAX_MESSAGE: usize = 300;

pub const UNAUTHORIZED_HINT: &str = "Silverfin did not accept Koppel's sign-in: it expired or was withdrawn \
(a Silverfin refresh token works once and lapses after 60 days unused). Connect Silverfin again from the \
connection.";

/// What a call was about, for the message of a 403 or a 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call<'a> {
    /// `GET /user/firm`: a 403/404 is about the firm id of the connection.
    Firm { firm: &'a str },
    /// The company list (scope `administration:read`).
    Companies,
    /// A call on one company (`scope` named in a 403); a 404 means the target is gone.
    Company { company: &'a str, scope: &'static str },
}

pub fn unauthorized() -> ConnectorError {
    ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "the Silverfin sign-in (access token)".into(),
        hint: UNAUTHORIZED_HINT.into(),
    }
}

/// A non-success status the seam handed back → the error the engine acts on.
pub fn from_status(status: u16, body: &str, call: Call<'_>, secrets: &[&str]) -> ConnectorError {
    let provider = DISPLAY_NAME.to_string();
    let said = error_message(body, secrets);
    match (status, call) {
        (401, _) => unauthorized(),
        (403, Call::Firm { firm }) => ConnectorError::Forbidden {
            provider,
            message: format!("{said} (the signed-in user has no access to firm {firm}; connect Silverfin again)"),
        },
        (403, Call::Companies) => ConnectorError::Forbidden {
            provider,
            message: format!("{said} (listing companies needs the scope '{SCOPE_COMPANIES}')"),
        },
        (403, Call::Company { scope, .. }) => ConnectorError::Forbidden {
            provider,
            message: format!(
                "{said} (this needs the scope '{scope}' and access to the company; connect Silverfin again granting it)"
            ),
        },
        (404, Call::Firm { firm }) => ConnectorError::Rejected {
            provider,
            status,
            message: format!("Silverfin does not know firm {firm} ({said}); connect Silverfin again"),
        },
        (404, Call::Company { company, .. }) => ConnectorError::Rejected {
            provider,
            status,
            message: format!(
                "Silverfin has no company {company} any more, or this sign-in cannot see it ({said}): pick the \
                 target again"
            ),
        },
        (429, _) => ConnectorError::RateLimited { provider, retry_after_secs: None },
        (500..=599, _) => ConnectorError::Server { provider, status },
        _ => ConnectorError::Rejected { provider, status, message: said },
    }
}

/// A page of answers that did not parse.
pub fn parse(message: impl Into<String>) -> ConnectorError {
    ConnectorError::Parse { provider: DISPLAY_NAME.into(), message: message.into() }
}

/// Something Koppel refuses before calling Silverfin.
pub fn refused(message: impl Into<String>) -> ConnectorError {
    ConnectorError::Rejected { provider: DISPLAY_NAME.into(), status: 0, message: message.into() }
}

const NO_DETAILS: &str = "no details in the answer";

/// The human part of an error body: `error_description`, `message`, `error` (text), Rails'
/// `errors` (`{field: [messages]}` → "field message; …", or a list of texts), a JSON string, or
/// the text itself. Scrubbed before it is cut, so a cut cannot leave half a secret behind.
pub fn error_message(body: &str, secrets: &[&str]) -> String {
    let text = match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => ["error_description", "message", "error"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_string))
            .or_else(|| map.get("errors").and_then(rails_errors))
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

fn rails_errors(errors: &Value) -> Option<String> {
    let sentences: Vec<String> = match errors {
        Value::Object(fields) => fields
            .iter()
            .flat_map(|(field, messages)| {
                let messages: Vec<String> = match messages {
                    Value::Array(list) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                    Value::String(s) => vec![s.clone()],
                    _ => vec![],
                };
                let field = if field == "base" { String::new() } else { format!("{} ", field.replace('_', " ")) };
                messages.into_iter().map(move |m| format!("{field}{m}"))
            })
            .collect(),
        Value::Array(list) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Value::String(s) => vec![s.clone()],
        _ => vec![],
    };
    (!sentences.is_empty()).then(|| sentences.join("; "))
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
    const CO: Call<'static> = Call::Company { company: "42", scope: "communication:write" };

    #[test]
    fn statuses_map_to_what_the_engine_acts_on() {
        let e =
            from_status(401, r#"{"error":"invalid_token","error_description":"The access token expired"}"#, CO, NONE);
        assert!(matches!(&e, ConnectorError::Unauthorized { hint, .. } if hint.contains("Connect Silverfin again")));
        let e = from_status(403, r#"{"error":"insufficient_scope"}"#, CO, NONE);
        assert!(
            matches!(&e, ConnectorError::Forbidden { message, .. }
                if message.starts_with("insufficient_scope") && message.contains("communication:write")),
            "{e:?}"
        );
        let e = from_status(404, r#"{"error":"Company not found"}"#, CO, NONE);
        assert!(matches!(&e, ConnectorError::Rejected { status: 404, message, .. }
            if message.contains("pick the target again") && message.contains("Company not found")));
        let e = from_status(404, "", Call::Firm { firm: "77" }, NONE);
        assert!(matches!(&e, ConnectorError::Rejected { message, .. } if message.contains("firm 77")));
        let e = from_status(422, r#"{"errors":{"content":["can't be blank"],"base":["Too big"]}}"#, CO, NONE);
        assert!(
            matches!(&e, ConnectorError::Rejected { status: 422, message, .. }
            if message == "Too big; content can't be blank"),
            "{e:?}"
        );
        assert!(matches!(from_status(429, "", CO, NONE), ConnectorError::RateLimited { .. }));
        assert!(matches!(from_status(502, "", CO, NONE), ConnectorError::Server { status: 502, .. }));
        assert!(matches!(from_status(400, r#"{"error":"bad page"}"#, Call::Companies, NONE),
            ConnectorError::Rejected { status: 400, message, .. } if message == "bad page"));
    }

    #[test]
    fn messages_are_read_scrubbed_and_cut() {
        assert_eq!(
            error_message(r#"{"error":"x","error_description":"The access token expired"}"#, NONE),
            "The access token expired"
        );
        assert_eq!(error_message(r#"{"errors":["a","b"]}"#, NONE), "a; b");
        assert_eq!(error_message(r#"{"errors":{"file_name":"is wrong"}}"#, NONE), "file name is wrong");
        assert_eq!(error_message(r#"{"other":1}"#, NONE), r#"{"other":1}"#);
        assert_eq!(error_message("  ", NONE), NO_DETAILS);
        assert_eq!(error_message("token tok-12345 refused", &["tok-12345"]), "token *** refused");
        assert_eq!(error_message(&"x".repeat(1_000), NONE).chars().count(), MAX_MESSAGE + 1);
        let long_secret = format!("{}SECRETVALUE", "y".repeat(MAX_MESSAGE - 3));
        assert!(!error_message(&long_secret, &["SECRETVALUE"]).contains("SEC"));
    }
}
