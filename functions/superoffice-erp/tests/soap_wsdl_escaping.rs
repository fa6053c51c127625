//! The WSDL lists every operation consistently with the reader and writer; everything written is
//! escaped, and what was escaped reads back the same.

#[path = "soap_support.rs"]
mod support;

use std::collections::BTreeMap;

use koppel_core::erp::contract::{Actor, Payload, Request, Response};
use superoffice_erp::soap::{self, Incoming, assumptions};
use support::*;

const OPS: [&str; 17] = [
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

#[test]
fn the_wsdl_lists_every_operation_with_its_action_and_the_endpoint() {
    let endpoint = "https://koppel.example/superoffice-erp/r-1?a=1&b=\"2\"";
    let els = parse(&soap::wsdl(endpoint));
    assert_eq!(els[0].path, ["definitions"]);
    let port_ops =
        els.iter().filter(|e| e.path.len() == 3 && e.path[1] == "portType" && e.path[2] == "operation").count();
    assert_eq!(port_ops, 18, "17 WS operations + Authenticate");
    let xml = soap::wsdl(endpoint);
    for op in OPS.iter().chain(["Authenticate"].iter()) {
        assert!(xml.contains(&format!("<wsdl:operation name=\"{op}\">")), "{op} in portType and binding");
        let action = assumptions::soap_action(op);
        assert!(xml.contains(&format!("soapAction=\"{action}\"")), "{action}");
        assert!(xml.contains(&format!("<xs:element name=\"{op}\">")), "{op} request element");
        assert!(xml.contains(&format!("<xs:element name=\"{op}Response\">")), "{op} response element");
        assert!(xml.contains(&format!("name=\"{op}Result\"")), "{op} result member");
        // What the WSDL declares, the reader takes (with the action the WSDL names).
        let body = match *op {
            "Authenticate" => envelope(op, "<a:SignedToken>t</a:SignedToken>"),
            "WSCreateActor" => envelope(op, &format!("{}<a:Actor/>", guid())),
            _ => envelope(op, &guid()),
        };
        assert!(soap::read(Some(&action), body.as_bytes()).is_ok(), "{op} reads");
    }
    let locations: Vec<&El> = all(&els, &["service", "port", "address"]);
    assert_eq!(locations.len(), 2);
    let written = xml.split("location=\"").nth(1).and_then(|s| s.split('"').next()).expect("a location");
    assert_eq!(written, "https://koppel.example/superoffice-erp/r-1?a=1&amp;b=&quot;2&quot;");
    assert!(!xml.contains(endpoint), "the raw endpoint is never written unescaped");
}

#[test]
fn text_is_escaped_and_reads_back() {
    let nasty = "A&B <c> \"d\" 'e' ]]> \r\n\ttab ✓ 😀";
    let actor = Actor {
        actor_type: "Customer".into(),
        erp_key: "<key&>".into(),
        last_modified: "1".into(),
        parent_actor_type: String::new(),
        parent_erp_key: String::new(),
        fields: BTreeMap::from([("NAME".into(), nasty.into()), ("CTRL".into(), "a\u{1}b\u{0}c".into())]),
    };
    let request =
        Request::GetActors { guid: "g".into(), actor_type: "Customer".into(), erp_keys: vec![], field_keys: vec![] };
    let xml = soap::write(&request, &Response::ok(Payload::Actors(vec![actor])));
    assert!(!xml.contains("<key&>") && !xml.contains("<c>"));
    let els = parse(&xml);
    assert_eq!(one(&els, &["ErpActorWS", "ErpKey"]), "<key&>");
    let values = texts(&els, &["FieldValues", "KeyValueOfstringstring", "Value"]);
    assert_eq!(values, vec!["a\u{FFFD}b\u{FFFD}c".to_string(), nasty.to_string()], "controls replaced, the rest exact");
}

#[test]
fn entities_cdata_and_prefixes_are_read() {
    let members = "<a:ConnectionGuid>&#x67;-1</a:ConnectionGuid><a:ActorType><![CDATA[Cust]]>omer</a:ActorType>\
                   <a:SearchText>&lt;Acme &amp; Co&gt; &#8364;</a:SearchText>";
    let Ok(Incoming::Call(request)) = soap::read(None, envelope("WSSearchActors", members).as_bytes()) else {
        panic!("readable")
    };
    assert_eq!(
        request,
        Request::SearchActors {
            guid: "g-1".into(),
            actor_type: "Customer".into(),
            search_text: "<Acme & Co> €".into(),
            field_keys: vec![]
        }
    );
}
