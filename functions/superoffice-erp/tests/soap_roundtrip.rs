//! Every operation: the request a SuperOffice (WCF) client sends is read into the contract, the
//! answer is written and read back with quick-xml.

#[path = "soap_support.rs"]
mod support;

use std::collections::BTreeMap;

use koppel_core::erp::contract::{
    Access, Actor, FieldMeta, FieldType, ListItem, Outcome, Payload, Request, Response, Restriction,
};
use superoffice_erp::soap::{self, Incoming};
use support::*;

fn call(op: &str, members: &str) -> Request {
    match soap::read(Some(&format!("http://tempuri.org/IErpConnectorWS/{op}")), envelope(op, members).as_bytes()) {
        Ok(Incoming::Call(r)) => r,
        other => panic!("{op}: {other:?}"),
    }
}

fn answer(request: &Request, payload: Payload) -> Vec<El> {
    let xml = soap::write(request, &Response::ok(payload));
    let els = parse(&xml);
    let op = request.operation();
    assert_eq!(els[0].path, vec!["Envelope"]);
    assert_eq!(els[0].ns, "http://schemas.xmlsoap.org/soap/envelope/");
    let wrapper = &all(&els, &["Body", &format!("{op}Response")])[0];
    assert_eq!(wrapper.ns, SVC);
    let (is_ok, state, code, _, _) = outcome(&els, op);
    assert_eq!((is_ok.as_str(), state.as_str(), code.as_str()), ("true", "Ok", ""));
    els
}

fn customer(key: &str, name: &str) -> Actor {
    Actor {
        actor_type: "Customer".into(),
        erp_key: key.into(),
        last_modified: "0000000000000042".into(),
        parent_actor_type: String::new(),
        parent_erp_key: String::new(),
        fields: BTreeMap::from([("NAME".into(), name.into()), ("NUMBER1".into(), "[I:1001]".into())]),
    }
}

fn actor_xml(element: &str, key: &str, fields: &[(&str, &str)]) -> String {
    let values: String = fields
        .iter()
        .map(|(k, v)| {
            format!("<b:KeyValueOfstringstring><b:Key>{k}</b:Key><b:Value>{v}</b:Value></b:KeyValueOfstringstring>")
        })
        .collect();
    format!(
        "<a:{element}><a:ActorType>Person</a:ActorType><a:ErpKey>{key}</a:ErpKey><a:FieldValues>{values}</a:FieldValues>\
         <a:LastModified>[DT:01/02/2024 10:00:00.0000000]</a:LastModified><a:ParentActorType>Customer</a:ParentActorType>\
         <a:ParentErpKey>c-7</a:ParentErpKey></a:{element}>"
    )
}

#[test]
fn get_config_data_and_its_form() {
    let request = call("WSGetConfigData", "");
    assert_eq!(request, Request::GetConfigData);
    let fields = vec![
        FieldMeta {
            field_key: "ACCESS_KEY".into(),
            display_name: "US:\"Access key\";NL:\"Toegangssleutel\"".into(),
            display_description: "From Koppel".into(),
            field_type: FieldType::Password,
            list_name: String::new(),
            default_value: String::new(),
            max_length: 200,
            access: Access::Mandatory,
            rank: 1,
        },
        FieldMeta {
            field_key: "KOPPEL_CONNECTION".into(),
            display_name: "Connection".into(),
            display_description: String::new(),
            field_type: FieldType::List,
            list_name: "koppel_connections".into(),
            default_value: String::new(),
            max_length: 0,
            access: Access::Normal,
            rank: 2,
        },
    ];
    let els = answer(&request, Payload::Fields(fields));
    let item = ["WSGetConfigDataResult", "FieldMetaDataObjects", "FieldMetadataInfoWS"];
    let member = |m: &str| texts(&els, &[item[0], item[1], item[2], m]);
    assert_eq!(member("FieldKey"), vec!["ACCESS_KEY", "KOPPEL_CONNECTION"]);
    assert_eq!(member("DisplayName")[0], "US:\"Access key\";NL:\"Toegangssleutel\"");
    assert_eq!(member("FieldType"), vec!["Password", "List"]);
    assert_eq!(member("Access"), vec!["Mandatory", "Normal"]);
    assert_eq!(member("ListName"), vec!["", "koppel_connections"]);
    assert_eq!(member("MaxLength"), vec!["200", "0"]);
    assert_eq!(member("Rank"), vec!["1", "2"]);
    assert!(all(&els, &["FieldKey"]).iter().all(|e| e.ns == DATA));
    // Members in the documented order: base first, then the payload.
    let result_children: Vec<&str> = els
        .iter()
        .filter(|e| e.path.len() == 5 && e.path[3] == "WSGetConfigDataResult")
        .map(|e| e.path[4].as_str())
        .collect();
    assert_eq!(
        result_children,
        ["ErrorCode", "IsOk", "State", "TechExplanation", "UserExplanation", "FieldMetaDataObjects"]
    );
}

#[test]
fn test_config_data_reads_the_dictionary_and_reports_errors() {
    let info = dict("ConnectionInfo", &[("ACCESS_KEY", "k&amp;1&lt;2"), ("KOPPEL_CONNECTION", "c-1"), ("EMPTY", "")]);
    let request = call("WSTestConfigData", &info);
    let Request::TestConfigData { info } = &request else { panic!("{request:?}") };
    assert_eq!(info.get("ACCESS_KEY").map(String::as_str), Some("k&1<2"));
    assert_eq!(info.get("KOPPEL_CONNECTION").map(String::as_str), Some("c-1"));
    assert_eq!(info.get("EMPTY").map(String::as_str), Some(""));
    let response =
        Response::failed(&request, Outcome::error("access_key_wrong", "The access key <is> wrong.", "compare & check"));
    let els = parse(&soap::write(&request, &response));
    let (is_ok, state, code, tech, user) = outcome(&els, "WSTestConfigData");
    assert_eq!((is_ok.as_str(), state.as_str(), code.as_str()), ("false", "Error", "access_key_wrong"));
    assert_eq!((tech.as_str(), user.as_str()), ("compare & check", "The access key <is> wrong."));
}

#[test]
fn connection_operations_carry_the_guid() {
    let info = dict("ConnectionInfo", &[("KOPPEL_CONNECTION", "c-1")]);
    let save = call("WSSaveConnection", &format!("{}{info}", guid()));
    assert_eq!(
        save,
        Request::SaveConnection {
            guid: GUID.into(),
            info: BTreeMap::from([("KOPPEL_CONNECTION".into(), "c-1".into())]).into()
        }
    );
    assert_eq!(call("WSTestConnection", &guid()), Request::TestConnection { guid: GUID.into() });
    assert_eq!(call("WSDeleteConnection", &guid()), Request::DeleteConnection { guid: GUID.into() });
    for request in
        [save, Request::TestConnection { guid: GUID.into() }, Request::DeleteConnection { guid: GUID.into() }]
    {
        let els = answer(&request, Payload::None);
        let result = format!("{}Result", request.operation());
        assert_eq!(els.iter().filter(|e| e.path.len() == 5 && e.path[3] == result).count(), 5, "only the base members");
    }
}

#[test]
fn actor_types_fields_and_searchable_fields() {
    let request = call("WSGetSupportedActorTypes", &guid());
    assert_eq!(request, Request::GetSupportedActorTypes { guid: GUID.into() });
    let els = answer(&request, Payload::Strings(vec!["Customer".into(), "Person".into()]));
    assert_eq!(texts(&els, &["Items", "string"]), vec!["Customer", "Person"]);
    assert!(all(&els, &["Items", "string"]).iter().all(|e| e.ns == ARR));

    let member = format!("{}<a:ActorType>Customer</a:ActorType>", guid());
    let fields = call("WSGetSupportedActorTypeFields", &member);
    assert_eq!(fields, Request::GetSupportedActorTypeFields { guid: GUID.into(), actor_type: "Customer".into() });
    let els = answer(&fields, Payload::Fields(vec![]));
    assert_eq!(all(&els, &["FieldMetaDataObjects"]).len(), 1);

    let searchable = call("WSGetSearchableFields", &member);
    assert_eq!(searchable, Request::GetSearchableFields { guid: GUID.into(), actor_type: "Customer".into() });
    let els = answer(&searchable, Payload::Strings(vec!["NAME".into(), "VATNO".into()]));
    assert_eq!(texts(&els, &["WSGetSearchableFieldsResult", "Items", "string"]), vec!["NAME", "VATNO"]);
}

#[test]
fn get_actors_and_by_timestamp() {
    let members = format!(
        "{}<a:ActorType>Customer</a:ActorType>{}{}",
        guid(),
        strings("ErpKeys", &["c-1", " c-2 "]),
        strings("FieldKeys", &["NAME", "NUMBER1"])
    );
    let request = call("WSGetActors", &members);
    assert_eq!(
        request,
        Request::GetActors {
            guid: GUID.into(),
            actor_type: "Customer".into(),
            erp_keys: vec!["c-1".into(), "c-2".into()],
            field_keys: vec!["NAME".into(), "NUMBER1".into()],
        }
    );
    let els = answer(&request, Payload::Actors(vec![customer("c-1", "Acme & Zoë <BV>"), customer("c-2", "Beta")]));
    let actor = ["Actors", "ErpActorWS"];
    assert_eq!(texts(&els, &[actor[0], actor[1], "ErpKey"]), vec!["c-1", "c-2"]);
    assert_eq!(texts(&els, &[actor[0], actor[1], "LastModified"]), vec!["0000000000000042"; 2]);
    assert_eq!(
        texts(&els, &["FieldValues", "KeyValueOfstringstring", "Key"]),
        vec!["NAME", "NUMBER1", "NAME", "NUMBER1"]
    );
    assert_eq!(texts(&els, &["FieldValues", "KeyValueOfstringstring", "Value"])[0], "Acme & Zoë <BV>");
    assert_eq!(texts(&els, &["ErpActorWS", "ParentErpKey"]), vec!["", ""]);

    let members = format!(
        "{}<a:ActorType>Person</a:ActorType>{}<a:UpdatedOnOrAfter>0000000000000007</a:UpdatedOnOrAfter>",
        guid(),
        strings("FieldKeys", &["FIRSTNAME"])
    );
    let request = call("WSGetActorsByTimestamp", &members);
    assert_eq!(
        request,
        Request::GetActorsByTimestamp {
            guid: GUID.into(),
            updated_on_or_after: "0000000000000007".into(),
            actor_type: "Person".into(),
            field_keys: vec!["FIRSTNAME".into()],
        }
    );
    let els = answer(&request, Payload::Actors(vec![]));
    assert!(all(&els, &["ErpActorWS"]).is_empty());
    assert_eq!(all(&els, &["WSGetActorsByTimestampResult", "Actors"]).len(), 1);
}

#[test]
fn searches() {
    let fk = strings("FieldKeys", &["NAME"]);
    let request = call(
        "WSSearchActors",
        &format!("{}<a:ActorType>Customer</a:ActorType><a:SearchText> acme </a:SearchText>{fk}", guid()),
    );
    assert_eq!(
        request,
        Request::SearchActors {
            guid: GUID.into(),
            actor_type: "Customer".into(),
            search_text: " acme ".into(),
            field_keys: vec!["NAME".into()],
        }
    );
    answer(&request, Payload::Actors(vec![customer("c-1", "Acme")]));

    let by_parent = call(
        "WSSearchActorByParent",
        &format!(
            "{}<a:ActorType>Person</a:ActorType><a:SearchText/><a:ParentActorType>Customer</a:ParentActorType>\
             <a:ParentActorErpKey>c-7</a:ParentActorErpKey>{fk}",
            guid()
        ),
    );
    assert_eq!(
        by_parent,
        Request::SearchActorByParent {
            guid: GUID.into(),
            actor_type: "Person".into(),
            search_text: String::new(),
            parent_actor_type: "Customer".into(),
            parent_erp_key: "c-7".into(),
            field_keys: vec!["NAME".into()],
        }
    );
    answer(&by_parent, Payload::Actors(vec![]));

    let restrictions = format!(
        "<a:Restrictions><a:SearchRestrictionInfoWS><a:FieldKey>NAME</a:FieldKey><a:Operator>begins</a:Operator>{}</a:SearchRestrictionInfoWS>\
         <a:SearchRestrictionInfoWS><a:FieldKey>VATNO</a:FieldKey><a:Operator>equals</a:Operator><a:Value>NL1</a:Value></a:SearchRestrictionInfoWS></a:Restrictions>",
        strings("Values", &["Ac", "Be"])
    );
    let advanced =
        call("WSSearchActorsAdvanced", &format!("{}<a:ActorType>Customer</a:ActorType>{restrictions}{fk}", guid()));
    assert_eq!(
        advanced,
        Request::SearchActorsAdvanced {
            guid: GUID.into(),
            actor_type: "Customer".into(),
            restrictions: vec![
                Restriction {
                    field_key: "NAME".into(),
                    operator: "begins".into(),
                    values: vec!["Ac".into(), "Be".into()]
                },
                Restriction { field_key: "VATNO".into(), operator: "equals".into(), values: vec!["NL1".into()] },
            ],
            field_keys: vec!["NAME".into()],
        }
    );
    answer(&advanced, Payload::Actors(vec![]));
}

#[test]
fn create_and_save_actors() {
    let request = call(
        "WSCreateActor",
        &format!("{}{}", guid(), actor_xml("Actor", "", &[("FIRSTNAME", "Jan"), ("LASTNAME", "de Vries")])),
    );
    let Request::CreateActor { guid: g, actor } = &request else { panic!("{request:?}") };
    assert_eq!(g, GUID);
    assert_eq!((actor.actor_type.as_str(), actor.erp_key.as_str()), ("Person", ""));
    assert_eq!((actor.parent_actor_type.as_str(), actor.parent_erp_key.as_str()), ("Customer", "c-7"));
    assert_eq!(actor.last_modified, "[DT:01/02/2024 10:00:00.0000000]");
    assert_eq!(actor.fields.get("LASTNAME").map(String::as_str), Some("de Vries"));
    let mut created = actor.clone();
    created.erp_key = "c-7~p".into();
    let els = answer(&request, Payload::Actor(Some(created)));
    assert_eq!(one(&els, &["WSCreateActorResult", "Actor", "ErpKey"]), "c-7~p");
    assert_eq!(texts(&els, &["Actor", "FieldValues", "KeyValueOfstringstring", "Key"]), vec!["FIRSTNAME", "LASTNAME"]);
    let els = parse(&soap::write(&request, &Response::failed(&request, Outcome::error("x", "no", "no"))));
    let nil = all(&els, &["WSCreateActorResult", "Actor"]);
    assert!(nil.len() == 1 && nil[0].nil, "a missing actor is written nil");

    let two = format!(
        "<a:Actors>{}{}</a:Actors>",
        actor_xml("ErpActorWS", "p-1", &[("EMAIL", "a@b.nl")]),
        actor_xml("ErpActorWS", "p-2", &[])
    );
    let request = call("WSSaveActors", &format!("{}{two}", guid()));
    let Request::SaveActors { actors, .. } = &request else { panic!("{request:?}") };
    assert_eq!(actors.iter().map(|a| a.erp_key.as_str()).collect::<Vec<_>>(), ["p-1", "p-2"]);
    assert_eq!(actors[0].fields.get("EMAIL").map(String::as_str), Some("a@b.nl"));
    assert!(actors[1].fields.is_empty());
    let els = answer(&request, Payload::Actors(actors.clone()));
    assert_eq!(texts(&els, &["WSSaveActorsResult", "Actors", "ErpActorWS", "ErpKey"]), vec!["p-1", "p-2"]);
}

#[test]
fn lists_are_dictionaries() {
    let request = call("WSGetList", &format!("{}<a:ListName>koppel_connections</a:ListName>", guid()));
    assert_eq!(request, Request::GetList { guid: GUID.into(), list_name: "koppel_connections".into() });
    let items = vec![
        ListItem { key: "c-1".into(), display_value: "SnelStart – Acme".into(), tooltip: "t".into() },
        ListItem { key: "c-2".into(), display_value: "B & C".into(), tooltip: String::new() },
    ];
    let els = answer(&request, Payload::ListItems(items.clone()));
    assert_eq!(texts(&els, &["ListItems", "KeyValueOfstringstring", "Key"]), vec!["c-1", "c-2"]);
    assert_eq!(texts(&els, &["ListItems", "KeyValueOfstringstring", "Value"]), vec!["SnelStart – Acme", "B & C"]);

    let request = call(
        "WSGetListItems",
        &format!("{}{}<a:ListName>koppel_connections</a:ListName>", guid(), strings("ListItemKeys", &["c-2"])),
    );
    assert_eq!(
        request,
        Request::GetListItems { guid: GUID.into(), list_name: "koppel_connections".into(), keys: vec!["c-2".into()] }
    );
    answer(&request, Payload::ListItems(items[1..].to_vec()));
}
