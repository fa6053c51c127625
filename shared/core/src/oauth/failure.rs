//! Why a callback did not connect: a code for the return page's query (`reason=`) and a
//! sentence for the user (`message=`). None of them carries a code, token or `state`.

use crate::AppError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackFailure {
    /// The user said no on the provider's consent screen (`error=access_denied`).
    #[error("You did not allow Koppel to access {provider}. Nothing was changed; start again to connect.")]
    AccessDenied { provider: String },
    /// The provider sent another error instead of a code (`error=invalid_scope`, …).
    #[error(
        "{provider} did not start the sign-in ({code}). Nothing was changed; try again, or contact support if it keeps happening."
    )]
    ProviderError { provider: String, code: String },
    /// No `state`, or one Koppel did not make (cut short or changed).
    #[error(
        "This sign-in link is not valid: it was cut short or changed. Nothing was changed; start the connection again from Koppel."
    )]
    InvalidState,
    /// A well-formed `state` that is unknown or already used.
    #[error(
        "This sign-in is unknown or was already used. Nothing was changed; start the connection again from Koppel."
    )]
    UnknownState,
    /// The sign-in took longer than allowed.
    #[error(
        "This sign-in took longer than {minutes} minutes and expired. Nothing was changed; start the connection again from Koppel."
    )]
    ExpiredState { minutes: i64 },
    /// A callback parameter the registration keeps is missing or cannot be trusted (Zoho's
    /// `accounts-server` naming a host outside `allowed_hosts`, a Silverfin firm id that is not a
    /// plain id). Refused before any token call: Koppel's client secret goes nowhere.
    #[error(
        "{provider} sent the sign-in back with {param} {problem}. Nothing was changed; start the connection again, or ask your administrator if it keeps happening."
    )]
    InvalidCallback { provider: String, param: String, problem: String },
    /// The provider came back without `code` (and without `error`).
    #[error("{provider} sent no authorization code back. Nothing was changed; start the connection again.")]
    MissingCode { provider: String },
    /// The token endpoint refused the code (`invalid_grant`, `invalid_client`, …).
    #[error("{provider} refused to give Koppel access ({detail}). Nothing was changed; start the connection again.")]
    TokenRefused { provider: String, detail: String },
    /// The token endpoint could not be used (down, slow, unreadable answer).
    #[error("{provider} could not be reached to finish the sign-in. Nothing was changed; try again in a few minutes.")]
    ProviderUnavailable { provider: String },
    /// The deployment has no usable OAuth app for the provider.
    #[error(
        "Sign-in with {provider} is not set up in this Koppel deployment. Nothing was changed; ask your administrator."
    )]
    NotConfigured { provider: String },
    /// The connection was deleted (or stopped using OAuth) while the user signed in.
    #[error("The connection no longer exists or no longer signs in with {provider}. Nothing was changed.")]
    ConnectionGone { provider: String },
    /// Connected and tokens stored, but the connection test failed: not activated.
    #[error(
        "Connected with {provider}, but the connection test failed: {message} It was not activated; fix this and run the test again."
    )]
    TestFailed { provider: String, message: String },
    /// Koppel itself failed (store, secrets, scheduler or bus unavailable).
    #[error("Koppel could not finish the connection because of a problem on its side. Try again in a few minutes.")]
    Internal,
}

impl CallbackFailure {
    /// The `reason=` code of the return page.
    pub fn code(&self) -> &'static str {
        match self {
            CallbackFailure::AccessDenied { .. } => "access_denied",
            CallbackFailure::ProviderError { .. } => "provider_error",
            CallbackFailure::InvalidState => "invalid_state",
            CallbackFailure::UnknownState => "unknown_state",
            CallbackFailure::ExpiredState { .. } => "expired_state",
            CallbackFailure::InvalidCallback { .. } => "invalid_callback",
            CallbackFailure::MissingCode { .. } => "missing_code",
            CallbackFailure::TokenRefused { .. } => "token_refused",
            CallbackFailure::ProviderUnavailable { .. } => "provider_unavailable",
            CallbackFailure::NotConfigured { .. } => "not_configured",
            CallbackFailure::ConnectionGone { .. } => "connection_gone",
            CallbackFailure::TestFailed { .. } => "test_failed",
            CallbackFailure::Internal => "internal",
        }
    }

    /// Koppel's own errors: logged, and the user is told to try again.
    pub fn internal(e: &AppError) -> Self {
        tracing::error!(error = %e, "oauth callback failed on Koppel's side");
        CallbackFailure::Internal
    }
}

/// Keep what the provider wrote in `error=` short and plain (it ends up in a message).
pub fn clean_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect()
}
