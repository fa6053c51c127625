//! Every SOAP detail of SuperOffice's ERP Sync Connector contract that no official source pins
//! down, in one place (listed in `docs/connectors/superoffice-wire.md`). Tags as in the provider
//! research: **C** confirmed by SuperOffice's docs, **S** seen in SuperOffice's own sample code
//! (`SuperOffice/integration-services` `ERPConnectorWS.cs`, `SuperOffice.EIS.TestConnector`),
//! **U** unconfirmed — Koppel's choice, usually WCF's default for a `BasicHttpBinding` service.
//!
//! The reader does not depend on most of these: it matches elements by local name whatever their
//! namespace, and answers in the namespaces the request used (see [`super::Dialect`]). The
//! namespace constants below are the fallback when a request shows none (and the WSDL's).

/// SOAP 1.1 envelope namespace. (C: SOAP 1.1; the sample uses `BasicHttpBinding` = SOAP 1.1.)
pub const SOAP11_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// `xsi` (for `i:nil`). (C: XML Schema.)
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Namespace of string arrays' and dictionaries' items. (S: WCF's `DataContractSerializer`
/// default for `string[]` and `Dictionary<string,string>`; U for this contract.)
pub const ARRAYS_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

/// The service contract's namespace (operation wrappers). (U: WCF's default when a contract
/// names none. SuperOffice's quote contract uses `http://www.superoffice.net/EIS/Quote/1.0`, so
/// the ERP one may well have its own.)
pub const SERVICE_NS: &str = "http://tempuri.org/";

/// The data contracts' namespace (members of requests and results). (U: WCF's default for the
/// CLR namespace `SuperOffice.ErpSync.ConnectorWS` the sample imports.)
pub const DATA_NS: &str = "http://schemas.datacontract.org/2004/07/SuperOffice.ErpSync.ConnectorWS";

/// The handshake's data contracts' namespace. (U: WCF's default for
/// `SuperOffice.SuperID.Contracts.V1`, where the sample's `AuthenticationRequest` lives.)
pub const AUTH_DATA_NS: &str = "http://schemas.datacontract.org/2004/07/SuperOffice.SuperID.Contracts.V1";

/// Service contract names. (C: `IErpConnectorWS`, `IIntegrationServiceConnectorAuth`.)
pub const CONTRACT: &str = "IErpConnectorWS";
pub const AUTH_CONTRACT: &str = "IIntegrationServiceConnectorAuth";

/// The handshake operation. (C: `Authenticate(AuthenticationRequest)`.)
pub const AUTHENTICATE: &str = "Authenticate";

/// The `SOAPAction` of an operation: `{namespace}{contract}/{operation}`. (U: WCF's default.)
/// When reading, only the part after the last `/`, `#` or `:` is compared (any namespace).
pub fn soap_action(operation: &str) -> String {
    let contract = if operation == AUTHENTICATE { AUTH_CONTRACT } else { CONTRACT };
    format!("{SERVICE_NS}{contract}/{operation}")
}

/// `{operation}Response` wrapping `{operation}Result`. (U: WCF's default for an operation that
/// returns a data contract.)
pub fn response_element(operation: &str) -> String {
    format!("{operation}Response")
}
pub fn result_element(operation: &str) -> String {
    format!("{operation}Result")
}

/// The name of every operation's single parameter. (S: `request` in the sample's signatures.)
/// Reading does not depend on it: fields are found under the wrapper at any depth ≤ 3.
pub const REQUEST_PARAM: &str = "request";

/// Each operation with the request type (S: the sample's signatures; `WSGetConfigData` has no
/// parameter) and the result type (S). A body element named after a request type is accepted
/// in place of the operation wrapper when the type names one operation only (message-contract
/// style, U).
pub const OPERATIONS: [(&str, Option<&str>, &str); 18] = [
    ("WSGetConfigData", None, "FieldMetadataInfoArrayPluginResponseWS"),
    ("WSTestConfigData", Some("TestConfigDataRequestWS"), "ConnectorResultBaseWS"),
    ("WSSaveConnection", Some("SaveConnectionRequestWS"), "ConnectorResultBaseWS"),
    ("WSTestConnection", Some("RequestBaseWS"), "ConnectorResultBaseWS"),
    ("WSDeleteConnection", Some("RequestBaseWS"), "ConnectorResultBaseWS"),
    ("WSGetSupportedActorTypes", Some("RequestBaseWS"), "StringArrayPluginResponseWS"),
    (
        "WSGetSupportedActorTypeFields",
        Some("GetSupportedActorTypeFieldsRequestWS"),
        "FieldMetadataInfoArrayPluginResponseWS",
    ),
    ("WSGetSearchableFields", Some("GetSearchableFieldsRequestWS"), "StringArrayPluginResponseWS"),
    ("WSGetActors", Some("GetActorsRequestWS"), "ActorArrayPluginResponseWS"),
    ("WSGetActorsByTimestamp", Some("GetActorsByTimestampRequestWS"), "ActorArrayPluginResponseWS"),
    ("WSSearchActors", Some("SearchActorsRequestWS"), "ActorArrayPluginResponseWS"),
    ("WSSearchActorByParent", Some("SearchActorByParentRequestWS"), "ActorArrayPluginResponseWS"),
    ("WSSearchActorsAdvanced", Some("SearchActorsAdvancedRequestWS"), "ActorArrayPluginResponseWS"),
    ("WSCreateActor", Some("CreateActorRequestWS"), "ActorPluginResponseWS"),
    ("WSSaveActors", Some("SaveActorsRequestWS"), "ActorArrayPluginResponseWS"),
    ("WSGetList", Some("GetListRequestWS"), "ListItemArrayPluginResponseWS"),
    ("WSGetListItems", Some("GetListItemsRequestWS"), "ListItemArrayPluginResponseWS"),
    (AUTHENTICATE, Some("AuthenticationRequest"), "AuthenticationResponse"),
];

/// Request members. (S: property names in the sample: `request.ConnectionGuid`, …)
pub const CONNECTION_GUID: &str = "ConnectionGuid";
pub const CONNECTION_INFO: &str = "ConnectionInfo";
pub const ACTOR_TYPE: &str = "ActorType";
pub const ERP_KEYS: &str = "ErpKeys";
pub const FIELD_KEYS: &str = "FieldKeys";
pub const UPDATED_ON_OR_AFTER: &str = "UpdatedOnOrAfter";
pub const SEARCH_TEXT: &str = "SearchText";
pub const PARENT_ACTOR_TYPE: &str = "ParentActorType";
pub const PARENT_ACTOR_ERP_KEY: &str = "ParentActorErpKey";
pub const RESTRICTIONS: &str = "Restrictions";
pub const ACTOR: &str = "Actor";
pub const ACTORS: &str = "Actors";
pub const LIST_NAME: &str = "ListName";
pub const LIST_ITEM_KEYS: &str = "ListItemKeys";
/// (C: `AuthenticationRequest.SignedToken`.)
pub const SIGNED_TOKEN: &str = "SignedToken";

/// `ErpActor` members (C: erp-actor-carrier.md), written in this (alphabetical, U) order.
pub const ERP_KEY: &str = "ErpKey";
pub const FIELD_VALUES: &str = "FieldValues";
pub const LAST_MODIFIED: &str = "LastModified";
pub const PARENT_ERP_KEY: &str = "ParentErpKey";
pub const ACTOR_MEMBERS: [&str; 6] =
    [ACTOR_TYPE, ERP_KEY, FIELD_VALUES, LAST_MODIFIED, PARENT_ACTOR_TYPE, PARENT_ERP_KEY];

/// `SearchRestrictionInfo` members. (S: the quote contract's `SearchRestrictionInfo` and the
/// ERP sample's `res.FieldKey`, `res.Operator`, `res.Values`.) A single `Value` is read too (U).
pub const RESTRICTION_FIELD_KEY: &str = "FieldKey";
pub const RESTRICTION_OPERATOR: &str = "Operator";
pub const RESTRICTION_VALUES: &str = "Values";
pub const RESTRICTION_VALUE: &str = "Value";

/// Dictionary entries (`ConnectionInfo`, `FieldValues`, `ListItems`): `KeyValueOfstringstring`
/// with `Key` and `Value` in [`ARRAYS_NS`]. (S: WCF's default; U for this contract. The reader
/// takes any entry element that has a `Key` child.)
pub const DICT_ITEM: &str = "KeyValueOfstringstring";
pub const DICT_KEY: &str = "Key";
pub const DICT_VALUE: &str = "Value";

/// Items of a string array (`Items`, `ErpKeys`, …). (S: WCF's default.)
pub const STRING_ITEM: &str = "string";

/// Item element names of arrays of carriers. (U: the data contract names; SuperOffice's docs
/// name the types `ErpActorWS` and `FieldMetadataInfoWS`.) The reader takes any child element.
pub const ACTOR_ITEM: &str = "ErpActorWS";
pub const FIELD_ITEM: &str = "FieldMetadataInfoWS";
pub const RESTRICTION_ITEM: &str = "SearchRestrictionInfoWS";

/// Result members, in the order written: the `PluginResponse` base first, alphabetical
/// (U: `DataContractSerializer` orders base-class members first, each level alphabetically),
/// then the payload member. (C: member names, pluginresponseinfo.md.)
pub const RESULT_BASE_MEMBERS: [&str; 5] = ["ErrorCode", "IsOk", "State", "TechExplanation", "UserExplanation"];
/// Payload members. (S: `FieldMetaDataObjects`, `Items`, `Actors`, `Actor`, `ListItems`.)
pub const FIELD_META_DATA_OBJECTS: &str = "FieldMetaDataObjects";
pub const ITEMS: &str = "Items";
pub const LIST_ITEMS: &str = "ListItems";

/// `FieldMetadataInfo` members, alphabetical (U order; C names, `Rank` S).
pub const FIELD_MEMBERS: [&str; 9] = [
    "Access",
    "DefaultValue",
    "DisplayDescription",
    "DisplayName",
    "FieldKey",
    "FieldType",
    "ListName",
    "MaxLength",
    "Rank",
];

/// `AuthenticationResponse` members, alphabetical (C names, U order).
pub const AUTH_RESPONSE_MEMBERS: [&str; 3] = ["Reason", "SignedApplicationToken", "Succeeded"];

/// `ErrorCode` of the answer to a request Koppel could not read (Koppel's own code).
pub const MALFORMED_CODE: &str = "malformed_request";

/// Type names only the WSDL shows. (U: `ResponseStateWS` is S, from SuperOffice's SOAP sample;
/// the others follow the `…WS` naming of the contract's types.)
pub const WSDL_SERVICE: &str = "ErpConnectorWS";
pub const STATE_TYPE: &str = "ResponseStateWS";
pub const FIELD_TYPE_TYPE: &str = "FieldMetadataTypeInfoWS";
pub const ACCESS_TYPE: &str = "FieldAccessInfoWS";
