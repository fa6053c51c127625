//! Reading a connector's SOAP answer: the `{op}Response` element in the Body, its
//! `{op}Result` (WCF's wrapped form; the response element itself when there is none), the
//! `PluginResponseInfo` members and the payload. By local name, any prefixes.

use std::collections::BTreeMap;

use super::types::{Actor, AuthAnswer, Fault, FieldMeta, ListItem, Outcome, State};
use super::wire::entry;
use super::xml::{Node, parse};

/// Why an answer could not be read as the operation's answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer is not XML: {0}")]
    NotXml(String),
    #[error("the answer is not a SOAP envelope with a Body")]
    NoBody,
    #[error("SOAP fault {}: {}", .0.code, .0.message)]
    Fault(Fault),
    #[error("the Body holds <{found}>, not <{expected}>")]
    WrongElement { expected: String, found: String },
}

/// The result element of `op`'s answer in `body`.
pub fn result(op: &str, body: &str) -> Result<Node, AnswerError> {
    let root = parse(body).map_err(|e| AnswerError::NotXml(e.0))?;
    if root.name != "Envelope" {
        return Err(AnswerError::NoBody);
    }
    let soap_body = root.child("Body").ok_or(AnswerError::NoBody)?;
    let first = soap_body.children.first().ok_or(AnswerError::NoBody)?;
    if first.name == "Fault" {
        return Err(AnswerError::Fault(fault_of(first)));
    }
    let expected = format!("{op}Response");
    if first.name != expected {
        return Err(AnswerError::WrongElement { expected, found: first.name.clone() });
    }
    let wanted = format!("{op}Result");
    Ok(first.child(&wanted).cloned().unwrap_or_else(|| first.clone()))
}

/// The fault in a body, if it is one.
pub fn fault(body: &str) -> Option<Fault> {
    let root = parse(body).ok()?;
    root.child("Body")?.child("Fault").map(fault_of)
}

fn fault_of(node: &Node) -> Fault {
    // SOAP 1.1 `faultcode`/`faultstring`; SOAP 1.2 `Code/Value` and `Reason/Text` for a
    // connector that answers in the wrong version (the checks notice the code's form).
    let code = node.child("faultcode").map(|c| c.text.trim().to_string()).unwrap_or_else(|| {
        node.child("Code").and_then(|c| c.child("Value")).map(|v| v.text.trim().to_string()).unwrap_or_default()
    });
    let message = node.child("faultstring").map(|c| c.text.clone()).unwrap_or_else(|| {
        node.child("Reason").and_then(|c| c.child("Text")).map(|v| v.text.clone()).unwrap_or_default()
    });
    Fault { code, message }
}

fn boolean(s: &str) -> Option<bool> {
    match s.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// The `PluginResponseInfo` members of a result.
pub fn outcome(result: &Node) -> Outcome {
    Outcome {
        is_ok: result.child("IsOk").and_then(|n| boolean(&n.text)),
        state: result.child("State").map_or(State::Other("(missing)".into()), |n| State::parse(&n.text)),
        user_explanation: result.text_of("UserExplanation"),
        tech_explanation: result.text_of("TechExplanation"),
        error_code: result.text_of("ErrorCode"),
    }
}

/// Child elements of a member (any item names), empty when it is missing or nil.
fn items<'a>(result: &'a Node, member: &str) -> &'a [Node] {
    match result.child(member) {
        Some(n) if !n.is_nil() => &n.children,
        _ => &[],
    }
}

pub fn field_metas(result: &Node) -> Vec<FieldMeta> {
    items(result, "FieldMetaDataObjects")
        .iter()
        .map(|n| FieldMeta {
            field_key: n.text_of("FieldKey"),
            display_name: n.text_of("DisplayName"),
            display_description: n.text_of("DisplayDescription"),
            field_type: n.text_of("FieldType").trim().to_string(),
            list_name: n.text_of("ListName"),
            default_value: n.text_of("DefaultValue"),
            max_length: n.text_of("MaxLength").trim().to_string(),
            access: n.text_of("Access").trim().to_string(),
            rank: n.text_of("Rank").trim().to_string(),
        })
        .collect()
}

pub fn strings(result: &Node, member: &str) -> Vec<String> {
    items(result, member).iter().map(|n| n.text.clone()).collect()
}

pub fn dictionary(node: &Node) -> BTreeMap<String, String> {
    node.children.iter().filter_map(entry).collect()
}

pub fn actor_of(n: &Node) -> Actor {
    Actor {
        actor_type: n.text_of("ActorType"),
        erp_key: n.text_of("ErpKey"),
        last_modified: n.text_of("LastModified"),
        parent_actor_type: n.text_of("ParentActorType"),
        parent_erp_key: n.text_of("ParentErpKey"),
        fields: n.child("FieldValues").map(dictionary).unwrap_or_default(),
    }
}

pub fn actors(result: &Node) -> Vec<Actor> {
    items(result, "Actors").iter().map(actor_of).collect()
}

/// The single `Actor` of a create answer (`None` when missing or nil).
pub fn actor(result: &Node) -> Option<Actor> {
    result.child("Actor").filter(|n| !n.is_nil() && !n.children.is_empty()).map(actor_of)
}

/// `ListItems`: a dictionary of key → text (SuperOffice's sample); items with `Key` and
/// `DisplayValue`/`Text`/`Value` are read too.
pub fn list_items(result: &Node) -> Vec<ListItem> {
    items(result, "ListItems")
        .iter()
        .filter_map(|n| {
            let key = n.child("Key")?.text.clone();
            let text = ["Value", "DisplayValue", "Text"]
                .iter()
                .find_map(|m| n.child(m).map(|c| c.text.clone()))
                .unwrap_or_default();
            Some(ListItem { key, text })
        })
        .collect()
}

pub fn auth(result: &Node) -> AuthAnswer {
    AuthAnswer {
        succeeded: result.child("Succeeded").and_then(|n| boolean(&n.text)).unwrap_or(false),
        signed_application_token: result.text_of("SignedApplicationToken"),
        reason: result.text_of("Reason"),
    }
}
