//! The whole ERP link as SuperOffice drives it, against Koppel's own routers in this process:
//! a tenant with a synced SnelStart connection (the SnelStart stand-in), a `superoffice`
//! connection created through Koppel's API, SuperOffice Online's handshake (its stand-in signs
//! the token), then the ERP engine stand-in (`koppel_sandbox::erp_engine`) runs every step in
//! the documented order and checks every answer — and the SnelStart stand-in shows the writes.

use std::sync::Arc;

use koppel_core::domain::run::Trigger;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::Clock;
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::test_connection;
use koppel_runtime::http::auth::dev_token;
use koppel_runtime::http::{AppState, AuthConfig};
use koppel_sandbox::erp_engine::{
    ExpectedCodes, HandshakeInput, Lifecycle, LifecycleSetup, LocalListener, http_client,
};
use koppel_sandbox::superoffice::{DEMO_CLIENT_ID, DEMO_CONTEXT_ID, SuperOfficeOnline, TokenSpec, demo_app_key_xml};
use koppel_sandbox::{Resource, SandboxConfig, SnelStartSandbox};
use koppel_tests::harness::{Harness, TENANT};
use secrecy::SecretString;
use serde_json::{Value, json};
use superoffice_erp::handshake::{AppKey, Handshake, HandshakeConfig};

const CUSTOMERS: u32 = 60;
/// Customers created from SuperOffice get numbers from here on.
const NUMBER_FROM: i64 = 900_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn superoffice_runs_a_whole_erp_link_against_koppel_backed_by_snelstart() {
    // SnelStart: the stand-in, a tested SnelStart connection, a first sync into the mirror.
    let config = SandboxConfig { customers: CUSTOMERS, invoices: 0, ..SandboxConfig::default() };
    let snelstart = SnelStartSandbox::new(config).start_local().await.expect("snelstart stand-in");
    let sources = koppel_runtime::env::sources(&snelstart.api_base(), &snelstart.auth_base()).expect("sources");
    let mut h = Harness::new(sources);
    let listener = LocalListener::bind().await.expect("a port for Koppel");
    h.deps.public_url = listener.base_url.clone();
    let (sub, key) = (snelstart.subscription_key().to_string(), snelstart.client_key().to_string());
    let snel = h.connection_with_keys("vat_number", false, &sub, &key).await;
    let request = SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: snel.id.clone(),
        streams: vec![StreamKind::Customers],
        run_id: None,
        trigger: Trigger::Manual,
        with_interests: None,
    };
    match run_sync(&h.deps, request, h.no_deadline()).await.expect("sync") {
        SyncOutcome::Completed(run) => assert!(run.streams[0].counters.records > 0, "{run:?}"),
        other => panic!("expected a completed sync, got {other:?}"),
    }

    // Koppel: the API and the connector on one port; SuperOffice Online's stand-in for the keys.
    let online = SuperOfficeOnline::new().start_local().await.expect("superoffice online stand-in");
    let app_key = AppKey::parse(&SecretString::from(demo_app_key_xml())).expect("demo app key");
    let handshake_config = HandshakeConfig::new(DEMO_CLIENT_ID, app_key)
        .and_then(|c| c.with_oidc_bases([online.oidc_base()]))
        .expect("config");
    let handshake = Handshake::new(handshake_config, http_client(), h.clock.clone());
    let dev_secret = SecretString::from("erp-lifecycle-dev-secret".to_string());
    let auth = AuthConfig { tenant_claim: "tenant_id".into(), dev_secret: Some(dev_secret.clone()) };
    let state = AppState::new(h.deps.clone(), auth);
    let koppel = listener.serve(api::router(state.clone()).merge(superoffice_erp::router(state, Arc::new(handshake))));

    // The user creates the superoffice connection through the API, then tests and activates it.
    let http = http_client();
    let token = dev_token(&dev_secret, TENANT, 3600);
    let created: Value = http
        .post(format!("{}/connections", koppel.base_url))
        .bearer_auth(&token)
        .json(&json!({"provider": "superoffice", "name": "SuperOffice CRM", "context_id": DEMO_CONTEXT_ID}))
        .send()
        .await
        .expect("POST /connections")
        .json()
        .await
        .expect("JSON answer");
    let so_id = created["id"].as_str().expect("connection id").to_string();
    let connector_url = created["settings"]["connector_url"].as_str().expect("connector_url").to_string();
    let access_key = created["settings"]["access_key"].as_str().expect("the access key, shown once").to_string();
    assert!(connector_url.starts_with(&format!("{}/superoffice-erp/", koppel.base_url)), "{connector_url}");
    let tested = test_connection::test(&h.deps, TENANT, &so_id).await.expect("test");
    assert!(tested.ok, "{tested:?}");
    // The administrator maps the fields SuperOffice may change: name, e-mail and phone both ways
    // (the others stay read-only: SnelStart → SuperOffice).
    let both = |f: &str| json!({"field": f, "direction": "both"});
    let rules = http
        .put(format!("{}/connections/{so_id}/link-rules", koppel.base_url))
        .bearer_auth(&token)
        .json(&json!({"fields": [both("name"), both("email"), both("phone"), both("contact_person")]}))
        .send()
        .await
        .expect("PUT link-rules");
    assert!(rules.status().is_success(), "link rules: {}", rules.status());
    let activated = http
        .post(format!("{}/connections/{so_id}/activate", koppel.base_url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("POST activate");
    assert!(activated.status().is_success(), "activate: {}", activated.status());

    // SuperOffice: the handshake token (and one for another tenant, to be refused), then the engine.
    let good = online.online().mint(&TokenSpec::new(DEMO_CLIENT_ID, DEMO_CONTEXT_ID).at(h.clock.now()));
    let other_tenant = online.online().mint(&TokenSpec::new(DEMO_CLIENT_ID, "Cust99999").at(h.clock.now()));
    let counts = h.counts.clone();
    let setup = LifecycleSetup {
        handshake: Some(HandshakeInput {
            signed_token: good.token,
            nonce: good.nonce,
            refused_token: Some(other_tenant.token),
            app_public_key: Some(online.online().app_public_key()),
        }),
        access_key: access_key.clone(),
        list_choice: Some(snel.id.clone()),
        number_from: Some(NUMBER_FROM),
        codes: ExpectedCodes {
            not_authenticated: Some("not_authenticated".into()),
            unknown_connection: Some("connection_unknown".into()),
            unsupported_actor_type: Some("actor_type_unsupported".into()),
        },
        store_writes: Some(Arc::new(move || counts.writes())),
        max_calls: 50,
    };
    let (engine, report) = Lifecycle::discover(&connector_url, setup).await.expect("engine client");
    let (report, facts) = engine.run(report).await;
    let text = report.to_string();
    assert!(!text.contains(&access_key), "the report never shows the access key");
    assert!(report.passed(), "{text}");
    assert!(report.steps.len() >= 30, "every step ran:\n{text}");
    assert!(facts.initial.get("Customer").is_some_and(|n| *n > 0), "{facts:?}");
    assert!(facts.initial.get("Person").is_some_and(|n| *n > 0), "the stand-in names contact persons: {facts:?}");

    // SnelStart holds what SuperOffice wrote: the new relatie with its contact person, the change.
    let data = snelstart.data();
    let customer = facts.created_customer.expect("created customer");
    let relatie = data.record(Resource::Relaties, &customer.erp_key).expect("the new relatie is in SnelStart");
    assert_eq!(relatie["naam"].as_str(), Some(customer.get("NAME")), "{relatie}");
    let person = facts.created_person.expect("created person");
    let contact = [&relatie["correspondentieAdres"]["contactpersoon"], &relatie["vestigingsAdres"]["contactpersoon"]];
    let full = format!("{} {}", person.get("FIRSTNAME"), person.get("LASTNAME"));
    assert!(contact.iter().any(|c| c.as_str() == Some(full.as_str())), "contact person {full:?} in {relatie}");
    let saved = facts.saved_customer.expect("saved customer");
    let changed = data.record(Resource::Relaties, &saved.erp_key).expect("the saved relatie");
    assert_eq!(facts.saved_field, "PHONE");
    assert_eq!(changed["telefoon"].as_str(), Some(saved.get("PHONE")), "{changed}");
    drop(koppel);
}
