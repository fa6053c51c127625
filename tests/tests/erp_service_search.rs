//! SuperOffice's Import and Find dialogs against Koppel: plain search, persons of a customer,
//! advanced restrictions, over the SnelStart connection's mirrored customers.

mod erp_service_support;

use erp_service_support::{GUID, World, actors, assert_error, field};
use koppel_core::erp::contract::{Request, Restriction, State};

fn restriction(field: &str, operator: &str, values: &[&str]) -> Restriction {
    Restriction {
        field_key: field.into(),
        operator: operator.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

fn search(actor_type: &str, text: &str) -> Request {
    Request::SearchActors {
        guid: GUID.into(),
        actor_type: actor_type.into(),
        search_text: text.into(),
        field_keys: vec![],
    }
}

fn advanced(restrictions: Vec<Restriction>) -> Request {
    Request::SearchActorsAdvanced { guid: GUID.into(), actor_type: "Customer".into(), restrictions, field_keys: vec![] }
}

#[tokio::test]
async fn plain_search_by_parent_and_advanced_restrictions() {
    let w = World::new(150).await;
    w.save_link("").await;
    let customers = w.all_changed("", "Customer").await;
    assert!(customers.len() > 100, "enough customers to reach the cap: {}", customers.len());

    // Case-insensitive contains over the searchable fields.
    let target = &customers[7];
    let name = field(target, "NAME").expect("name").to_string();
    let word = name.split_whitespace().max_by_key(|w| w.len()).expect("a word").to_uppercase();
    let found = w.call(search("Customer", &word)).await;
    assert_eq!(found.outcome.state, State::Ok);
    let hits = actors(&found);
    assert!(hits.iter().any(|a| a.erp_key == target.erp_key), "{word} finds {name}");
    assert!(hits.iter().all(|a| field(a, "NAME").is_some_and(|n| n.to_uppercase().contains(&word))
        || a.fields.values().any(|v| v.to_uppercase().contains(&word))));
    let number = field(target, "NUMBER1").expect("number").trim_start_matches("[I:").trim_end_matches(']').to_string();
    let by_number = w.call(search("Customer", &number)).await;
    assert!(actors(&by_number).iter().any(|a| a.erp_key == target.erp_key));

    // More than the cap: 100 and "refine".
    let everything = w.call(search("Customer", "")).await;
    assert_eq!((everything.outcome.state, actors(&everything).len()), (State::OkWithInfo, 100));
    assert!(everything.outcome.user_explanation.contains("refine"), "{:?}", everything.outcome);
    assert_eq!(actors(&w.call(search("Customer", "no such customer anywhere")).await).len(), 0);

    // Persons: by their name, and as the children of their customer.
    let persons = w.all_changed("", "Person").await;
    let person = &persons[0];
    let last = field(person, "LASTNAME").expect("last name").to_lowercase();
    let named = w.call(search("Person", &last)).await;
    assert!(actors(&named).iter().any(|a| a.erp_key == person.erp_key));
    let by_parent = |parent: &str, text: &str| Request::SearchActorByParent {
        guid: GUID.into(),
        actor_type: "Person".into(),
        search_text: text.into(),
        parent_actor_type: "Customer".into(),
        parent_erp_key: parent.into(),
        field_keys: vec!["FIRSTNAME".into(), "LASTNAME".into()],
    };
    let children = w.call(by_parent(&person.parent_erp_key, "")).await;
    assert_eq!(actors(&children).iter().map(|a| a.erp_key.as_str()).collect::<Vec<_>>(), [person.erp_key.as_str()]);
    assert!(actors(&children)[0].fields.keys().all(|k| k == "FIRSTNAME" || k == "LASTNAME"));
    assert!(actors(&w.call(by_parent(&person.parent_erp_key, "zzzz-nobody")).await).is_empty());
    let childless = customers.iter().find(|c| !persons.iter().any(|p| p.parent_erp_key == c.erp_key)).expect("one");
    assert!(actors(&w.call(by_parent(&childless.erp_key, "")).await).is_empty());

    // Advanced: every restriction must hold.
    let prefix: String = name.chars().take(4).collect::<String>().to_lowercase();
    let begins = w.call(advanced(vec![restriction("NAME", "begins", &[&prefix])])).await;
    let begins = actors(&begins);
    assert!(begins.iter().any(|a| a.erp_key == target.erp_key));
    assert!(begins.iter().all(|a| field(a, "NAME").is_some_and(|n| n.to_lowercase().starts_with(&prefix))));
    let exact = w.call(advanced(vec![restriction("NUMBER1", "between", &[&number, &format!("[I:{number}]")])])).await;
    assert_eq!(actors(&exact).iter().map(|a| a.erp_key.as_str()).collect::<Vec<_>>(), [target.erp_key.as_str()]);
    let both = w
        .call(advanced(vec![restriction("NAME", "begins", &[&prefix]), restriction("NUMBER1", "unequals", &[&number])]))
        .await;
    assert!(!actors(&both).iter().any(|a| a.erp_key == target.erp_key), "AND: the second excludes it");
    let unknown = w.call(advanced(vec![restriction("NAME", "soundsLike", &["x"])])).await;
    let outcome = assert_error(&unknown, "operator_unknown");
    assert!(outcome.user_explanation.contains("notBegins") && outcome.user_explanation.contains("between"));
    assert_error(&w.call(advanced(vec![restriction("SHOESIZE", "is", &["42"])])).await, "field_unknown");
    assert_error(&w.call(advanced(vec![restriction("NUMBER1", "greater", &["many"])])).await, "bad_request");
    let wrong_type = Request::SearchActors {
        guid: GUID.into(),
        actor_type: "Supplier".into(),
        search_text: String::new(),
        field_keys: vec![],
    };
    assert_error(&w.call(wrong_type).await, "actor_type_unsupported");
    let unknown_guid = Request::SearchActors {
        guid: "11111111-2222-3333-4444-555555555555".into(),
        actor_type: "Customer".into(),
        search_text: String::new(),
        field_keys: vec![],
    };
    assert_error(&w.call(unknown_guid).await, "connection_unknown");
}
