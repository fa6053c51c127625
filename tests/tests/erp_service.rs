//! The SuperOffice ERP Sync Connector at the contract level, against the SnelStart stand-in:
//! the `superoffice` connection in Koppel, the handshake gate, the config form, saving and
//! testing an ERP connection by GUID, actor types and fields, and the actor feed.

mod erp_service_support;

use std::sync::Arc;

use chrono::Duration;
use erp_service_support::{CONTEXT, GUID, World, actors, assert_error, assert_ok, field, superoffice_form};
use koppel_core::AppError;
use koppel_core::domain::catalog;
use koppel_core::erp::contract::{Access, FieldType, Payload, Request, State};
use koppel_core::erp::route;
use koppel_core::erp::service;
use koppel_core::ports::Clock;
use koppel_core::usecases::{connections, create_connection, delete_connection, test_connection, update_connection};
use koppel_sandbox::Resource;
use koppel_tests::fake_source::FakeSources;
use koppel_tests::harness::{Harness, TENANT};
use secrecy::ExposeSecret;

#[tokio::test]
async fn setup_shows_the_address_and_the_key_once_and_delete_closes_the_address() {
    let h = Harness::new(Arc::new(FakeSources::default()));
    let store = h.deps.store.as_ref();
    let Err(AppError::Invalid(problems)) = create_connection::create(&h.deps, TENANT, superoffice_form(None)).await
    else {
        panic!("a missing context id is refused")
    };
    assert_eq!(problems[0].field, "context_id");
    let mut keyed = superoffice_form(Some(CONTEXT));
    keyed.api_key = Some("x".to_string().into());
    assert!(matches!(create_connection::create(&h.deps, TENANT, keyed).await, Err(AppError::Invalid(_))));

    let shown = create_connection::create(&h.deps, TENANT, superoffice_form(Some(CONTEXT))).await.expect("create");
    let key = shown.settings["access_key"].clone();
    let route_id = shown.settings["erp_route"].clone();
    assert_eq!(key.len(), 43, "256 random bits");
    assert_eq!(shown.settings["connector_url"], format!("http://127.0.0.1:9/superoffice-erp/{route_id}"));
    assert_eq!(shown.settings["context_id"], CONTEXT);
    let stored = connections::load(store, TENANT, &shown.id).await.expect("load");
    assert!(!stored.settings.contains_key("access_key"), "the stored connection never shows the key");
    assert!(!serde_json::to_string(&stored).expect("json").contains(&key));
    let secret = connections::credentials_raw(&h.deps, &stored).await.expect("secret");
    assert_eq!(secret.get("access_key").map(|k| k.expose_secret().to_string()), Some(key.clone()));
    assert!(!catalog::syncs("superoffice"), "an ERP link has no schedule");
    for form in [
        update_connection::UpdateConnection {
            subscription_key: Some("s".to_string().into()),
            connection_key: Some("c".to_string().into()),
            ..Default::default()
        },
        update_connection::UpdateConnection { api_key: Some("a".to_string().into()), ..Default::default() },
    ] {
        let refused = update_connection::update(&h.deps, TENANT, &shown.id, form).await;
        assert!(matches!(refused, Err(AppError::Invalid(_))), "keys of a superoffice connection cannot be replaced");
    }
    let kept = connections::credentials_raw(&h.deps, &stored).await.expect("secret");
    assert_eq!(kept.get("access_key").map(|k| k.expose_secret().to_string()), Some(key.clone()), "the key stays");

    let first = test_connection::test(&h.deps, TENANT, &shown.id).await.expect("test");
    assert!(first.ok, "{first:?}");
    assert!(
        first.message.contains("has not signed in yet") && first.message.contains("0 ERP connection(s)"),
        "{}",
        first.message
    );

    let now = h.clock.now();
    let ctx = route::resolve(store, &route_id, now).await.expect("resolve").expect("route");
    assert_eq!((ctx.tenant.as_str(), ctx.connection.as_str(), ctx.authenticated), (TENANT, shown.id.as_str(), false));
    assert!(!route::record_handshake(store, &route_id, "Cust99999", now).await.expect("other context"));
    assert!(!route::resolve(store, &route_id, now).await.expect("resolve").expect("route").authenticated);
    assert!(!route::record_handshake(store, "0123abcd", CONTEXT, now).await.expect("unknown route"));
    assert!(route::record_handshake(store, &route_id, "cust12345", now).await.expect("handshake"));
    assert!(route::resolve(store, &route_id, now).await.expect("resolve").expect("route").authenticated);
    let later = now + Duration::hours(25);
    assert!(!route::resolve(store, &route_id, later).await.expect("resolve").expect("route").authenticated);
    let second = test_connection::test(&h.deps, TENANT, &shown.id).await.expect("test");
    assert!(second.message.contains("SuperOffice signed in at"), "{}", second.message);

    delete_connection::delete(&h.deps, TENANT, &shown.id).await.expect("delete");
    assert_eq!(route::resolve(store, &route_id, now).await.expect("resolve"), None, "old addresses answer 404");
    assert_eq!(route::resolve(store, "../../T#tenant-a", now).await.expect("resolve"), None);
}

#[tokio::test]
async fn calls_are_refused_before_the_handshake_and_while_the_connection_is_inactive() {
    let w = World::new(20).await;
    let store = w.h.deps.store.as_ref();
    let mut ctx = w.ctx().await;
    ctx.authenticated = false;
    let info = w.info(&w.key, &w.snel.id, "");
    let refused = service::handle(&w.h.deps, &ctx, Request::SaveConnection { guid: GUID.into(), info }).await;
    assert_error(&refused, "not_authenticated");
    assert_eq!(refused.payload, Payload::None);
    let cfg = service::handle(&w.h.deps, &ctx, Request::GetConfigData).await;
    assert_error(&cfg, "not_authenticated");
    assert_eq!(cfg.payload, Payload::Fields(vec![]));
    let saved = koppel_core::erp::saved::list(store, TENANT, &w.so.id).await.expect("list");
    assert!(saved.is_empty(), "nothing stored before the handshake");

    koppel_core::usecases::activation::deactivate(&w.h.deps, TENANT, &w.so.id).await.expect("deactivate");
    let inactive = w.call(Request::GetConfigData).await;
    let outcome = assert_error(&inactive, "connection_inactive");
    assert!(outcome.user_explanation.contains("Activate it in Koppel"), "{}", outcome.user_explanation);
}

#[tokio::test]
async fn config_form_test_save_and_connection_lifecycle() {
    let w = World::new(30).await;
    let store = w.h.deps.store.as_ref();
    let form = w.call(Request::GetConfigData).await;
    let Payload::Fields(fields) = &form.payload else { panic!("fields") };
    let keys: Vec<(&str, FieldType, Access)> =
        fields.iter().map(|f| (f.field_key.as_str(), f.field_type, f.access)).collect();
    assert_eq!(
        keys,
        [
            ("ACCESS_KEY", FieldType::Password, Access::Mandatory),
            ("KOPPEL_CONNECTION", FieldType::List, Access::Mandatory),
            ("CUSTOMER_NUMBER_FROM", FieldType::Integer, Access::Normal)
        ]
    );
    assert_eq!(fields[1].list_name, "koppel_connections");
    let list = w.call(Request::GetList { guid: String::new(), list_name: "koppel_connections".into() }).await;
    let Payload::ListItems(items) = &list.payload else { panic!("items") };
    assert_eq!(items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), [w.snel.id.as_str()]);

    let wrong = w.call(Request::TestConfigData { info: w.info("not-the-key", &w.snel.id, "") }).await;
    let outcome = assert_error(&wrong, "access_key_wrong");
    assert!(!format!("{outcome:?}").contains(&w.key), "the key is never echoed");
    let bad_number = w.call(Request::TestConfigData { info: w.info(&w.key, &w.snel.id, "abc") }).await;
    assert_error(&bad_number, "config_invalid");
    let not_snelstart = w.call(Request::TestConfigData { info: w.info(&w.key, &w.so.id, "") }).await;
    assert_error(&not_snelstart, "koppel_connection_unusable");
    assert_ok(&w.call(Request::TestConfigData { info: w.info(&w.key, &w.snel.id, "[I:5000]") }).await);

    let refused = w.call(Request::SaveConnection { guid: GUID.into(), info: w.info("nope", &w.snel.id, "") }).await;
    assert_error(&refused, "access_key_wrong");
    assert!(koppel_core::erp::saved::list(store, TENANT, &w.so.id).await.expect("list").is_empty(), "test before save");
    let bad_guid = w.call(Request::SaveConnection { guid: "not-a-guid".into(), info: w.info(&w.key, &w.snel.id, "") });
    assert_error(&bad_guid.await, "bad_request");
    assert_error(&w.call(Request::TestConnection { guid: GUID.into() }).await, "connection_unknown");

    w.save_link("5000").await;
    let saved = koppel_core::erp::saved::list(store, TENANT, &w.so.id).await.expect("list");
    assert_eq!(saved.len(), 1);
    assert_eq!(
        (saved[0].1.koppel_connection.as_str(), saved[0].1.customer_number_from),
        (w.snel.id.as_str(), Some(5000))
    );
    let raw =
        store.get(&format!("T#{TENANT}#C#{}", w.so.id), &format!("ERP#{GUID}")).await.expect("get").expect("item");
    assert!(!raw.body.contains(&w.key), "the access key is never stored with the ERP connection");
    assert_ok(&w.call(Request::TestConnection { guid: format!("{{{}}}", GUID.to_uppercase()) }).await);
    let tested = test_connection::test(&w.h.deps, TENANT, &w.so.id).await.expect("test");
    assert!(tested.message.contains("1 ERP connection(s) saved"), "{}", tested.message);

    let types = w.call(Request::GetSupportedActorTypes { guid: GUID.into() }).await;
    assert_eq!(types.payload, Payload::Strings(vec!["Customer".into(), "Person".into()]));
    let project =
        w.call(Request::GetSupportedActorTypeFields { guid: GUID.into(), actor_type: "Project".into() }).await;
    let outcome = assert_error(&project, "actor_type_unsupported");
    assert!(outcome.tech_explanation.contains("Customer, Person"), "{}", outcome.tech_explanation);
    let customer =
        w.call(Request::GetSupportedActorTypeFields { guid: GUID.into(), actor_type: "Customer".into() }).await;
    let Payload::Fields(fields) = &customer.payload else { panic!("fields") };
    let keys: Vec<&str> = fields.iter().map(|f| f.field_key.as_str()).collect();
    assert_eq!(keys, ["NAME", "NUMBER1", "EMAIL", "PHONE", "VATNO", "COCNO", "STREETAD1", "STREETZIP", "STREETCITY"]);
    assert!(fields.iter().all(|f| f.access == Access::ReadOnly), "without link rules SuperOffice writes nothing");
    assert_eq!(fields[1].field_type, FieldType::Integer);
    let searchable = w.call(Request::GetSearchableFields { guid: GUID.into(), actor_type: "Person".into() }).await;
    assert_eq!(searchable.payload, Payload::Strings(vec!["FIRSTNAME".into(), "LASTNAME".into(), "EMAIL".into()]));

    // SnelStart keys changed in Koppel: the test is gone, the link says what to do.
    let mut snel = connections::load(store, TENANT, &w.snel.id).await.expect("load");
    snel.last_test = None;
    connections::save(store, &mut snel).await.expect("save");
    let untested =
        assert_error(&w.call(Request::TestConnection { guid: GUID.into() }).await, "koppel_connection_unusable");
    assert!(untested.user_explanation.contains("Run Test API"), "{}", untested.user_explanation);
    delete_connection::delete(&w.h.deps, TENANT, &w.snel.id).await.expect("delete");
    let gone = w.call(Request::GetActors {
        guid: GUID.into(),
        actor_type: "Customer".into(),
        erp_keys: vec![],
        field_keys: vec![],
    });
    let gone = assert_error(&gone.await, "koppel_connection_unusable");
    assert!(gone.user_explanation.contains("no longer exists"), "{}", gone.user_explanation);

    assert_ok(&w.call(Request::DeleteConnection { guid: GUID.into() }).await);
    assert_error(&w.call(Request::GetSupportedActorTypes { guid: GUID.into() }).await, "connection_unknown");
}

#[tokio::test]
async fn the_feed_numbers_every_change_and_a_call_after_the_last_one_reads_nothing() {
    let w = World::new(60).await;
    w.save_link("").await;
    let customers = w.all_changed("", "Customer").await;
    let in_sandbox = w.sandbox.data().len(Resource::Relaties);
    assert!(
        customers.len() >= 30 && customers.len() < in_sandbox,
        "customers only: {} of {in_sandbox}",
        customers.len()
    );
    let stamps: Vec<&str> = customers.iter().map(|a| a.last_modified.as_str()).collect();
    assert!(stamps.iter().all(|s| s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit())), "{stamps:?}");
    assert!(stamps.windows(2).all(|p| p[0] < p[1]), "monotonic as text: {stamps:?}");
    let numbers: Vec<u64> = stamps.iter().map(|s| s.parse().expect("digits")).collect();
    assert!(numbers.windows(2).all(|p| p[0] < p[1]), "and as numbers");
    assert!(customers.iter().all(|a| field(a, "NUMBER1").is_some_and(|n| n.starts_with("[I:") && n.ends_with(']'))));
    assert!(customers.iter().all(|a| field(a, "NAME").is_some_and(|n| !n.is_empty())));

    let persons = w.all_changed("[I:0]", "Person").await;
    assert!(!persons.is_empty() && persons.len() < customers.len(), "{} persons", persons.len());
    for p in &persons {
        assert_eq!((p.parent_actor_type.as_str(), p.erp_key.clone()), ("Customer", format!("{}~p", p.parent_erp_key)));
        assert!(field(p, "LASTNAME").is_some());
    }

    let last = *numbers.last().expect("some");
    let after = format!("{:016}", last + 1);
    let ctx = w.ctx().await;
    w.h.counts.reset();
    let request = Request::GetActorsByTimestamp {
        guid: GUID.into(),
        updated_on_or_after: after.clone(),
        actor_type: "Customer".into(),
        field_keys: vec!["NAME".into()],
    };
    let nothing = service::handle(&w.h.deps, &ctx, request).await;
    assert_eq!((nothing.outcome.state, actors(&nothing).len()), (State::Ok, 0));
    assert_eq!(
        (w.h.counts.queries(), w.h.counts.batch_gets(), w.h.counts.writes()),
        (0, 0, 0),
        "reads nothing it does not need"
    );
    assert_eq!(w.h.counts.gets(), 4, "connection, ERP link, Koppel connection, feed item");

    // Changes in SnelStart, synced: only they come, after everything seen so far.
    let touched = w.sandbox.data().touch(Resource::Relaties, 5);
    w.sync().await;
    let changed = w.all_changed(&after, "Customer").await;
    assert!(!changed.is_empty() && changed.len() <= 5, "{changed:?}");
    assert!(changed.iter().all(|a| touched.contains(&a.erp_key)));
    assert!(changed.iter().all(|a| a.last_modified.parse::<u64>().expect("digits") > last));
    let only_name = w
        .call(Request::GetActors {
            guid: GUID.into(),
            actor_type: "Customer".into(),
            erp_keys: vec![changed[0].erp_key.clone(), "missing".into(), customers[0].erp_key.clone()],
            field_keys: vec!["name".into(), "SHOESIZE".into()],
        })
        .await;
    let got = actors(&only_name);
    assert_eq!(
        got.iter().map(|a| a.erp_key.as_str()).collect::<Vec<_>>(),
        [&changed[0].erp_key, &customers[0].erp_key]
    );
    assert!(got.iter().all(|a| a.fields.keys().collect::<Vec<_>>() == ["NAME"]), "{got:?}");
}
