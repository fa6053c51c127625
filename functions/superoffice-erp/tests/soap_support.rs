//! Shared by the `soap_*` tests (included with `#[path]`): request envelopes as a WCF client
//! sends them, and reading answers back with quick-xml.
#![allow(dead_code)]

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

pub const SVC: &str = "http://tempuri.org/";
pub const DATA: &str = "http://schemas.datacontract.org/2004/07/SuperOffice.ErpSync.ConnectorWS";
pub const ARR: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
pub const GUID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// A DataContract-style request: `<{op} xmlns=SVC><request xmlns:a=DATA …>{members}</request></{op}>`.
pub fn envelope(op: &str, members: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/><s:Body><{op} xmlns="{SVC}"><request xmlns:a="{DATA}" xmlns:b="{ARR}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">{members}</request></{op}></s:Body></s:Envelope>"#
    )
}

pub fn guid() -> String {
    format!("<a:ConnectionGuid>{GUID}</a:ConnectionGuid>")
}

pub fn strings(name: &str, items: &[&str]) -> String {
    let inner: String = items.iter().map(|i| format!("<b:string>{i}</b:string>")).collect();
    format!("<a:{name}>{inner}</a:{name}>")
}

pub fn dict(name: &str, pairs: &[(&str, &str)]) -> String {
    let inner: String = pairs
        .iter()
        .map(|(k, v)| {
            format!("<b:KeyValueOfstringstring><b:Key>{k}</b:Key><b:Value>{v}</b:Value></b:KeyValueOfstringstring>")
        })
        .collect();
    format!("<a:{name}>{inner}</a:{name}>")
}

/// One element of a parsed answer: its path of local names from the root, namespace and text.
#[derive(Debug, Clone)]
pub struct El {
    pub path: Vec<String>,
    pub ns: String,
    pub text: String,
    pub nil: bool,
}

pub fn parse(xml: &str) -> Vec<El> {
    let mut reader = NsReader::from_str(xml);
    let mut out: Vec<El> = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    loop {
        let (resolved, event) = reader.read_resolved_event().expect("the answer is well-formed XML");
        let ns = match resolved {
            ResolveResult::Bound(ns) => String::from_utf8(ns.as_ref().to_vec()).expect("utf-8"),
            _ => String::new(),
        };
        let is_start = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let local = String::from_utf8(e.local_name().as_ref().to_vec()).expect("utf-8");
                let nil = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.local_name().as_ref() == b"nil" && a.value.as_ref() == b"true");
                let mut path: Vec<String> = stack.iter().map(|(n, _)| n.clone()).collect();
                path.push(local.clone());
                out.push(El { path, ns, text: String::new(), nil });
                if is_start {
                    stack.push((local, out.len() - 1));
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                if let Some((_, i)) = stack.last() {
                    out[*i].text.push_str(&t.xml10_content().expect("text"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, i)) = stack.last() {
                    let c = match r.resolve_char_ref().expect("char ref") {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(&r.decode().expect("ref"))
                            .expect("predefined")
                            .to_string(),
                    };
                    out[*i].text.push_str(&c);
                }
            }
            Event::CData(c) => {
                if let Some((_, i)) = stack.last() {
                    out[*i].text.push_str(&c.decode().expect("cdata"));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Elements whose path ends with `suffix`.
pub fn all<'a>(els: &'a [El], suffix: &[&str]) -> Vec<&'a El> {
    els.iter()
        .filter(|e| {
            e.path.len() >= suffix.len()
                && e.path[e.path.len() - suffix.len()..].iter().zip(suffix).all(|(a, b)| a == b)
        })
        .collect()
}

pub fn texts(els: &[El], suffix: &[&str]) -> Vec<String> {
    all(els, suffix).into_iter().map(|e| e.text.clone()).collect()
}

/// The text of the one element whose path ends with `suffix`.
pub fn one(els: &[El], suffix: &[&str]) -> String {
    let found = texts(els, suffix);
    assert_eq!(found.len(), 1, "expected one {suffix:?}, found {found:?}");
    found[0].clone()
}

/// `(IsOk, State, ErrorCode, TechExplanation, UserExplanation)` of an answer.
pub fn outcome(els: &[El], op: &str) -> (String, String, String, String, String) {
    let result = format!("{op}Result");
    let get = |m: &str| one(els, &[result.as_str(), m]);
    (get("IsOk"), get("State"), get("ErrorCode"), get("TechExplanation"), get("UserExplanation"))
}
