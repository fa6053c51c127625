//! The ERP Sync Connector contract as typed values: one [`Request`] per SOAP operation and
//! one [`Response`] (an [`Outcome`] plus the operation's payload). Field names follow
//! SuperOffice's carriers (`ErpActor`, `FieldMetadataInfo`, `PluginResponse`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a call went, as SuperOffice shows it (`PluginResponse`). Errors are always reported
/// here, never as a SOAP fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    Ok,
    OkWithInfo,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub state: State,
    /// For the SuperOffice user: what happened and what to do.
    pub user_explanation: String,
    /// For the administrator: English detail (never a secret).
    pub tech_explanation: String,
    pub error_code: String,
}

impl Outcome {
    pub fn ok() -> Self {
        Self {
            state: State::Ok,
            user_explanation: String::new(),
            tech_explanation: String::new(),
            error_code: String::new(),
        }
    }
    pub fn error(code: &str, user: impl Into<String>, tech: impl Into<String>) -> Self {
        Self {
            state: State::Error,
            user_explanation: user.into(),
            tech_explanation: tech.into(),
            error_code: code.into(),
        }
    }
    pub fn warning(code: &str, user: impl Into<String>, tech: impl Into<String>) -> Self {
        Self {
            state: State::Warning,
            user_explanation: user.into(),
            tech_explanation: tech.into(),
            error_code: code.into(),
        }
    }
    /// `IsOk` on the wire: true for `Ok` and `OkWithInfo`.
    pub fn is_ok(&self) -> bool {
        matches!(self.state, State::Ok | State::OkWithInfo)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldType {
    Checkbox,
    Text,
    Password,
    Integer,
    Double,
    List,
    Datetime,
    Label,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    Normal,
    Mandatory,
    ReadOnly,
}

/// One field of the config form or of an actor type (`FieldMetadataInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMeta {
    pub field_key: String,
    pub display_name: String,
    pub display_description: String,
    pub field_type: FieldType,
    /// For `List` fields: the name to pass to `GetList`.
    pub list_name: String,
    pub default_value: String,
    /// 0 = unlimited.
    pub max_length: u32,
    pub access: Access,
    /// Display order.
    pub rank: u32,
}

/// One record on the ERP side (`ErpActor`). Values are SuperOffice-encoded strings
/// (see [`super::values`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actor {
    pub actor_type: String,
    pub erp_key: String,
    /// Monotonic across all actors of a connection.
    pub last_modified: String,
    pub parent_actor_type: String,
    pub parent_erp_key: String,
    pub fields: BTreeMap<String, String>,
}

/// One condition of an advanced search (`SearchRestriction`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restriction {
    pub field_key: String,
    /// e.g. `begins`, `contains`, `equals` (SuperOffice's operator names).
    pub operator: String,
    pub values: Vec<String>,
}

/// One item of a list (`ListItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    pub key: String,
    pub display_value: String,
    pub tooltip: String,
}

/// The config form's answers (`ConnectionInfo`), by field key. The form carries the access
/// key, so `Debug` shows the keys only, never a value (a logged `Request` cannot leak it).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ConnectionInfo(pub BTreeMap<String, String>);

impl std::fmt::Debug for ConnectionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.0.keys().map(|k| (k, "…"))).finish()
    }
}

impl std::ops::Deref for ConnectionInfo {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<BTreeMap<String, String>> for ConnectionInfo {
    fn from(answers: BTreeMap<String, String>) -> Self {
        Self(answers)
    }
}

/// One call of SuperOffice's sync engine. `guid` is the connection GUID as sent (checked by
/// the use-cases, not by the wire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    GetConfigData,
    TestConfigData {
        info: ConnectionInfo,
    },
    SaveConnection {
        guid: String,
        info: ConnectionInfo,
    },
    TestConnection {
        guid: String,
    },
    DeleteConnection {
        guid: String,
    },
    GetSupportedActorTypes {
        guid: String,
    },
    GetSupportedActorTypeFields {
        guid: String,
        actor_type: String,
    },
    GetSearchableFields {
        guid: String,
        actor_type: String,
    },
    GetActors {
        guid: String,
        actor_type: String,
        erp_keys: Vec<String>,
        field_keys: Vec<String>,
    },
    GetActorsByTimestamp {
        guid: String,
        updated_on_or_after: String,
        actor_type: String,
        field_keys: Vec<String>,
    },
    SearchActors {
        guid: String,
        actor_type: String,
        search_text: String,
        field_keys: Vec<String>,
    },
    SearchActorByParent {
        guid: String,
        actor_type: String,
        search_text: String,
        parent_actor_type: String,
        parent_erp_key: String,
        field_keys: Vec<String>,
    },
    SearchActorsAdvanced {
        guid: String,
        actor_type: String,
        restrictions: Vec<Restriction>,
        field_keys: Vec<String>,
    },
    CreateActor {
        guid: String,
        actor: Actor,
    },
    SaveActors {
        guid: String,
        actors: Vec<Actor>,
    },
    GetList {
        guid: String,
        list_name: String,
    },
    GetListItems {
        guid: String,
        list_name: String,
        keys: Vec<String>,
    },
}

impl Request {
    /// The SOAP operation name (`WS…`).
    pub fn operation(&self) -> &'static str {
        match self {
            Request::GetConfigData => "WSGetConfigData",
            Request::TestConfigData { .. } => "WSTestConfigData",
            Request::SaveConnection { .. } => "WSSaveConnection",
            Request::TestConnection { .. } => "WSTestConnection",
            Request::DeleteConnection { .. } => "WSDeleteConnection",
            Request::GetSupportedActorTypes { .. } => "WSGetSupportedActorTypes",
            Request::GetSupportedActorTypeFields { .. } => "WSGetSupportedActorTypeFields",
            Request::GetSearchableFields { .. } => "WSGetSearchableFields",
            Request::GetActors { .. } => "WSGetActors",
            Request::GetActorsByTimestamp { .. } => "WSGetActorsByTimestamp",
            Request::SearchActors { .. } => "WSSearchActors",
            Request::SearchActorByParent { .. } => "WSSearchActorByParent",
            Request::SearchActorsAdvanced { .. } => "WSSearchActorsAdvanced",
            Request::CreateActor { .. } => "WSCreateActor",
            Request::SaveActors { .. } => "WSSaveActors",
            Request::GetList { .. } => "WSGetList",
            Request::GetListItems { .. } => "WSGetListItems",
        }
    }
}

/// What an operation returns besides its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// Result-base operations (test, save, delete).
    None,
    /// `FieldMetaDataObjects`.
    Fields(Vec<FieldMeta>),
    /// `Items` (actor types, searchable field keys).
    Strings(Vec<String>),
    /// `Actors`.
    Actors(Vec<Actor>),
    /// `Actor` (create).
    Actor(Option<Actor>),
    /// `ListItems`.
    ListItems(Vec<ListItem>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub outcome: Outcome,
    pub payload: Payload,
}

impl Response {
    pub fn ok(payload: Payload) -> Self {
        Self { outcome: Outcome::ok(), payload }
    }
    /// An error answer with the payload shape the operation expects (empty).
    pub fn failed(request: &Request, outcome: Outcome) -> Self {
        Self { outcome, payload: empty_payload(request) }
    }
}

/// The empty payload of an operation's response type.
pub fn empty_payload(request: &Request) -> Payload {
    match request {
        Request::GetConfigData | Request::GetSupportedActorTypeFields { .. } => Payload::Fields(Vec::new()),
        Request::GetSupportedActorTypes { .. } | Request::GetSearchableFields { .. } => Payload::Strings(Vec::new()),
        Request::GetActors { .. }
        | Request::GetActorsByTimestamp { .. }
        | Request::SearchActors { .. }
        | Request::SearchActorByParent { .. }
        | Request::SearchActorsAdvanced { .. }
        | Request::SaveActors { .. } => Payload::Actors(Vec::new()),
        Request::CreateActor { .. } => Payload::Actor(None),
        Request::GetList { .. } | Request::GetListItems { .. } => Payload::ListItems(Vec::new()),
        Request::TestConfigData { .. }
        | Request::SaveConnection { .. }
        | Request::TestConnection { .. }
        | Request::DeleteConnection { .. } => Payload::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_prints_the_form_keys_never_their_values() {
        let info = ConnectionInfo::from(BTreeMap::from([
            ("ACCESS_KEY".to_string(), "s3cret-access-key".to_string()),
            ("KOPPEL_CONNECTION".to_string(), "c-1".to_string()),
        ]));
        let printed = format!("{:?}", Request::SaveConnection { guid: "g".into(), info });
        assert!(printed.contains("ACCESS_KEY") && printed.contains("KOPPEL_CONNECTION"), "{printed}");
        assert!(!printed.contains("s3cret") && !printed.contains("c-1"), "{printed}");
    }
}
