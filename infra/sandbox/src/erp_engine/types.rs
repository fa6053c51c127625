//! What the engine sends and reads, as SuperOffice's carriers describe them (`ErpActor`,
//! `FieldMetadataInfo`, `PluginResponseInfo`, `SearchRestrictionInfo`, list items,
//! `AuthenticationResponse`). The engine's own types: it shares nothing with Koppel's contract.

use std::collections::BTreeMap;

/// `ResponseState`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Ok,
    OkWithInfo,
    Warning,
    Error,
    /// Anything else the connector wrote (a defect the checks report).
    Other(String),
}

impl State {
    pub fn parse(s: &str) -> Self {
        match s.trim() {
            "Ok" => State::Ok,
            "OkWithInfo" => State::OkWithInfo,
            "Warning" => State::Warning,
            "Error" => State::Error,
            other => State::Other(other.to_string()),
        }
    }
}

/// The `PluginResponseInfo` part of every answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `None` when the element was missing or not a boolean.
    pub is_ok: Option<bool>,
    pub state: State,
    pub user_explanation: String,
    pub tech_explanation: String,
    pub error_code: String,
}

impl Outcome {
    /// `IsOk` true and a state of `Ok` or `OkWithInfo`.
    pub fn ok(&self) -> bool {
        self.is_ok == Some(true) && matches!(self.state, State::Ok | State::OkWithInfo)
    }

    /// An `Error` state with `IsOk` false.
    pub fn error(&self) -> bool {
        self.is_ok == Some(false) && self.state == State::Error
    }

    /// `IsOk` and `State` agree: `Ok` is ok, `Error` is not (`Warning` may be either).
    pub fn consistent(&self) -> bool {
        match (&self.state, self.is_ok) {
            (_, None) | (State::Other(_), _) => false,
            (State::Ok | State::OkWithInfo, Some(ok)) => ok,
            (State::Error, Some(ok)) => !ok,
            (State::Warning, Some(_)) => true,
        }
    }

    /// One line for a report: state, code and both explanations.
    pub fn summary(&self) -> String {
        format!(
            "IsOk={:?} State={:?} ErrorCode={:?} User={:?} Tech={:?}",
            self.is_ok, self.state, self.error_code, self.user_explanation, self.tech_explanation
        )
    }
}

/// `FieldMetadataInfo`. `field_type` and `access` as written (`Text`, `Mandatory`, …).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldMeta {
    pub field_key: String,
    pub display_name: String,
    pub display_description: String,
    pub field_type: String,
    pub list_name: String,
    pub default_value: String,
    pub max_length: String,
    pub access: String,
    pub rank: String,
}

/// `FieldMetadataTypeInfo` names.
pub const FIELD_TYPES: [&str; 8] = ["Checkbox", "Text", "Password", "Integer", "Double", "List", "Datetime", "Label"];
/// `FieldAccessInfo` names.
pub const ACCESS: [&str; 3] = ["Normal", "Mandatory", "ReadOnly"];
/// `ErpActorType` names a connector may offer (Unknown is not one).
pub const ACTOR_TYPES: [&str; 7] = ["Customer", "Supplier", "Partner", "Person", "Project", "Employee", "Sale"];

/// `ErpActor`: field values are SuperOffice-encoded strings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    pub actor_type: String,
    pub erp_key: String,
    pub last_modified: String,
    pub parent_actor_type: String,
    pub parent_erp_key: String,
    pub fields: BTreeMap<String, String>,
}

impl Actor {
    pub fn new(actor_type: &str) -> Self {
        Self { actor_type: actor_type.into(), ..Default::default() }
    }
    pub fn field(mut self, key: &str, value: impl Into<String>) -> Self {
        self.fields.insert(key.into(), value.into());
        self
    }
    pub fn get(&self, key: &str) -> &str {
        self.fields.get(key).map_or("", String::as_str)
    }
}

/// `SearchRestrictionInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restriction {
    pub field_key: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// A list item: the key the connector uses and the text shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub key: String,
    pub text: String,
}

/// `AuthenticationResponse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthAnswer {
    pub succeeded: bool,
    pub signed_application_token: String,
    pub reason: String,
}

/// A SOAP 1.1 fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: String,
    pub message: String,
}

/// One answer: the outcome, what the operation returns, and how big the HTTP body was.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    pub outcome: Outcome,
    pub payload: T,
    pub bytes: usize,
}

/// The raw HTTP answer to a hand-made request (malformed envelopes).
#[derive(Debug, Clone)]
pub struct RawReply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}
