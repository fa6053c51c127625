//! What the user reads when SnelStart refuses a key: which key, and what to do about it.

use koppel_core::ports::source::ConnectorError;

use super::DISPLAY_NAME;

pub fn connection_key_refused() -> ConnectorError {
    ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "the connection key (koppelsleutel)".into(),
        hint: "SnelStart did not accept the connection key. It is case-sensitive and belongs to one \
               administration: copy it again from SnelStart Web → Koppelingen and paste it without spaces."
            .into(),
    }
}

pub fn subscription_key_refused() -> ConnectorError {
    ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "the subscription key".into(),
        hint: "SnelStart refused the calls even with a fresh token, so the subscription key \
               (Ocp-Apim-Subscription-Key) is wrong or its subscription is not active: copy the primary \
               or secondary key again from the SnelStart developer portal (Profile → Subscriptions)."
            .into(),
    }
}

pub fn unsendable(what: &str) -> ConnectorError {
    ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: what.into(),
        hint: format!("The {what} contains characters that cannot be sent (such as a line break); copy it again."),
    }
}
