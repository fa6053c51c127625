//! Response envelopes: one per operation, the handshake's answer, and SOAP Faults.

use koppel_core::erp::contract::{Access, Actor, FieldMeta, FieldType, Outcome, Payload, Request, Response, State};

use super::assumptions as a;
use super::xml_out::Xml;
use super::{Dialect, WireError};
use crate::handshake::AuthAnswer;

/// The answer to `request`, in the default namespaces.
pub fn write(request: &Request, response: &Response) -> String {
    write_as(&Dialect::default(), request, response)
}

/// The answer to `request`, in the namespaces `dialect` names (those the request used).
pub fn write_as(dialect: &Dialect, request: &Request, response: &Response) -> String {
    let op = request.operation();
    let expected = kind_of_operation(op);
    if kind_of_payload(&response.payload) == expected {
        result_envelope(dialect, op, &response.outcome, Some(&response.payload))
    } else {
        tracing::error!(operation = op, "the answer's payload does not match the operation");
        let outcome = Outcome::error(
            "internal_error",
            "Koppel could not answer this request.",
            "the answer's payload does not match the operation",
        );
        result_envelope(dialect, op, &outcome, None)
    }
}

/// The handshake's answer (`AuthenticateResponse`), in the default namespaces.
pub fn write_auth(answer: &AuthAnswer) -> String {
    write_auth_as(&Dialect::default(), answer)
}

pub fn write_auth_as(dialect: &Dialect, answer: &AuthAnswer) -> String {
    let op = a::AUTHENTICATE;
    let data_ns = dialect.data_ns.as_deref().unwrap_or(a::AUTH_DATA_NS);
    let mut x = open_envelope(dialect, op);
    let result = a::result_element(op);
    x.open(&result, &[("xmlns:a", data_ns), ("xmlns:i", a::XSI_NS)]);
    let [reason, token, succeeded] = a::AUTH_RESPONSE_MEMBERS;
    text_or_nil(&mut x, reason, &answer.reason);
    text_or_nil(&mut x, token, &answer.signed_application_token);
    x.leaf(&format!("a:{succeeded}"), bool_text(answer.succeeded));
    x.close(&result);
    close_envelope(x, op)
}

/// The answer to a request that could not be read: when its operation is known, that
/// operation's answer with `State` Error (`ErrorCode` `malformed_request`, the reason in
/// `TechExplanation`; for the handshake `Succeeded` false with the reason) and HTTP 200; else a
/// SOAP 1.1 Fault (`s:Client`) with HTTP 400.
pub fn fault(err: &WireError) -> (u16, String) {
    match err.operation {
        Some(a::AUTHENTICATE) => (200, write_auth(&AuthAnswer::failure(err.message.clone()))),
        Some(op) => {
            let outcome = Outcome::error(
                a::MALFORMED_CODE,
                "SuperOffice sent a request Koppel could not read.",
                err.message.clone(),
            );
            (200, result_envelope(&Dialect::default(), op, &outcome, None))
        }
        None => {
            let mut x = Xml::new();
            x.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            x.open("s:Envelope", &[("xmlns:s", a::SOAP11_ENV_NS)]).open("s:Body", &[]).open("s:Fault", &[]);
            x.leaf("faultcode", "s:Client");
            x.open("faultstring", &[("xml:lang", "en")]);
            super::xml_out::escape_into(&mut x.out, &err.to_string());
            x.close("faultstring").close("s:Fault").close("s:Body").close("s:Envelope");
            (400, x.out)
        }
    }
}

/// Which payload member an operation's result has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    None,
    Fields,
    Strings,
    Actors,
    Actor,
    ListItems,
}

fn kind_of_operation(op: &str) -> Kind {
    match op {
        "WSGetConfigData" | "WSGetSupportedActorTypeFields" => Kind::Fields,
        "WSGetSupportedActorTypes" | "WSGetSearchableFields" => Kind::Strings,
        "WSGetActors"
        | "WSGetActorsByTimestamp"
        | "WSSearchActors"
        | "WSSearchActorByParent"
        | "WSSearchActorsAdvanced"
        | "WSSaveActors" => Kind::Actors,
        "WSCreateActor" => Kind::Actor,
        "WSGetList" | "WSGetListItems" => Kind::ListItems,
        _ => Kind::None,
    }
}

fn kind_of_payload(payload: &Payload) -> Kind {
    match payload {
        Payload::None => Kind::None,
        Payload::Fields(_) => Kind::Fields,
        Payload::Strings(_) => Kind::Strings,
        Payload::Actors(_) => Kind::Actors,
        Payload::Actor(_) => Kind::Actor,
        Payload::ListItems(_) => Kind::ListItems,
    }
}

fn open_envelope(dialect: &Dialect, op: &str) -> Xml {
    let service_ns = dialect.service_ns.as_deref().unwrap_or(a::SERVICE_NS);
    let mut x = Xml::new();
    x.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    x.open("s:Envelope", &[("xmlns:s", a::SOAP11_ENV_NS)]).open("s:Body", &[]);
    x.open(&a::response_element(op), &[("xmlns", service_ns)]);
    x
}

fn close_envelope(mut x: Xml, op: &str) -> String {
    x.close(&a::response_element(op)).close("s:Body").close("s:Envelope");
    x.out
}

/// `payload` `None` writes the operation's payload member empty.
fn result_envelope(dialect: &Dialect, op: &str, outcome: &Outcome, payload: Option<&Payload>) -> String {
    let data_ns = dialect.data_ns.as_deref().unwrap_or(a::DATA_NS);
    let mut x = open_envelope(dialect, op);
    let result = a::result_element(op);
    x.open(&result, &[("xmlns:a", data_ns), ("xmlns:b", a::ARRAYS_NS), ("xmlns:i", a::XSI_NS)]);
    let [code, is_ok, state, tech, user] = a::RESULT_BASE_MEMBERS;
    x.leaf(&format!("a:{code}"), &outcome.error_code);
    x.leaf(&format!("a:{is_ok}"), bool_text(outcome.is_ok()));
    x.leaf(&format!("a:{state}"), state_text(outcome.state));
    x.leaf(&format!("a:{tech}"), &outcome.tech_explanation);
    x.leaf(&format!("a:{user}"), &outcome.user_explanation);
    match (kind_of_operation(op), payload) {
        (_, Some(Payload::Fields(fields))) => field_list(&mut x, fields),
        (Kind::Fields, None) => field_list(&mut x, &[]),
        (_, Some(Payload::Strings(items))) => string_list(&mut x, items),
        (Kind::Strings, None) => string_list(&mut x, &[]),
        (_, Some(Payload::Actors(actors))) => actor_list(&mut x, actors),
        (Kind::Actors, None) => actor_list(&mut x, &[]),
        (_, Some(Payload::Actor(Some(one)))) => actor(&mut x, &format!("a:{}", a::ACTOR), one),
        (_, Some(Payload::Actor(None))) | (Kind::Actor, None) => {
            x.nil(&format!("a:{}", a::ACTOR));
        }
        (_, Some(Payload::ListItems(items))) => {
            let pairs: Vec<(&str, &str)> = items.iter().map(|i| (i.key.as_str(), i.display_value.as_str())).collect();
            dictionary(&mut x, &format!("a:{}", a::LIST_ITEMS), &pairs);
        }
        (Kind::ListItems, None) => dictionary(&mut x, &format!("a:{}", a::LIST_ITEMS), &[]),
        (_, Some(Payload::None)) | (Kind::None, None) => {}
    }
    x.close(&result);
    close_envelope(x, op)
}

fn field_list(x: &mut Xml, fields: &[FieldMeta]) {
    let list = format!("a:{}", a::FIELD_META_DATA_OBJECTS);
    let item = format!("a:{}", a::FIELD_ITEM);
    x.open(&list, &[]);
    for f in fields {
        x.open(&item, &[]);
        let values = [
            access_text(f.access).to_string(),
            f.default_value.clone(),
            f.display_description.clone(),
            f.display_name.clone(),
            f.field_key.clone(),
            field_type_text(f.field_type).to_string(),
            f.list_name.clone(),
            f.max_length.to_string(),
            f.rank.to_string(),
        ];
        for (name, value) in a::FIELD_MEMBERS.iter().zip(values.iter()) {
            x.leaf(&format!("a:{name}"), value);
        }
        x.close(&item);
    }
    x.close(&list);
}

fn string_list(x: &mut Xml, items: &[String]) {
    let list = format!("a:{}", a::ITEMS);
    let item = format!("b:{}", a::STRING_ITEM);
    x.open(&list, &[]);
    for i in items {
        x.leaf(&item, i);
    }
    x.close(&list);
}

fn actor_list(x: &mut Xml, actors: &[Actor]) {
    let list = format!("a:{}", a::ACTORS);
    x.open(&list, &[]);
    let item = format!("a:{}", a::ACTOR_ITEM);
    for one in actors {
        actor(x, &item, one);
    }
    x.close(&list);
}

fn actor(x: &mut Xml, element: &str, actor: &Actor) {
    x.open(element, &[]);
    let [actor_type, erp_key, field_values, last_modified, parent_type, parent_key] = a::ACTOR_MEMBERS;
    x.leaf(&format!("a:{actor_type}"), &actor.actor_type);
    x.leaf(&format!("a:{erp_key}"), &actor.erp_key);
    let pairs: Vec<(&str, &str)> = actor.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    dictionary(x, &format!("a:{field_values}"), &pairs);
    x.leaf(&format!("a:{last_modified}"), &actor.last_modified);
    x.leaf(&format!("a:{parent_type}"), &actor.parent_actor_type);
    x.leaf(&format!("a:{parent_key}"), &actor.parent_erp_key);
    x.close(element);
}

fn dictionary(x: &mut Xml, element: &str, pairs: &[(&str, &str)]) {
    let entry = format!("b:{}", a::DICT_ITEM);
    let (key, value) = (format!("b:{}", a::DICT_KEY), format!("b:{}", a::DICT_VALUE));
    x.open(element, &[]);
    for (k, v) in pairs {
        x.open(&entry, &[]).leaf(&key, k).leaf(&value, v).close(&entry);
    }
    x.close(element);
}

fn text_or_nil(x: &mut Xml, member: &str, text: &str) {
    if text.is_empty() {
        x.nil(&format!("a:{member}"));
    } else {
        x.leaf(&format!("a:{member}"), text);
    }
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// `ResponseState` names. (C: pluginresponseinfo.md.)
fn state_text(state: State) -> &'static str {
    match state {
        State::Ok => "Ok",
        State::OkWithInfo => "OkWithInfo",
        State::Warning => "Warning",
        State::Error => "Error",
    }
}

/// `FieldMetadataTypeInfo` names. (C: field-meta-data-carrier.md.)
fn field_type_text(t: FieldType) -> &'static str {
    match t {
        FieldType::Checkbox => "Checkbox",
        FieldType::Text => "Text",
        FieldType::Password => "Password",
        FieldType::Integer => "Integer",
        FieldType::Double => "Double",
        FieldType::List => "List",
        FieldType::Datetime => "Datetime",
        FieldType::Label => "Label",
    }
}

/// `FieldAccessInfo` names. (C: field-meta-data-carrier.md.)
fn access_text(access: Access) -> &'static str {
    match access {
        Access::Normal => "Normal",
        Access::Mandatory => "Mandatory",
        Access::ReadOnly => "ReadOnly",
    }
}
