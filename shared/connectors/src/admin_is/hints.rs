//! What the user reads when Admin IS refuses the key: which key, and what to do about it.

use koppel_core::ports::source::ConnectorError;

use super::DISPLAY_NAME;

/// The token call refused the key (unknown key, or the software not set active for the office).
/// `said` is the office's own message, already scrubbed of secrets.
pub fn api_key_refused(said: &str) -> ConnectorError {
    ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "the API key".into(),
        hint: format!(
            "Admin IS issued no token for this API key (it said: {said}). Check the key in the Syneton \
             management console and that the software Koppel is set active for this office, then test again."
        ),
    }
}

/// A fresh token was refused too.
pub fn token_refused() -> ConnectorError {
    ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "a freshly issued token".into(),
        hint: "Admin IS refused the calls even with a new token: the API key may have been deactivated, or the \
               software Koppel switched off for this office in the Syneton management console."
            .into(),
    }
}
