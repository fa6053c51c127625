//! The engine's own pieces: encodings, the envelope it writes, what it reads from answers and
//! WSDLs, the checks, the reply-token check and the pull loop (against a scripted connector).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::answer::{self, AnswerError};
use super::checks::{self, Stamp};
use super::pull::{PullSpec, pull};
use super::types::{Actor, FieldMeta, Outcome, State};
use super::values::{self, Value};
use super::wire::{Member, Wire};
use super::xml::parse;
use super::{EngineClient, handshake};

#[test]
fn values_decode_and_encode_superoffice_formats() {
    assert_eq!(values::decode("[I:12345]"), Ok(Value::Int(12345)));
    assert_eq!(values::decode("[I:-7]"), Ok(Value::Int(-7)));
    assert_eq!(values::decode("[F:12345.6789]"), Ok(Value::Float(12345.6789)));
    let dt = chrono::NaiveDate::from_ymd_opt(2013, 12, 31).and_then(|d| d.and_hms_opt(23, 59, 59)).expect("date");
    assert_eq!(values::decode("[DT:12/31/2013 23:59:59.0000000]"), Ok(Value::DateTime(dt)));
    assert_eq!(values::encode_datetime(dt), "[DT:12/31/2013 23:59:59.0000000]");
    assert_eq!(values::decode("Bakkerij [Oost]"), Ok(Value::Text("Bakkerij [Oost]".into())));
    assert_eq!(values::encode_bool(true), "[I:1]");
    assert_eq!(values::decode(&values::encode_float(0.5)), Ok(Value::Float(0.5)));
    for bad in ["[I:12", "[I:twelve]", "[F:1,5]", "[DT:2013-12-31]", "[I:]"] {
        assert!(values::decode(bad).is_err(), "{bad} should be malformed");
    }
    assert!(values::check_for_type("Integer", "[I:3]").is_ok());
    assert!(values::check_for_type("Integer", "3").is_err(), "integers are encoded");
    assert!(values::check_for_type("Checkbox", "[I:2]").is_err());
    assert!(values::check_for_type("Datetime", "[F:1.0]").is_err());
    assert!(values::check_for_type("Text", "[I:3]").is_err(), "an encoded value in a text field");
    assert!(values::check_for_type("Text", "").is_ok());
}

#[test]
fn xml_reads_local_names_entities_and_refuses_broken_documents() {
    let n = parse(r#"<?xml version="1.0"?><a:Root xmlns:a="urn:x" b:k="v" xmlns:b="urn:y"><a:X>1 &amp; 2 &#65;</a:X><Y/></a:Root>"#)
        .expect("parses");
    assert_eq!(n.name, "Root");
    assert_eq!(n.attr("k"), Some("v"));
    assert_eq!(n.text_of("X"), "1 & 2 A");
    assert!(n.child("Y").is_some());
    for bad in ["not xml", "<a><b></a>", "<a>", "<a/><b/>", ""] {
        assert!(parse(bad).is_err(), "{bad:?} should not parse");
    }
}

#[test]
fn the_envelope_carries_every_member_in_wcf_form() {
    let wire = Wire::default();
    let info = BTreeMap::from([("ACCESS_KEY".to_string(), "k<&>".to_string())]);
    let env = wire.envelope(
        "WSSaveConnection",
        &[Member::Text("ConnectionGuid", "g-1".into()), Member::Dict("ConnectionInfo", info)],
    );
    let root = parse(&env).expect("well-formed");
    let op = root.child("Body").and_then(|b| b.child("WSSaveConnection")).expect("operation element");
    assert_eq!(op.attr("xmlns"), Some("http://tempuri.org/"), "the operation is in the target namespace");
    let req = op.child("request").expect("wrapped in request");
    assert_eq!(req.text_of("ConnectionGuid"), "g-1");
    assert_eq!(
        answer::dictionary(req.child("ConnectionInfo").expect("info")).get("ACCESS_KEY").map(String::as_str),
        Some("k<&>")
    );
    assert_eq!(wire.action("WSSaveConnection"), "http://tempuri.org/IErpConnectorWS/WSSaveConnection");
    assert_eq!(wire.action("Authenticate"), "http://tempuri.org/IIntegrationServiceConnectorAuth/Authenticate");

    let mut actor = Actor::new("Customer").field("NAME", "A & B");
    actor.erp_key = "k1".into();
    let env = wire.envelope("WSSaveActors", &[Member::Actors("Actors", vec![actor.clone()])]);
    let root = parse(&env).expect("well-formed");
    let actors = root.find("Actors").expect("actors");
    assert_eq!(actors.children.iter().map(answer::actor_of).collect::<Vec<_>>(), vec![actor]);
    let env = wire.envelope("WSGetConfigData", &[]);
    assert!(env.contains("<WSGetConfigData xmlns=\"http://tempuri.org/\"></WSGetConfigData>"), "{env}");
}

const WSDL: &str = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:koppel:erp">
 <wsdl:types>
  <xs:schema targetNamespace="urn:koppel:erp">
   <xs:element name="WSTestConnection"><xs:complexType><xs:sequence><xs:element name="ConnectionGuid" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
   <xs:element name="WSSaveActors"><xs:complexType><xs:sequence><xs:element name="req" type="tns:X"/></xs:sequence></xs:complexType></xs:element>
   <xs:element name="WSGetList"><xs:complexType><xs:sequence><xs:element name="request" type="tns:Y"/></xs:sequence></xs:complexType></xs:element>
   <xs:complexType name="X"><xs:sequence><xs:element name="Actors" type="tns:ArrayOfErpActorWS"/></xs:sequence></xs:complexType>
  </xs:schema>
  <xs:schema targetNamespace="urn:koppel:auth"><xs:element name="Authenticate"/></xs:schema>
 </wsdl:types>
 <wsdl:binding name="B" type="tns:P">
  <wsdl:operation name="WSTestConnection"><soap:operation soapAction="urn:koppel:erp/WSTestConnection" style="document"/></wsdl:operation>
  <wsdl:operation name="Authenticate"><soap:operation soapAction="urn:auth/Authenticate"/></wsdl:operation>
 </wsdl:binding>
</wsdl:definitions>"#;

#[test]
fn the_wsdl_names_namespaces_actions_and_wrappers() {
    let w = Wire::from_wsdl(WSDL).expect("reads");
    assert_eq!(w.namespace, "urn:koppel:erp");
    assert_eq!(w.auth_namespace, "urn:koppel:auth");
    assert_eq!(w.action("WSTestConnection"), "urn:koppel:erp/WSTestConnection");
    assert_eq!(w.action("Authenticate"), "urn:auth/Authenticate");
    assert_eq!(w.action("WSGetList"), "urn:koppel:erp/IErpConnectorWS/WSGetList", "not named: WCF's form");
    assert_eq!(w.wrappers.get("WSTestConnection"), Some(&None), "members directly in the operation");
    assert_eq!(w.wrappers.get("WSSaveActors"), Some(&Some("req".to_string())));
    assert_eq!(w.wrappers.get("WSGetList"), Some(&Some("request".to_string())));
    assert_eq!(w.actor_item, "ErpActorWS");
    let env = w.envelope("WSTestConnection", &[Member::Text("ConnectionGuid", "g".into())]);
    let root = parse(&env).expect("well-formed");
    assert_eq!(root.find("WSTestConnection").map(|o| o.text_of("ConnectionGuid")), Some("g".into()));
    assert!(Wire::from_wsdl("<html/>").is_err(), "not a WSDL");
}

fn response(op: &str, inner: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><{op}Response xmlns="urn:x"><{op}Result xmlns:a="urn:dc" xmlns:b="http://schemas.microsoft.com/2003/10/Serialization/Arrays">{inner}</{op}Result></{op}Response></s:Body></s:Envelope>"#
    )
}

#[test]
fn answers_are_read_from_wcf_shaped_results() {
    let body = response(
        "WSGetActors",
        "<a:ErrorCode/><a:IsOk>true</a:IsOk><a:State>Ok</a:State><a:TechExplanation/><a:UserExplanation/>\
         <a:Actors><a:ErpActorWS><a:ActorType>Customer</a:ActorType><a:ErpKey>7</a:ErpKey>\
         <a:FieldValues><b:KeyValueOfstringstring><b:Key>NAME</b:Key><b:Value>Bakker</b:Value></b:KeyValueOfstringstring></a:FieldValues>\
         <a:LastModified>0000000000000042</a:LastModified><a:ParentActorType/><a:ParentErpKey i:nil=\"true\" xmlns:i=\"x\"/></a:ErpActorWS></a:Actors>",
    );
    let node = answer::result("WSGetActors", &body).expect("result");
    let o = answer::outcome(&node);
    assert!(o.ok() && o.consistent(), "{o:?}");
    let actors = answer::actors(&node);
    assert_eq!(actors.len(), 1);
    assert_eq!((actors[0].erp_key.as_str(), actors[0].get("NAME")), ("7", "Bakker"));
    assert_eq!(checks::stamp(&actors[0].last_modified), Some(Stamp::Number(42)));

    let items = response(
        "WSGetList",
        "<a:IsOk>true</a:IsOk><a:State>Ok</a:State><a:ListItems><b:KeyValueOfstringstring><b:Key>c1</b:Key><b:Value>Administratie</b:Value></b:KeyValueOfstringstring></a:ListItems>",
    );
    let node = answer::result("WSGetList", &items).expect("result");
    assert_eq!(
        answer::list_items(&node).first().map(|i| (i.key.as_str(), i.text.as_str())),
        Some(("c1", "Administratie"))
    );

    let fault = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>no Body</faultstring></s:Fault></s:Body></s:Envelope>"#;
    match answer::result("WSGetActors", fault) {
        Err(AnswerError::Fault(f)) => assert_eq!((f.code.as_str(), f.message.as_str()), ("s:Client", "no Body")),
        other => panic!("expected a fault, got {other:?}"),
    }
    assert!(matches!(answer::result("WSGetList", &body), Err(AnswerError::WrongElement { .. })));
    assert!(matches!(answer::result("WSGetList", "<<"), Err(AnswerError::NotXml(_))));
}

#[test]
fn checks_find_what_is_wrong() {
    let error = Outcome {
        is_ok: Some(false),
        state: State::Error,
        user_explanation: "Onbekende koppeling".into(),
        tech_explanation: String::new(),
        error_code: "connection_unknown".into(),
    };
    assert!(checks::refused("op", &error, Some("connection_unknown")).is_empty());
    assert_eq!(checks::refused("op", &error, Some("other")).len(), 1);
    assert!(!checks::ok("op", &error).is_empty());
    let liar = Outcome { is_ok: Some(true), ..error.clone() };
    assert!(!liar.consistent(), "IsOk true with State Error");
    assert!(!checks::refused("op", &liar, None).is_empty());

    assert_eq!(checks::compare("0000000000000010", "0000000000000009"), Some(std::cmp::Ordering::Greater));
    assert_eq!(checks::compare("[I:10]", "9"), Some(std::cmp::Ordering::Greater));
    assert_eq!(checks::compare("[DT:01/01/2020 00:00:00.0000000]", "9"), None);
    assert!(!checks::comparable_as_text(&["10", "9"]).is_empty(), "text order of 10 and 9 differs");
    assert!(checks::comparable_as_text(&["10", "09"]).is_empty());
    assert_eq!(checks::highest(["3", "12", "7"]), Some("12"));

    let metas = vec![
        FieldMeta { field_key: "NAME".into(), field_type: "Text".into(), ..Default::default() },
        FieldMeta { field_key: "name".into(), field_type: "Number".into(), ..Default::default() },
        FieldMeta { field_key: "L".into(), field_type: "List".into(), ..Default::default() },
        FieldMeta {
            field_key: "N".into(),
            field_type: "Integer".into(),
            default_value: "5".into(),
            ..Default::default()
        },
    ];
    assert_eq!(checks::field_metas("t", &metas).len(), 4, "{:?}", checks::field_metas("t", &metas));
    let types = checks::types_of(&metas);
    let a = Actor { erp_key: "1".into(), last_modified: "x".into(), ..Actor::new("Customer") }
        .field("N", "5")
        .field("Z", "");
    let p = checks::actor("Customer", &a, &types, &["N".to_string()]);
    assert_eq!(p.len(), 4, "LastModified, N not encoded, Z unknown and not asked: {p:?}");
}

#[test]
fn the_reply_token_is_checked_for_nonce_time_and_signature() {
    use base64::Engine as _;
    use rsa::signature::{SignatureEncoding, Signer};
    let mut rng = rand08();
    let key = rsa::RsaPrivateKey::new(&mut rng, 1024).expect("key");
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.clone());
    let sig = signer.sign(b"n0nce.202611210900");
    let token = format!("n0nce.202611210900.{}", base64::engine::general_purpose::STANDARD.encode(sig.to_bytes()));
    let public = key.to_public_key();
    assert!(handshake::reply_token(&token, "n0nce", Some(&public)).is_empty());
    assert_eq!(handshake::reply_token(&token, "other", Some(&public)).len(), 1, "another nonce");
    let other = rsa::RsaPrivateKey::new(&mut rng, 1024).expect("key").to_public_key();
    assert_eq!(handshake::reply_token(&token, "n0nce", Some(&other)).len(), 1, "another key");
    assert!(!handshake::reply_token("n0nce.2026.x", "n0nce", None).is_empty(), "a short time");
    assert!(!handshake::reply_token("garbage", "n0nce", None).is_empty());
}

/// `rsa` 0.9 takes a `rand_core` 0.6 generator: this one draws from `rand`'s thread RNG.
struct ThreadRng06;

impl rsa::rand_core::RngCore for ThreadRng06 {
    fn next_u32(&mut self) -> u32 {
        rand::random()
    }
    fn next_u64(&mut self) -> u64 {
        rand::random()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        rand::fill(dest);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        rand::fill(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for ThreadRng06 {}

fn rand08() -> ThreadRng06 {
    ThreadRng06
}

/// A connector that answers `WSGetActorsByTimestamp` from a fixed set of (key, stamp), on or
/// after the asked stamp, at most `cap` per call, and remembers what was asked.
async fn scripted(actors: Vec<(&'static str, u64)>, cap: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    let app = axum::Router::new().route(
        "/erp",
        axum::routing::post(move |body: String| {
            let log = log.clone();
            let actors = actors.clone();
            async move {
                let from = parse(&body).ok().and_then(|n| n.find("UpdatedOnOrAfter").map(|u| u.text.clone())).unwrap_or_default();
                log.lock().map(|mut l| l.push(from.clone())).ok();
                let from: u64 = from.parse().unwrap_or(0);
                let mut list: Vec<_> = actors.into_iter().filter(|(_, s)| *s >= from).collect();
                list.sort_by_key(|(_, s)| *s);
                let inner: String = list
                    .iter()
                    .take(cap)
                    .map(|(k, s)| format!("<ErpActor><ActorType>Customer</ActorType><ErpKey>{k}</ErpKey><LastModified>{s:016}</LastModified></ErpActor>"))
                    .collect();
                response("WSGetActorsByTimestamp", &format!("<IsOk>true</IsOk><State>Ok</State><Actors>{inner}</Actors>"))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/erp", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, asked)
}

fn spec<'a>(from: &'a str, known: BTreeMap<String, String>, empty: &'a BTreeMap<String, String>) -> PullSpec<'a> {
    PullSpec {
        guid: "g",
        actor_type: "Customer",
        from,
        field_keys: &[],
        types: empty,
        known,
        max_calls: 10,
        probe: None,
    }
}

#[tokio::test]
async fn the_pull_goes_on_from_the_highest_stamp_until_nothing_is_new() {
    let (url, asked) = scripted(vec![("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)], 2).await;
    let client = EngineClient::new(&url).expect("client");
    let none = BTreeMap::new();
    let got = pull(&client, spec("0", BTreeMap::new(), &none)).await.expect("pull");
    assert!(got.problems.is_empty(), "{:?}", got.problems);
    assert_eq!(got.actors.keys().cloned().collect::<Vec<_>>(), ["a", "b", "c", "d", "e"]);
    assert_eq!(got.highest, format!("{:016}", 5));
    let asked = asked.lock().map(|l| l.clone()).unwrap_or_default();
    assert_eq!(
        asked,
        ["0", &format!("{:016}", 2), &format!("{:016}", 3), &format!("{:016}", 4), &format!("{:016}", 5)]
    );
    assert_eq!(got.calls.last().map(|c| c.new), Some(0), "the last call brought nothing new");

    let known: BTreeMap<String, String> =
        got.actors.iter().map(|(k, a)| (k.clone(), a.last_modified.clone())).collect();
    let again = pull(&client, spec(&got.highest, known, &none)).await.expect("pull");
    assert!(again.actors.is_empty() && again.calls.len() == 1, "{again:?}");
}

#[tokio::test]
async fn a_connector_that_answers_older_actors_is_caught() {
    let (url, _) = scripted(vec![("a", 1), ("b", 2)], 10).await;
    let client = EngineClient::new(&url).expect("client");
    let none = BTreeMap::new();
    let known = BTreeMap::from([("b".to_string(), format!("{:016}", 9))]);
    let got = pull(&client, spec("0", known, &none)).await.expect("pull");
    assert!(got.problems.iter().any(|p| p.contains("went back")), "{:?}", got.problems);
}
