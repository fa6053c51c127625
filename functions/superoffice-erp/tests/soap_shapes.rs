//! Answer shapes: the handshake, namespaces mirrored from the request, message-contract
//! bodies, and every operation's result member.

#[path = "soap_support.rs"]
mod support;

use koppel_core::erp::contract::{Actor, Outcome, Payload, Request, Response, State};
use superoffice_erp::soap::{self, Incoming};
use support::*;

#[test]
fn authenticate_is_read_and_answered() {
    let body = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Authenticate xmlns="{SVC}"><request xmlns:a="urn:auth" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><a:SignedToken> eyJ.a.b </a:SignedToken></request></Authenticate></s:Body></s:Envelope>"#
    );
    let (incoming, dialect) = soap::read_envelope(None, body.as_bytes()).expect("readable");
    assert_eq!(incoming, Incoming::Authenticate { signed_token: "eyJ.a.b".into() });
    assert_eq!(dialect.data_ns.as_deref(), Some("urn:auth"));
    let good = parse(&soap::write_auth_as(
        &dialect,
        &superoffice_erp::handshake::AuthAnswer::success("n.202401020304.c2ln".into()),
    ));
    assert_eq!(one(&good, &["AuthenticateResponse", "AuthenticateResult", "Succeeded"]), "true");
    assert_eq!(one(&good, &["AuthenticateResult", "SignedApplicationToken"]), "n.202401020304.c2ln");
    assert!(all(&good, &["AuthenticateResult", "Reason"])[0].nil);
    assert!(all(&good, &["SignedApplicationToken"]).iter().all(|e| e.ns == "urn:auth"));
    let bad = parse(&soap::write_auth(&superoffice_erp::handshake::AuthAnswer::failure("Wrong audience")));
    assert_eq!(one(&bad, &["AuthenticateResult", "Succeeded"]), "false");
    assert_eq!(one(&bad, &["AuthenticateResult", "Reason"]), "Wrong audience");
    assert!(all(&bad, &["SignedApplicationToken"])[0].nil);
}

#[test]
fn answers_use_the_namespaces_of_the_request() {
    let body = r#"<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>
        <x:WSGetList xmlns:x="urn:so:svc"><x:request><d:ConnectionGuid xmlns:d="urn:so:data">g</d:ConnectionGuid>
        <d:ListName xmlns:d="urn:so:data">l</d:ListName></x:request></x:WSGetList></env:Body></env:Envelope>"#;
    let (incoming, dialect) = soap::read_envelope(None, body.as_bytes()).expect("readable");
    let Incoming::Call(request) = incoming else { panic!("a call") };
    let els = parse(&soap::write_as(&dialect, &request, &Response::ok(Payload::ListItems(vec![]))));
    assert_eq!(all(&els, &["WSGetListResponse"])[0].ns, "urn:so:svc");
    assert_eq!(all(&els, &["WSGetListResult", "IsOk"])[0].ns, "urn:so:data");
}

#[test]
fn message_contract_bodies_and_missing_optional_members() {
    let body = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetActorsRequestWS xmlns="urn:x"><ConnectionGuid>g</ConnectionGuid></GetActorsRequestWS></s:Body></s:Envelope>"#;
    let request = soap::read(None, body.as_bytes()).expect("readable");
    assert_eq!(
        request,
        Incoming::Call(Request::GetActors {
            guid: "g".into(),
            actor_type: String::new(),
            erp_keys: vec![],
            field_keys: vec![]
        })
    );
    let nil_keys = envelope("WSGetActors", &format!("{}<a:ErpKeys i:nil=\"true\"/>", guid()));
    let Ok(Incoming::Call(Request::GetActors { erp_keys, .. })) = soap::read(None, nil_keys.as_bytes()) else {
        panic!("readable")
    };
    assert!(erp_keys.is_empty());
}

#[test]
fn every_operation_answers_in_its_own_shape() {
    let requests = [
        Request::GetConfigData,
        Request::TestConfigData { info: Default::default() },
        Request::SaveConnection { guid: "g".into(), info: Default::default() },
        Request::TestConnection { guid: "g".into() },
        Request::DeleteConnection { guid: "g".into() },
        Request::GetSupportedActorTypes { guid: "g".into() },
        Request::GetSupportedActorTypeFields { guid: "g".into(), actor_type: "Customer".into() },
        Request::GetSearchableFields { guid: "g".into(), actor_type: "Customer".into() },
        Request::GetActors { guid: "g".into(), actor_type: "Customer".into(), erp_keys: vec![], field_keys: vec![] },
        Request::GetActorsByTimestamp {
            guid: "g".into(),
            updated_on_or_after: "0".into(),
            actor_type: "Customer".into(),
            field_keys: vec![],
        },
        Request::SearchActors {
            guid: "g".into(),
            actor_type: "Customer".into(),
            search_text: "a".into(),
            field_keys: vec![],
        },
        Request::SearchActorByParent {
            guid: "g".into(),
            actor_type: "Person".into(),
            search_text: String::new(),
            parent_actor_type: "Customer".into(),
            parent_erp_key: "c".into(),
            field_keys: vec![],
        },
        Request::SearchActorsAdvanced {
            guid: "g".into(),
            actor_type: "Customer".into(),
            restrictions: vec![],
            field_keys: vec![],
        },
        Request::CreateActor { guid: "g".into(), actor: Actor::default() },
        Request::SaveActors { guid: "g".into(), actors: vec![] },
        Request::GetList { guid: "g".into(), list_name: "l".into() },
        Request::GetListItems { guid: "g".into(), list_name: "l".into(), keys: vec![] },
    ];
    let payload_member = |op: &str| match op {
        "WSGetConfigData" | "WSGetSupportedActorTypeFields" => Some("FieldMetaDataObjects"),
        "WSGetSupportedActorTypes" | "WSGetSearchableFields" => Some("Items"),
        "WSCreateActor" => Some("Actor"),
        "WSGetList" | "WSGetListItems" => Some("ListItems"),
        "WSTestConfigData" | "WSSaveConnection" | "WSTestConnection" | "WSDeleteConnection" => None,
        _ => Some("Actors"),
    };
    for request in &requests {
        let op = request.operation();
        let outcome = Outcome::warning("w", "u", "t");
        assert_eq!(outcome.state, State::Warning);
        let els = parse(&soap::write(request, &Response::failed(request, outcome)));
        let (is_ok, state, code, _, _) = support::outcome(&els, op);
        assert_eq!((is_ok.as_str(), state.as_str(), code.as_str()), ("false", "Warning", "w"), "{op}");
        if let Some(member) = payload_member(op) {
            assert_eq!(all(&els, &[&format!("{op}Result"), member]).len(), 1, "{op} has {member}");
        }
        // A payload of another operation's shape is not written: an internal error instead.
        let wrong = Response::ok(if payload_member(op) == Some("Items") {
            Payload::Actors(vec![])
        } else {
            Payload::Strings(vec![])
        });
        let els = parse(&soap::write(request, &wrong));
        assert_eq!(support::outcome(&els, op).2, "internal_error", "{op}");
    }
}
