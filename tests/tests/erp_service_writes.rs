//! SuperOffice writing through Koppel into SnelStart (the stand-in): link rules shape the fields
//! (hidden, read-only, rank, default, list values), CreateActor makes one relatie even when
//! retried or when the answer is lost, SaveActors changes only what the rules let SuperOffice
//! change, persons are the customer's contact person.

mod erp_service_support;

use std::collections::BTreeMap;

use erp_service_support::{GUID, World, actor, actors, assert_error, assert_ok, field};
use koppel_core::domain::link_rules::{Direction, FieldRule, LinkRules};
use koppel_core::erp::contract::{Access, Actor, FieldType, Payload, Request, State};
use koppel_core::usecases::connections;
use koppel_sandbox::Resource;
use koppel_tests::harness::TENANT;
use serde_json::Value;

fn rule(field: &str, direction: Direction, order: u32) -> FieldRule {
    FieldRule { field: field.into(), direction, default_value: None, list_values: BTreeMap::new(), order }
}

async fn set_rules(w: &World) {
    let mut city = rule("city", Direction::Both, 3);
    city.list_values.insert("AMS".into(), "Amsterdam".into());
    city.default_value = Some("Utrecht".into());
    let rules = LinkRules {
        fields: vec![
            rule("name", Direction::Both, 1),
            rule("phone", Direction::Both, 2),
            city,
            rule("email", Direction::Off, 0),
            rule("contact_person", Direction::Both, 0),
            rule("customer_number", Direction::ToPlatform, 0),
        ],
        ..Default::default()
    };
    let store = w.h.deps.store.as_ref();
    let mut so = connections::load(store, TENANT, &w.so.id).await.expect("load");
    so.link = Some(rules);
    connections::save(store, &mut so).await.expect("save rules");
}

fn customer(fields: &[(&str, &str)]) -> Actor {
    Actor {
        actor_type: "Customer".into(),
        fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    }
}

fn create(actor: Actor) -> Request {
    Request::CreateActor { guid: GUID.into(), actor }
}

fn relatie(w: &World, id: &str) -> Value {
    w.sandbox.data().record(Resource::Relaties, id).expect("the relatie exists in SnelStart")
}

fn named(w: &World, naam: &str) -> Vec<String> {
    let data = w.sandbox.data();
    data.ids_in_order(Resource::Relaties).into_iter().filter(|id| relatie(w, id)["naam"] == naam).collect()
}

fn posts(w: &World) -> usize {
    w.sandbox.stats().recent.iter().filter(|l| l.method == "POST" && l.path.ends_with("/relaties")).count()
}

fn contact(r: &Value) -> Option<String> {
    ["correspondentieAdres", "vestigingsAdres"].iter().find_map(|a| r[a]["contactpersoon"].as_str().map(str::to_string))
}

#[tokio::test]
async fn rules_shape_the_fields_and_writes_follow_them() {
    let w = World::new(30).await;
    set_rules(&w).await;
    w.save_link("90000").await;
    let before = w.all_changed("", "Customer").await;
    let highest = before.iter().map(|a| a.last_modified.clone()).max().expect("some");

    let meta = w.call(Request::GetSupportedActorTypeFields { guid: GUID.into(), actor_type: "Customer".into() }).await;
    let Payload::Fields(fields) = &meta.payload else { panic!("fields") };
    let by_key = |k: &str| fields.iter().find(|f| f.field_key == k).cloned();
    assert!(by_key("EMAIL").is_none(), "Off hides the field");
    let name = by_key("NAME").expect("NAME");
    assert_eq!((name.access, name.rank), (Access::Mandatory, 1));
    assert_eq!(by_key("PHONE").map(|f| (f.access, f.rank)), Some((Access::Normal, 2)));
    assert_eq!(by_key("NUMBER1").map(|f| f.access), Some(Access::ReadOnly), "to_platform only: read-only");
    let city = by_key("STREETCITY").expect("city");
    assert_eq!(
        (city.field_type, city.list_name.as_str(), city.default_value.as_str(), city.rank),
        (FieldType::List, "STREETCITY", "Utrecht", 3)
    );
    let list = w.call(Request::GetListItems {
        guid: GUID.into(),
        list_name: "STREETCITY".into(),
        keys: vec!["AMS".into(), "X".into()],
    });
    let Payload::ListItems(items) = list.await.payload else { panic!("items") };
    assert_eq!(
        items.iter().map(|i| (i.key.as_str(), i.display_value.as_str())).collect::<Vec<_>>(),
        [("AMS", "Amsterdam")]
    );
    assert_error(&w.call(Request::GetList { guid: GUID.into(), list_name: "NOPE".into() }).await, "list_unknown");

    // Create: list key mapped, hidden field ignored (said so), number from CUSTOMER_NUMBER_FROM.
    let new =
        customer(&[("NAME", "Nieuwe Klant BV"), ("STREETCITY", "AMS"), ("EMAIL", "x@y.nl"), ("PHONE", "020-1234567")]);
    let posts_before = posts(&w);
    let created = w.call(create(new.clone())).await;
    assert_eq!(created.outcome.state, State::OkWithInfo, "{:?}", created.outcome);
    assert!(created.outcome.user_explanation.contains("EMAIL"));
    let a = actor(&created).clone();
    let r = relatie(&w, &a.erp_key);
    assert_eq!(
        (r["naam"].as_str(), r["vestigingsAdres"]["plaats"].as_str(), r["relatiecode"].as_i64()),
        (Some("Nieuwe Klant BV"), Some("Amsterdam"), Some(90000))
    );
    assert!(r["email"].is_null(), "Off: not written");
    assert_eq!((field(&a, "STREETCITY"), field(&a, "NUMBER1")), (Some("AMS"), Some("[I:90000]")));
    assert!(a.last_modified > highest, "{} after {highest}", a.last_modified);
    assert!(w.all_changed(&a.last_modified, "Customer").await.iter().any(|c| c.erp_key == a.erp_key), "in the feed");

    // A retry (same content) is the same customer: no second POST.
    let again = w.call(create(new)).await;
    assert_eq!(actor(&again).erp_key, a.erp_key);
    assert_eq!((posts(&w) - posts_before, named(&w, "Nieuwe Klant BV").len()), (1, 1));

    // Defaults fill empty fields; the next free number.
    let second = actor(&w.call(create(customer(&[("NAME", "Tweede BV")]))).await).clone();
    let r2 = relatie(&w, &second.erp_key);
    assert_eq!((r2["vestigingsAdres"]["plaats"].as_str(), r2["relatiecode"].as_i64()), (Some("Utrecht"), Some(90001)));
    assert_error(&w.call(create(customer(&[("PHONE", "1")]))).await, "field_required");

    // Save: only fields SuperOffice may write.
    let mut change = customer(&[("NAME", "Hernoemd BV"), ("NUMBER1", "[I:1]"), ("PHONE", "010-7654321")]);
    change.erp_key = a.erp_key.clone();
    let saved = w.call(Request::SaveActors { guid: GUID.into(), actors: vec![change] }).await;
    assert_eq!(saved.outcome.state, State::OkWithInfo, "{:?}", saved.outcome);
    assert!(saved.outcome.user_explanation.contains("NUMBER1"));
    let r = relatie(&w, &a.erp_key);
    assert_eq!(
        (r["naam"].as_str(), r["telefoon"].as_str(), r["relatiecode"].as_i64()),
        (Some("Hernoemd BV"), Some("010-7654321"), Some(90000))
    );
    assert!(actors(&saved)[0].last_modified > a.last_modified);
    let mut ghost = customer(&[("NAME", "x")]);
    ghost.erp_key = "00000000-0000-0000-0000-000000000000".into();
    assert_error(&w.call(Request::SaveActors { guid: GUID.into(), actors: vec![ghost] }).await, "actor_unknown");

    // Persons are the customer's contact person.
    let person = |parent: &str, first: &str, last: &str| Actor {
        actor_type: "Person".into(),
        parent_actor_type: "Customer".into(),
        parent_erp_key: parent.into(),
        fields: BTreeMap::from([("FIRSTNAME".into(), first.into()), ("LASTNAME".into(), last.into())]),
        ..Default::default()
    };
    let p = w.call(create(person(&a.erp_key, "Jan", "Jansen"))).await;
    assert_ok(&p);
    assert_eq!(actor(&p).erp_key, format!("{}~p", a.erp_key));
    assert_eq!(contact(&relatie(&w, &a.erp_key)).as_deref(), Some("Jan Jansen"));
    assert_ok(&w.call(create(person(&a.erp_key, "Jan", "Jansen"))).await);
    assert_error(&w.call(create(person(&a.erp_key, "Piet", "Pietersen"))).await, "person_exists");
    let mut rename = person("", "", "de Boer");
    rename.fields.remove("FIRSTNAME");
    rename.erp_key = format!("{}~p", a.erp_key);
    assert_ok(&w.call(Request::SaveActors { guid: GUID.into(), actors: vec![rename] }).await);
    assert_eq!(contact(&relatie(&w, &a.erp_key)).as_deref(), Some("Jan de Boer"));
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_found_not_made_twice() {
    let w = World::new(10).await;
    set_rules(&w).await;
    w.save_link("").await;
    let new = customer(&[("NAME", "Onzeker BV"), ("PHONE", "030-1111111")]);
    w.sandbox.faults().fail_after_store(1, 503);
    let lost = w.call(create(new.clone())).await;
    let outcome = assert_error(&lost, "provider_error");
    assert!(outcome.tech_explanation.contains("looks for it"), "{}", outcome.tech_explanation);
    assert_eq!(named(&w, "Onzeker BV").len(), 1, "SnelStart stored it although the answer was an error");
    let posts_before = posts(&w);
    let retried = w.call(create(new)).await;
    assert_ok(&retried);
    assert_eq!(named(&w, "Onzeker BV"), [actor(&retried).erp_key.clone()]);
    assert_eq!(posts(&w), posts_before, "found, not created again");

    // A refused create (a customer number SnelStart already has) stores nothing and may be sent
    // again: the retry is refused by SnelStart again, not held as "in progress".
    let taken = w.all_changed("", "Customer").await.iter().find_map(|a| field(a, "NUMBER1").map(str::to_string));
    let taken = taken.expect("a customer number");
    let duplicate = customer(&[("NAME", "Dubbel BV"), ("NUMBER1", &taken)]);
    let refused = assert_error(&w.call(create(duplicate.clone())).await, "provider_error");
    assert!(refused.user_explanation.contains("HTTP 400"), "{}", refused.user_explanation);
    assert_error(&w.call(create(duplicate)).await, "provider_error");
    assert!(named(&w, "Dubbel BV").is_empty());
}
