//! Requests Koppel cannot read: a clear message, in the operation's answer when the operation is
//! known (HTTP 200, State Error), else a SOAP Fault (HTTP 400); never a panic.

#[path = "soap_support.rs"]
mod support;

use superoffice_erp::soap::{self, MAX_BODY_BYTES, WireError};
use support::*;

fn refused(action: Option<&str>, body: &[u8]) -> WireError {
    match soap::read(action, body) {
        Err(e) => e,
        Ok(incoming) => panic!("read {incoming:?}"),
    }
}

fn fault_text(err: &WireError) -> String {
    let (status, xml) = soap::fault(err);
    assert_eq!(status, 400, "{err}");
    let els = parse(&xml);
    assert_eq!(one(&els, &["Envelope", "Body", "Fault", "faultcode"]), "s:Client");
    one(&els, &["Fault", "faultstring"])
}

#[test]
fn bodies_that_are_not_soap_get_a_fault_naming_the_problem() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"".to_vec(), "the request body is empty"),
        (b"  \n ".to_vec(), "the request body is empty"),
        (b"hello".to_vec(), "text outside the root element"),
        (b"<a><b></a>".to_vec(), "not well-formed XML"),
        (vec![0xff, 0xfe, b'<'], "not UTF-8"),
        (b"<a/><b/>".to_vec(), "more than one root element"),
        (b"<a>".to_vec(), "not well-formed XML"),
        (b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>".to_vec(), "DTD"),
        (b"<x>&nbsp;</x>".to_vec(), "unknown entity &nbsp;"),
        (b"<p:x/>".to_vec(), "unknown namespace prefix"),
        (b"<Root/>".to_vec(), "the root element is Root, not a SOAP Envelope"),
        (b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"/>".to_vec(), "has no Body"),
        (
            b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>  </s:Body></s:Envelope>"
                .to_vec(),
            "the SOAP Body is empty",
        ),
    ];
    for (body, expected) in cases {
        let err = refused(None, &body);
        assert_eq!(err.operation, None, "{expected}");
        let text = fault_text(&err);
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
}

#[test]
fn limits_are_enforced_before_and_while_parsing() {
    let big = vec![b' '; MAX_BODY_BYTES + 1];
    assert!(refused(None, &big).message.contains("larger than 5 MB"));
    let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
    assert!(refused(None, deep.as_bytes()).message.contains("deeper than 64"));
}

#[test]
fn unknown_ambiguous_or_contradicting_operations() {
    let err = refused(None, envelope("WSDropTables", "").as_bytes());
    assert!(fault_text(&err).contains("unknown operation WSDropTables"));
    let err = refused(Some("\"http://tempuri.org/IErpConnectorWS/WSNope\""), envelope("WSNope", "").as_bytes());
    assert!(err.message.contains("unknown operation WSNope"), "{err}");
    let message_contract = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><RequestBaseWS><ConnectionGuid>g</ConnectionGuid></RequestBaseWS></s:Body></s:Envelope>"#;
    assert!(refused(None, message_contract.as_bytes()).message.contains("send the SOAPAction header"));
    assert!(soap::read(Some("WSDeleteConnection"), message_contract.as_bytes()).is_ok());
    let err = refused(Some("WSGetActors"), envelope("WSSaveActors", &guid()).as_bytes());
    assert!(err.message.contains("SOAPAction names WSGetActors but the body holds WSSaveActors"));
}

/// The operation is known: the answer is that operation's, State Error, the reason in
/// TechExplanation, HTTP 200.
fn answered(op: &str, members: &str, expected: &str) {
    let err = refused(None, envelope(op, members).as_bytes());
    assert_eq!(err.operation, Some(op));
    assert!(err.message.contains(expected), "{expected:?} not in {:?}", err.message);
    let (status, xml) = soap::fault(&err);
    assert_eq!(status, 200);
    let els = parse(&xml);
    let (is_ok, state, code, tech, user) = outcome(&els, op);
    assert_eq!((is_ok.as_str(), state.as_str(), code.as_str()), ("false", "Error", "malformed_request"));
    assert!(tech.contains(expected) && !user.is_empty());
}

#[test]
fn bad_members_are_answered_in_the_operation_shape() {
    answered("WSTestConnection", "", "ConnectionGuid is missing or empty");
    answered("WSGetActors", "<a:ConnectionGuid>  </a:ConnectionGuid>", "ConnectionGuid is missing or empty");
    answered("WSGetList", &format!("<a:ConnectionGuid>{}</a:ConnectionGuid>", "x".repeat(201)), "longer than 200");
    let no_key = "<a:ConnectionInfo><b:KeyValueOfstringstring><b:Value>v</b:Value></b:KeyValueOfstringstring></a:ConnectionInfo>";
    answered("WSTestConfigData", no_key, "ConnectionInfo: entry 1 has no Key");
    let twice = dict("ConnectionInfo", &[("A", "1"), ("A", "2")]);
    answered("WSSaveConnection", &format!("{}{twice}", guid()), "ConnectionInfo: key A appears twice");
    answered(
        "WSTestConfigData",
        "<a:ConnectionInfo>ACCESS_KEY=1</a:ConnectionInfo>",
        "ConnectionInfo holds text instead of items",
    );
    answered("WSGetActors", &format!("{}<a:ErpKeys>1,2</a:ErpKeys>", guid()), "ErpKeys holds text instead of items");
    answered("WSCreateActor", &guid(), "Actor is missing");
    answered("WSCreateActor", &format!("{}<a:Actor i:nil=\"true\"/>", guid()), "Actor is empty (nil)");
    let bad_values =
        "<a:Actors><a:ErpActorWS><a:FieldValues><b:KeyValueOfstringstring/></a:FieldValues></a:ErpActorWS></a:Actors>";
    answered("WSSaveActors", &format!("{}{bad_values}", guid()), "Actors item 1 FieldValues: entry 1 has no Key");
    let no_field = "<a:Restrictions><a:SearchRestrictionInfoWS><a:Operator>begins</a:Operator></a:SearchRestrictionInfoWS></a:Restrictions>";
    answered("WSSearchActorsAdvanced", &format!("{}{no_field}", guid()), "Restrictions item 1 has no FieldKey");
}

#[test]
fn a_handshake_without_token_is_refused_as_a_handshake() {
    let err = refused(None, envelope("Authenticate", "").as_bytes());
    assert_eq!(err.operation, Some("Authenticate"));
    let (status, xml) = soap::fault(&err);
    assert_eq!(status, 200);
    let els = parse(&xml);
    assert_eq!(one(&els, &["AuthenticateResult", "Succeeded"]), "false");
    assert!(one(&els, &["AuthenticateResult", "Reason"]).contains("SignedToken is missing"));
}

#[test]
fn values_are_never_repeated_in_errors() {
    let secret = "TOPSECRET-ACCESS-KEY";
    let twice = dict("ConnectionInfo", &[("ACCESS_KEY", secret), ("ACCESS_KEY", secret)]);
    let err = refused(None, envelope("WSTestConfigData", &twice).as_bytes());
    assert!(!err.to_string().contains(secret) && !soap::fault(&err).1.contains(secret));
}

#[test]
fn no_input_makes_the_reader_panic() {
    let valid = envelope(
        "WSSaveActors",
        &format!(
            "{}<a:Actors><a:ErpActorWS><a:ActorType>Customer</a:ActorType>{}</a:ErpActorWS></a:Actors>",
            guid(),
            dict("FieldValues", &[("NAME", "A &amp; B")])
        ),
    );
    let bytes = valid.as_bytes();
    assert!(soap::read(None, bytes).is_ok());
    for cut in 0..bytes.len() {
        let _ = soap::read(None, &bytes[..cut]);
        let _ = soap::read(Some("WSSaveActors"), &bytes[cut..]);
    }
    for (i, replacement) in (0..bytes.len()).zip([b'<', b'>', b'&', b'"', 0u8, 0xC3, b'/', b':'].iter().cycle()) {
        let mut mutated = bytes.to_vec();
        mutated[i] = *replacement;
        if let Err(e) = soap::read(None, &mutated) {
            let _ = soap::fault(&e);
        }
    }
}
