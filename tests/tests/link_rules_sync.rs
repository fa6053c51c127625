//! The SnelStart sync honours a connection's link rules, through the real connector against
//! the SnelStart stand-in: a field whose direction is off is never written, a default fills an
//! empty field of a customer the sync creates, list values are mapped, and when two connections
//! feed the same platform customer the better priority keeps the fields it wrote while the other
//! fills the rest (equal or no priority: the last writer wins). Each test fails if its rule is ignored.

use chrono::Duration;
use koppel_core::domain::connection::Connection;
use koppel_core::domain::records::{Address, Customer};
use koppel_core::domain::run::Trigger;
use koppel_core::domain::stream::StreamKind;
use koppel_core::links::{Viewer, input::LinkRulesBody, save};
use koppel_core::platform::customers as platform;
use koppel_core::sync::{SyncOutcome, SyncRequest, mirror, run_sync};
use koppel_core::usecases::customers::{self, NewCustomer};
use koppel_sandbox::{Resource, RunningSandbox, SandboxConfig, SnelStartSandbox};
use koppel_tests::harness::{Harness, TENANT};
use serde_json::{Value, json};

struct World {
    sandbox: RunningSandbox,
    h: Harness,
    /// Relaties that are customers, in API order.
    klanten: Vec<String>,
}

async fn world() -> World {
    let config = SandboxConfig { customers: 8, invoices: 0, ..SandboxConfig::default() };
    let sandbox = SnelStartSandbox::new(config).start_local().await.expect("sandbox");
    let sources = koppel_runtime::env::sources(&sandbox.api_base(), &sandbox.auth_base()).expect("sources");
    let h = Harness::new(sources);
    let data = sandbox.data();
    let klanten = data
        .ids_in_order(Resource::Relaties)
        .into_iter()
        .filter(|id| {
            data.record(Resource::Relaties, id)
                .is_some_and(|r| r["relatieSoort"].as_array().is_some_and(|s| s.iter().any(|k| k == "Klant")))
        })
        .collect::<Vec<_>>();
    assert!(klanten.len() >= 3, "the stand-in has customers: {klanten:?}");
    World { sandbox, h, klanten }
}

impl World {
    async fn connection(&self, rules: Option<Value>) -> Connection {
        let sub = self.sandbox.subscription_key().to_string();
        let key = self.sandbox.client_key().to_string();
        let conn = self.h.connection_with_keys("vat_number", false, &sub, &key).await;
        if let Some(rules) = rules {
            save::save(&self.h.deps, TENANT, &conn.id, &Viewer::service(), &LinkRulesBody(rules))
                .await
                .expect("link rules saved");
        }
        conn
    }

    /// Sets fields of a relatie (with a new modifiedOn, so the next run reads it).
    fn set(&self, id: &str, fields: Value) {
        for (field, value) in fields.as_object().expect("an object") {
            self.sandbox.data().set_field(Resource::Relaties, id, field, value.clone(), true).expect("set field");
        }
    }

    async fn sync(&self, conn: &Connection) {
        self.h.clock.advance(Duration::hours(1));
        let request = SyncRequest {
            tenant_id: TENANT.into(),
            connection_id: conn.id.clone(),
            streams: vec![StreamKind::Customers],
            run_id: None,
            trigger: Trigger::Manual,
            with_interests: None,
        };
        match run_sync(&self.h.deps, request, self.h.no_deadline()).await.expect("run") {
            SyncOutcome::Completed(run) => assert_eq!(run.streams[0].counters.failed, 0, "{run:?}"),
            other => panic!("expected a completed run, got {other:?}"),
        }
    }

    /// The platform customer `conn` linked relatie `remote` to.
    async fn customer(&self, conn: &Connection, remote: &str) -> Customer {
        let store = self.h.deps.store.as_ref();
        let mirrors =
            mirror::load(store, TENANT, &conn.id, StreamKind::Customers, [remote].into_iter()).await.expect("mirror");
        let local = mirrors.get(remote).and_then(|m| m.local_id.clone()).expect("linked to a platform customer");
        platform::get(store, TENANT, &local).await.expect("read").expect("the platform customer exists")
    }

    async fn platform_customer(&self, vat: &str, email: Option<&str>) -> Customer {
        let form = NewCustomer {
            name: "Op het platform".into(),
            customer_number: None,
            vat_number: Some(vat.into()),
            email: email.map(str::to_string),
            phone: None,
            coc_number: None,
            address: Address::default(),
        };
        customers::create(&self.h.deps, TENANT, form).await.expect("platform customer")
    }
}

fn source<'a>(c: &'a Customer, field: &str) -> Option<&'a str> {
    c.field_sources.get(field).map(String::as_str)
}

#[tokio::test]
async fn a_field_whose_direction_is_off_is_never_written() {
    let w = world().await;
    let (new, linked) = (&w.klanten[0], &w.klanten[1]);
    w.set(new, json!({"btwNummer": "NL100000001B01", "email": "nieuw@relatie.nl", "naam": "Nieuw BV"}));
    w.set(linked, json!({"btwNummer": "NL100000002B01", "email": "snelstart@relatie.nl"}));
    let existing = w.platform_customer("NL100000002B01", Some("platform@klant.nl")).await;
    let conn = w.connection(Some(json!({"fields": [{"field": "email", "direction": "off"}]}))).await;
    w.sync(&conn).await;

    let created = w.customer(&conn, new).await;
    assert_eq!((created.name.as_str(), created.email.as_deref()), ("Nieuw BV", None), "created without the e-mail");
    assert_eq!(source(&created, "name"), Some(conn.id.as_str()));
    assert_eq!(source(&created, "email"), None);
    let updated = w.customer(&conn, linked).await;
    assert_eq!(updated.id, existing.id, "linked by VAT number");
    assert_eq!(updated.email.as_deref(), Some("platform@klant.nl"), "the platform's e-mail is kept");
}

#[tokio::test]
async fn a_default_value_fills_an_empty_field_of_a_created_customer_only() {
    let w = world().await;
    let (new, linked) = (&w.klanten[0], &w.klanten[1]);
    let no_phone = json!({"telefoon": null, "mobieleTelefoon": null});
    w.set(
        new,
        json!({"btwNummer": "NL200000001B01", "telefoon": null, "mobieleTelefoon": null, "kvkNummer": "12345678"}),
    );
    w.set(linked, json!({"btwNummer": "NL200000002B01"}));
    w.set(linked, no_phone);
    let existing = w.platform_customer("NL200000002B01", None).await;
    let rules = json!({"fields": [
        {"field": "phone", "direction": "to_platform", "default_value": "onbekend"},
        {"field": "coc_number", "direction": "to_platform", "default_value": "00000000"}
    ]});
    let conn = w.connection(Some(rules)).await;
    w.sync(&conn).await;

    let created = w.customer(&conn, new).await;
    assert_eq!(created.phone.as_deref(), Some("onbekend"), "the default fills the empty phone");
    assert_eq!(source(&created, "phone"), Some(conn.id.as_str()));
    assert_eq!(created.coc_number.as_deref(), Some("12345678"), "a default never replaces a value");
    let linked_customer = w.customer(&conn, linked).await;
    assert_eq!(linked_customer.id, existing.id);
    assert_eq!(linked_customer.phone, None, "defaults are for customers the sync creates");
}

#[tokio::test]
async fn list_values_are_mapped_and_unmapped_values_pass() {
    let w = world().await;
    let (mapped, unmapped) = (&w.klanten[0], &w.klanten[1]);
    let address =
        |city: &str| json!({"contactpersoon": null, "straat": "Dorpsstraat 1", "postcode": "1234 AB", "plaats": city});
    w.set(mapped, json!({"btwNummer": "NL300000001B01", "vestigingsAdres": address("A'dam")}));
    w.set(unmapped, json!({"btwNummer": "NL300000002B01", "vestigingsAdres": address("Utrecht")}));
    let rules = json!({"fields": [{"field": "city", "direction": "both", "list_values": {"A'dam": "Amsterdam"}}]});
    let conn = w.connection(Some(rules)).await;
    w.sync(&conn).await;

    assert_eq!(w.customer(&conn, mapped).await.address.city.as_deref(), Some("Amsterdam"));
    assert_eq!(w.customer(&conn, unmapped).await.address.city.as_deref(), Some("Utrecht"));
}

#[tokio::test]
async fn priority_1_keeps_the_fields_it_wrote_and_priority_2_fills_the_others() {
    let w = world().await;
    let r = &w.klanten[0];
    w.set(r, json!({"btwNummer": "NL400000001B01", "email": "een@relatie.nl", "telefoon": "010-1111111"}));
    let first = w.connection(Some(json!({"priority": 1, "fields": [{"field": "phone", "direction": "off"}]}))).await;
    let second = w.connection(Some(json!({"priority": 2}))).await;
    w.sync(&first).await;
    let c = w.customer(&first, r).await;
    assert_eq!((c.email.as_deref(), c.phone.as_deref()), (Some("een@relatie.nl"), None));

    w.set(r, json!({"email": "twee@relatie.nl", "telefoon": "020-2222222"}));
    w.sync(&second).await;
    let c2 = w.customer(&second, r).await;
    assert_eq!(c2.id, c.id, "both connections feed the same platform customer");
    assert_eq!(c2.email.as_deref(), Some("een@relatie.nl"), "priority 2 does not overwrite what priority 1 wrote");
    assert_eq!(source(&c2, "email"), Some(first.id.as_str()));
    assert_eq!(c2.phone.as_deref(), Some("020-2222222"), "priority 2 fills a field priority 1 never wrote");
    assert_eq!(source(&c2, "phone"), Some(second.id.as_str()));

    // Priority 1 still overwrites its own fields; priority 2's phone stays (1 has phone off).
    w.set(r, json!({"email": "drie@relatie.nl"}));
    w.sync(&first).await;
    let c3 = w.customer(&first, r).await;
    assert_eq!((c3.email.as_deref(), c3.phone.as_deref()), (Some("drie@relatie.nl"), Some("020-2222222")));
}

#[tokio::test]
async fn equal_or_no_priority_the_last_writer_wins_and_no_priority_loses_to_a_number() {
    let w = world().await;
    let r = &w.klanten[0];
    w.set(r, json!({"btwNummer": "NL500000001B01", "email": "een@relatie.nl"}));
    let first = w.connection(None).await;
    let second = w.connection(None).await;
    w.sync(&first).await;
    w.set(r, json!({"email": "twee@relatie.nl"}));
    w.sync(&second).await;
    let c = w.customer(&second, r).await;
    assert_eq!(c.email.as_deref(), Some("twee@relatie.nl"), "no priority on either side: the last writer wins");
    assert_eq!(source(&c, "email"), Some(second.id.as_str()));

    for conn in [&first, &second] {
        save::save(&w.h.deps, TENANT, &conn.id, &Viewer::service(), &LinkRulesBody(json!({"priority": 3})))
            .await
            .expect("saved");
    }
    w.set(r, json!({"email": "drie@relatie.nl"}));
    w.sync(&first).await;
    assert_eq!(w.customer(&first, r).await.email.as_deref(), Some("drie@relatie.nl"), "equal priority: last wins");

    // A connection without a priority loses to a numbered one.
    save::save(&w.h.deps, TENANT, &second.id, &Viewer::service(), &LinkRulesBody(json!({}))).await.expect("saved");
    w.set(r, json!({"email": "vier@relatie.nl"}));
    w.sync(&second).await;
    let c = w.customer(&second, r).await;
    assert_eq!(c.email.as_deref(), Some("drie@relatie.nl"), "no priority does not overwrite priority 3");
    assert_eq!(source(&c, "email"), Some(first.id.as_str()));
}
