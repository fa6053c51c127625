//! `oauth2`'s `RequestTokenError` → the port's `OAuthError`. A parse failure carries the raw body
//! (which may hold tokens): only the JSON path is kept.

use koppel_core::ports::OAuthError;
use oauth2::RequestTokenError;
use oauth2::basic::{BasicErrorResponse, BasicErrorResponseType};

use super::http::HttpError;

/// Longest provider `error_description` kept (it ends up in messages shown to users).
const MAX_DESCRIPTION: usize = 200;
/// Providers' own codes that mean `invalid_grant`: Zoho answers `invalid_code` for a code that
/// expired or was used, and for a refresh token that is wrong or revoked
/// (`meeting-push-and-oauth.md` §1.11).
const INVALID_GRANT_ALIASES: [&str; 1] = ["invalid_code"];

pub fn map(e: RequestTokenError<HttpError, BasicErrorResponse>) -> OAuthError {
    match e {
        RequestTokenError::ServerResponse(answer) => {
            let description = answer.error_description().map(|d| clean(d));
            match answer.error() {
                BasicErrorResponseType::InvalidGrant => {
                    OAuthError::InvalidGrant { code: "invalid_grant".into(), description }
                }
                BasicErrorResponseType::Extension(code) if INVALID_GRANT_ALIASES.contains(&code.as_str()) => {
                    OAuthError::InvalidGrant { code: clean(code), description }
                }
                BasicErrorResponseType::Extension(code)
                    if code == "server_error" || code == "temporarily_unavailable" =>
                {
                    OAuthError::Transient(format!("the provider answered {code}"))
                }
                other => OAuthError::Rejected { code: clean(other.as_ref()), description },
            }
        }
        RequestTokenError::Request(HttpError::Status(status)) => {
            OAuthError::Transient(format!("the token endpoint answered HTTP {status}"))
        }
        RequestTokenError::Request(other) => OAuthError::Transient(other.to_string()),
        RequestTokenError::Parse(e, _body) => {
            OAuthError::Transient(format!("the answer is not OAuth 2.0 token JSON (at {})", e.path()))
        }
        RequestTokenError::Other(message) => OAuthError::Transient(clean(&message)),
    }
}

/// Printable, one line, bounded.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(MAX_DESCRIPTION).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth2::StandardErrorResponse;

    fn answer(
        code: BasicErrorResponseType,
        description: Option<&str>,
    ) -> RequestTokenError<HttpError, BasicErrorResponse> {
        RequestTokenError::ServerResponse(StandardErrorResponse::new(code, description.map(str::to_string), None))
    }

    #[test]
    fn invalid_grant_is_final_other_codes_rejected_server_trouble_transient() {
        assert_eq!(
            map(answer(BasicErrorResponseType::InvalidGrant, Some("token revoked"))),
            OAuthError::InvalidGrant { code: "invalid_grant".into(), description: Some("token revoked".into()) }
        );
        assert_eq!(
            map(answer(BasicErrorResponseType::Extension("invalid_code".into()), None)),
            OAuthError::InvalidGrant { code: "invalid_code".into(), description: None },
            "Zoho's code for it"
        );
        assert_eq!(
            map(answer(BasicErrorResponseType::InvalidClient, None)),
            OAuthError::Rejected { code: "invalid_client".into(), description: None }
        );
        assert!(matches!(
            map(answer(BasicErrorResponseType::Extension("temporarily_unavailable".into()), None)),
            OAuthError::Transient(_)
        ));
        assert!(matches!(map(RequestTokenError::Request(HttpError::Status(503))), OAuthError::Transient(_)));
        assert!(matches!(map(RequestTokenError::Other("x".into())), OAuthError::Transient(_)));
    }

    #[test]
    fn descriptions_are_bounded_and_single_line() {
        let long = format!("line\nbreak{}", "x".repeat(500));
        let OAuthError::InvalidGrant { description: Some(d), .. } =
            map(answer(BasicErrorResponseType::InvalidGrant, Some(&long)))
        else {
            panic!("expected invalid_grant");
        };
        assert_eq!(d.chars().count(), MAX_DESCRIPTION);
        assert!(!d.contains('\n'));
    }
}
