//! How the engine writes a SOAP 1.1 call. Everything here that SuperOffice's documentation does
//! not confirm is an assumption of this test client, kept in this one file:
//!
//! - [C] SOAP 1.1 over HTTP POST (`BasicHttpBinding`), `text/xml; charset=utf-8`, a `SOAPAction`
//!   header, operation names `WS…` and the member names of the request carriers
//!   (`ConnectionGuid`, `ConnectionInfo`, `ActorType`, `ErpKeys`, `FieldKeys`, `SearchText`,
//!   `ParentActorType`, `ParentActorErpKey`, `Restrictions`, `Actor`, `Actors`, `ListName`,
//!   `ListItemKeys`; `Authenticate` with `SignedToken`) — SuperOffice/integration-services
//!   `ERPConnectorWS.cs`.
//! - [U] `UpdatedOnOrAfter` as the timestamp member of `WSGetActorsByTimestamp` (the .NET
//!   parameter is `lastModified`).
//! - [U, read from the WSDL the connector serves on GET when it says] the target namespace
//!   (default `http://tempuri.org/`, WCF's), the `SOAPAction` of each operation (default WCF's
//!   `{namespace}IErpConnectorWS/{op}`, `IIntegrationServiceConnectorAuth/Authenticate`), and
//!   whether the members sit in a `request` element (WCF's document/literal wrapped form of
//!   `WSOp(XRequestWS request)`: `<WSOp><request>…</request></WSOp>`; default yes).
//! - [U] WCF's DataContractSerializer forms: dictionaries as
//!   `KeyValueOfstringstring/Key/Value` and string arrays as `string` items in
//!   `http://schemas.microsoft.com/2003/10/Serialization/Arrays`; members in alphabetical
//!   order after the base class's `ConnectionGuid`; array items of actors `ErpActor`, of
//!   restrictions `SearchRestrictionInfo` (or the `ArrayOfX` the WSDL names).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::types::{Actor, Restriction};
use super::xml::{Node, XmlError, esc, parse};

pub const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const ARRAYS_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
pub const DEFAULT_NAMESPACE: &str = "http://tempuri.org/";
pub const CONTRACT: &str = "IErpConnectorWS";
pub const AUTH_CONTRACT: &str = "IIntegrationServiceConnectorAuth";
pub const AUTHENTICATE: &str = "Authenticate";

/// Every operation of `IErpConnectorWS`.
pub const OPERATIONS: [&str; 17] = [
    "WSGetConfigData",
    "WSTestConfigData",
    "WSSaveConnection",
    "WSTestConnection",
    "WSDeleteConnection",
    "WSGetSupportedActorTypes",
    "WSGetSupportedActorTypeFields",
    "WSGetSearchableFields",
    "WSGetActors",
    "WSGetActorsByTimestamp",
    "WSSearchActors",
    "WSSearchActorByParent",
    "WSSearchActorsAdvanced",
    "WSCreateActor",
    "WSSaveActors",
    "WSGetList",
    "WSGetListItems",
];

/// One member of a request carrier.
#[derive(Debug, Clone)]
pub enum Member {
    Text(&'static str, String),
    Strings(&'static str, Vec<String>),
    Dict(&'static str, BTreeMap<String, String>),
    Actor(&'static str, Actor),
    Actors(&'static str, Vec<Actor>),
    Restrictions(&'static str, Vec<Restriction>),
}

/// The namespaces, actions and shapes the engine writes with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wire {
    pub namespace: String,
    /// Namespace of `Authenticate` (another contract; may differ).
    pub auth_namespace: String,
    /// Namespace of the carriers' members (a `schemas.datacontract.org` one when the WSDL has it).
    pub data_namespace: String,
    pub actions: BTreeMap<String, String>,
    /// Operation → the element wrapping its members (`None`: members directly in the operation).
    pub wrappers: BTreeMap<String, Option<String>>,
    pub actor_item: String,
    pub restriction_item: String,
    /// What came from a WSDL (for the report): operations whose action it named.
    pub from_wsdl: Vec<String>,
}

impl Default for Wire {
    fn default() -> Self {
        Self {
            namespace: DEFAULT_NAMESPACE.into(),
            auth_namespace: DEFAULT_NAMESPACE.into(),
            data_namespace: DEFAULT_NAMESPACE.into(),
            actions: BTreeMap::new(),
            wrappers: BTreeMap::new(),
            actor_item: "ErpActor".into(),
            restriction_item: "SearchRestrictionInfo".into(),
            from_wsdl: Vec::new(),
        }
    }
}

impl Wire {
    /// The `SOAPAction` of an operation (WSDL's, else WCF's default form).
    pub fn action(&self, op: &str) -> String {
        if let Some(a) = self.actions.get(op) {
            return a.clone();
        }
        let (ns, contract) =
            if op == AUTHENTICATE { (&self.auth_namespace, AUTH_CONTRACT) } else { (&self.namespace, CONTRACT) };
        let sep = if ns.ends_with('/') { "" } else { "/" };
        format!("{ns}{sep}{contract}/{op}")
    }

    /// A whole SOAP 1.1 envelope calling `op` with `members`.
    pub fn envelope(&self, op: &str, members: &[Member]) -> String {
        let ns = if op == AUTHENTICATE { &self.auth_namespace } else { &self.namespace };
        let mut s = String::with_capacity(512);
        let _ = write!(
            s,
            r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP_ENV}"><s:Body><{op} xmlns="{}">"#,
            esc(ns)
        );
        let wrapper =
            if members.is_empty() { None } else { self.wrappers.get(op).cloned().unwrap_or(Some("request".into())) };
        if let Some(w) = &wrapper {
            let _ = write!(
                s,
                r#"<{w} xmlns:d="{}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:b="{ARRAYS_NS}">"#,
                esc(&self.data_namespace)
            );
        }
        let p = if wrapper.is_some() { "d:" } else { "" };
        for m in members {
            self.member(&mut s, p, m);
        }
        if let Some(w) = &wrapper {
            let _ = write!(s, "</{w}>");
        }
        let _ = write!(s, "</{op}></s:Body></s:Envelope>");
        s
    }

    fn member(&self, s: &mut String, p: &str, m: &Member) {
        let arrays = if p.is_empty() { format!(r#" xmlns:b="{ARRAYS_NS}""#) } else { String::new() };
        match m {
            Member::Text(name, v) => {
                let _ = write!(s, "<{p}{name}>{}</{p}{name}>", esc(v));
            }
            Member::Strings(name, items) => {
                let _ = write!(s, "<{p}{name}{arrays}>");
                for i in items {
                    let _ = write!(s, "<b:string>{}</b:string>", esc(i));
                }
                let _ = write!(s, "</{p}{name}>");
            }
            Member::Dict(name, map) => dict(s, p, name, &arrays, map),
            Member::Actor(name, a) => self.actor(s, p, name, a),
            Member::Actors(name, list) => {
                let _ = write!(s, "<{p}{name}>");
                for a in list {
                    self.actor(s, p, &self.actor_item, a);
                }
                let _ = write!(s, "</{p}{name}>");
            }
            Member::Restrictions(name, list) => {
                let _ = write!(s, "<{p}{name}>");
                for r in list {
                    let item = &self.restriction_item;
                    let _ = write!(s, "<{p}{item}>");
                    let _ = write!(s, "<{p}FieldKey>{}</{p}FieldKey>", esc(&r.field_key));
                    let _ = write!(s, "<{p}Operator>{}</{p}Operator>", esc(&r.operator));
                    let _ = write!(s, "<{p}Values{arrays}>");
                    for v in &r.values {
                        let _ = write!(s, "<b:string>{}</b:string>", esc(v));
                    }
                    let _ = write!(s, "</{p}Values></{p}{item}>");
                }
                let _ = write!(s, "</{p}{name}>");
            }
        }
    }

    fn actor(&self, s: &mut String, p: &str, name: &str, a: &Actor) {
        let arrays = if p.is_empty() { format!(r#" xmlns:b="{ARRAYS_NS}""#) } else { String::new() };
        let _ = write!(s, "<{p}{name}>");
        let _ = write!(s, "<{p}ActorType>{}</{p}ActorType>", esc(&a.actor_type));
        let _ = write!(s, "<{p}ErpKey>{}</{p}ErpKey>", esc(&a.erp_key));
        dict(s, p, "FieldValues", &arrays, &a.fields);
        let _ = write!(s, "<{p}LastModified>{}</{p}LastModified>", esc(&a.last_modified));
        let _ = write!(s, "<{p}ParentActorType>{}</{p}ParentActorType>", esc(&a.parent_actor_type));
        let _ = write!(s, "<{p}ParentErpKey>{}</{p}ParentErpKey>", esc(&a.parent_erp_key));
        let _ = write!(s, "</{p}{name}>");
    }

    /// Read what a WSDL says: target namespace(s), each operation's `soapAction`, whether its
    /// element wraps a `request`, the array item names. Operations it does not name keep the
    /// defaults.
    pub fn from_wsdl(text: &str) -> Result<Self, XmlError> {
        let root = parse(text)?;
        if root.name != "definitions" {
            return Err(XmlError(format!("the root element is <{}>, not <wsdl:definitions>", root.name)));
        }
        let mut wire = Wire::default();
        if let Some(ns) = root.attr("targetNamespace") {
            wire.namespace = ns.to_string();
            wire.auth_namespace = ns.to_string();
            wire.data_namespace = ns.to_string();
        }
        let mut schemas = Vec::new();
        root.find_all("schema", &mut schemas);
        if let Some(dc) = schemas
            .iter()
            .filter_map(|s| s.attr("targetNamespace"))
            .find(|ns| ns.starts_with("http://schemas.datacontract.org/"))
        {
            wire.data_namespace = dc.to_string();
        }
        let mut ops = Vec::new();
        root.find_all("operation", &mut ops);
        for op in ops {
            let (Some(name), Some(action)) =
                (op.attr("name"), op.child("operation").and_then(|o| o.attr("soapAction")))
            else {
                continue;
            };
            wire.actions.insert(name.to_string(), action.to_string());
            wire.from_wsdl.push(name.to_string());
        }
        for schema in &schemas {
            for el in schema.children.iter().filter(|c| c.name == "element") {
                let Some(name) = el.attr("name") else { continue };
                let is_op = name == AUTHENTICATE || OPERATIONS.contains(&name);
                if !is_op {
                    continue;
                }
                if name == AUTHENTICATE
                    && let Some(ns) = schema.attr("targetNamespace")
                {
                    wire.auth_namespace = ns.to_string();
                }
                let mut inner = Vec::new();
                el.find_all("element", &mut inner);
                let names: Vec<&str> = inner.iter().filter_map(|e| e.attr("name")).collect();
                let wrapper = match names.as_slice() {
                    [] => None,
                    [one] if !is_member(one) => Some(one.to_string()),
                    _ if names.contains(&"request") => Some("request".to_string()),
                    _ => None,
                };
                wire.wrappers.insert(name.to_string(), wrapper);
            }
        }
        let mut elements = Vec::new();
        root.find_all("element", &mut elements);
        for el in elements {
            let item =
                el.attr("type").map(|t| t.rsplit(':').next().unwrap_or(t)).and_then(|t| t.strip_prefix("ArrayOf"));
            match (el.attr("name"), item) {
                (Some("Actors"), Some(item)) => wire.actor_item = item.to_string(),
                (Some("Restrictions"), Some(item)) => wire.restriction_item = item.to_string(),
                _ => {}
            }
        }
        Ok(wire)
    }
}

/// Member names of the carriers: an operation element holding these has no wrapper.
fn is_member(name: &str) -> bool {
    matches!(
        name,
        "ConnectionGuid"
            | "ConnectionInfo"
            | "ActorType"
            | "ErpKeys"
            | "FieldKeys"
            | "SearchText"
            | "UpdatedOnOrAfter"
            | "Actor"
            | "Actors"
            | "ListName"
            | "ListItemKeys"
            | "Restrictions"
            | "SignedToken"
    )
}

fn dict(s: &mut String, p: &str, name: &str, arrays: &str, map: &BTreeMap<String, String>) {
    let _ = write!(s, "<{p}{name}{arrays}>");
    for (k, v) in map {
        let _ = write!(
            s,
            "<b:KeyValueOfstringstring><b:Key>{}</b:Key><b:Value>{}</b:Value></b:KeyValueOfstringstring>",
            esc(k),
            esc(v)
        );
    }
    let _ = write!(s, "</{p}{name}>");
}

/// Is this node a dictionary entry (`Key` + `Value`)? Used by the answer reader.
pub fn entry(node: &Node) -> Option<(String, String)> {
    let key = node.child("Key")?;
    let value = node.child("Value").map(|v| v.text.clone()).unwrap_or_default();
    Some((key.text.clone(), value))
}
