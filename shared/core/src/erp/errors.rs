//! The error answers of the ERP service: one `Outcome` per failure, with a stable code, a
//! sentence for the SuperOffice user and an English detail for the administrator. Nothing here
//! ever carries a secret (the access key is only compared, never echoed).

use super::contract::Outcome;
use crate::AppError;

/// Every `error_code` the service answers with.
pub mod code {
    /// A call before SuperOffice's handshake succeeded (or after it ran out).
    pub const NOT_AUTHENTICATED: &str = "not_authenticated";
    /// The superoffice connection in Koppel is gone or not active.
    pub const CONNECTION_INACTIVE: &str = "connection_inactive";
    /// A GUID or value SuperOffice sent cannot be read.
    pub const BAD_REQUEST: &str = "bad_request";
    /// A connection GUID Koppel has no configuration for (SuperOffice then resends it with
    /// SaveConnection). The code SuperOffice expects here is unconfirmed: see `assumptions`.
    pub const CONNECTION_UNKNOWN: &str = super::super::assumptions::CONNECTION_UNKNOWN_CODE;
    /// The access key in the config form is not the one Koppel showed.
    pub const ACCESS_KEY_WRONG: &str = "access_key_wrong";
    /// A config form answer is missing or malformed.
    pub const CONFIG_INVALID: &str = "config_invalid";
    /// The chosen Koppel connection is deleted, not SnelStart, or not tested.
    pub const KOPPEL_CONNECTION_UNUSABLE: &str = "koppel_connection_unusable";
    /// An actor type other than Customer and Person.
    pub const ACTOR_TYPE_UNSUPPORTED: &str = "actor_type_unsupported";
    /// An advanced-search operator Koppel does not know.
    pub const OPERATOR_UNKNOWN: &str = "operator_unknown";
    /// A field key Koppel does not offer for the actor type.
    pub const FIELD_UNKNOWN: &str = "field_unknown";
    /// A list name Koppel does not offer.
    pub const LIST_UNKNOWN: &str = "list_unknown";
    /// An ErpKey Koppel (or SnelStart) does not have.
    pub const ACTOR_UNKNOWN: &str = "actor_unknown";
    /// A field the write needs (NAME) is empty.
    pub const FIELD_REQUIRED: &str = "field_required";
    /// SnelStart keeps one contact person per customer and it is already someone else.
    pub const PERSON_EXISTS: &str = "person_exists";
    /// The same CreateActor is being handled right now.
    pub const CREATE_IN_PROGRESS: &str = "create_in_progress";
    /// SnelStart refused or failed the call.
    pub const PROVIDER_ERROR: &str = "provider_error";
    /// Koppel itself could not answer (store or secrets unavailable).
    pub const KOPPEL_UNAVAILABLE: &str = "koppel_unavailable";
}

/// Longest piece of input repeated in an explanation.
const MAX_ECHO: usize = 80;

/// `raw` shortened for an explanation (input is echoed, never trusted to be short).
pub fn echo(raw: &str) -> String {
    let mut out: String = raw.chars().take(MAX_ECHO).collect();
    if raw.chars().nth(MAX_ECHO).is_some() {
        out.push('…');
    }
    out
}

pub fn not_authenticated() -> Outcome {
    Outcome::error(
        code::NOT_AUTHENTICATED,
        "Koppel has not accepted SuperOffice's sign-in for this connector yet. SuperOffice signs in again by itself.",
        "No successful Authenticate handshake on this route in the last 24 hours; the call was refused.",
    )
}

pub fn bad_guid(raw: &str) -> Outcome {
    Outcome::error(
        code::BAD_REQUEST,
        "SuperOffice sent a connection id Koppel cannot read.",
        format!("ConnectionGuid {:?} is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", echo(raw)),
    )
}

pub fn connection_unknown(guid: &str) -> Outcome {
    Outcome::error(
        code::CONNECTION_UNKNOWN,
        "Koppel has no configuration for this ERP connection. Save the connection again in SuperOffice.",
        format!("no saved configuration for connection {guid}; send it with SaveConnection"),
    )
}

pub fn actor_type_unsupported(raw: &str) -> Outcome {
    Outcome::error(
        code::ACTOR_TYPE_UNSUPPORTED,
        format!("Koppel links customers and persons only, not {:?}.", echo(raw)),
        format!("actor type {:?} is not supported; supported: Customer, Person", echo(raw)),
    )
}

pub fn provider_error(e: &crate::ports::ConnectorError) -> Outcome {
    Outcome::error(code::PROVIDER_ERROR, format!("SnelStart: {e}. {}", e.hint()), format!("{e}"))
}

/// A failure of Koppel's own storage or secrets, or anything unexpected.
pub fn internal(e: &AppError) -> Outcome {
    match e {
        AppError::Connector(c) => provider_error(c),
        other => Outcome::error(
            code::KOPPEL_UNAVAILABLE,
            "Koppel could not answer just now; SuperOffice tries again on its next sync.",
            format!("{other}"),
        ),
    }
}

impl From<AppError> for Outcome {
    fn from(e: AppError) -> Self {
        internal(&e)
    }
}

impl From<crate::ports::StoreError> for Outcome {
    fn from(e: crate::ports::StoreError) -> Self {
        internal(&AppError::Store(e))
    }
}
