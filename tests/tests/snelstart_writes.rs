//! SnelStart customer writes (the ERP link's get / create / update) against the running
//! sandbox: what is sent comes back, an update keeps what Koppel does not model, SnelStart's
//! refusals are quoted, a POST is never sent twice after a 5xx or a timeout, and the next
//! incremental sync sees the change.

use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy, client};
use koppel_connectors::snelstart::{SnelStartFactory, SnelStartOptions, SnelStartSession};
use koppel_core::domain::records::{Address, RemoteCustomer};
use koppel_core::domain::run::Trigger;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, SourceSession};
use koppel_core::sync::{SyncOutcome, SyncRequest, mirror, run_sync};
use koppel_sandbox::{Fault, Resource, RunningSandbox, SandboxConfig, SnelStartSandbox};
use koppel_tests::harness::{Harness, TENANT};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

struct Setup {
    sandbox: RunningSandbox,
    session: SnelStartSession,
    sleeper: RecordingSleeper,
}

async fn setup(customers: u32, timeout: Duration) -> Setup {
    let config = SandboxConfig { customers, invoices: 0, ..SandboxConfig::default() };
    let sandbox = SnelStartSandbox::new(config).start_local().await.expect("sandbox starts");
    let sleeper = RecordingSleeper::new();
    let options = SnelStartOptions {
        retry: RetryPolicy { max_attempts: 4, jitter: Jitter::Fixed(0.0), ..RetryPolicy::default() },
        sleeper: Arc::new(sleeper.clone()),
        ..SnelStartOptions::default()
    };
    let http = client(&ClientOptions { timeout, ..ClientOptions::default() }).expect("client builds");
    let factory = SnelStartFactory::new(sandbox.api_base(), sandbox.auth_base(), http, options);
    let session = factory.open_session(&credentials(&sandbox)).expect("session opens");
    Setup { sandbox, session, sleeper }
}

fn credentials(sandbox: &RunningSandbox) -> Credentials {
    Credentials::new()
        .with("subscription_key", SecretString::from(sandbox.subscription_key().to_string()))
        .with("connection_key", SecretString::from(sandbox.client_key().to_string()))
}

fn new_customer() -> RemoteCustomer {
    RemoteCustomer {
        remote_id: String::new(),
        modified_on: None,
        customer_number: Some("7001".into()),
        name: "Fietsenmaker Smit".into(),
        email: Some("info@smit.nl".into()),
        vat_number: Some("NL001122334B01".into()),
        coc_number: Some("87654321".into()),
        phone: Some("030-1234567".into()),
        address: Address {
            street: Some("Molenweg 4".into()),
            postcode: Some("3511 AB".into()),
            city: Some("Utrecht".into()),
        },
        is_customer: true,
        inactive: false,
        contact_person: Some("Sanne Smit".into()),
    }
}

/// Requests with this method and exact path, from the sandbox's recent-request log.
fn requests(sandbox: &RunningSandbox, method: &str, path: &str) -> usize {
    sandbox.stats().recent.iter().filter(|r| r.method == method && r.path == path).count()
}

fn record(sandbox: &RunningSandbox, id: &str) -> Value {
    sandbox.data().record(Resource::Relaties, id).expect("the relatie exists")
}

#[tokio::test]
async fn a_created_customer_reads_back_as_sent_with_its_new_id() {
    let s = setup(20, Duration::from_secs(10)).await;
    let created = s.session.create_customer(&new_customer()).await.expect("created");
    assert!(!created.remote_id.is_empty() && created.modified_on.is_some());
    assert_eq!(
        created,
        RemoteCustomer { remote_id: created.remote_id.clone(), modified_on: created.modified_on, ..new_customer() }
    );
    let read = s.session.get_customer(&created.remote_id).await.expect("read");
    assert_eq!(read.as_ref(), Some(&created));
    let raw = record(&s.sandbox, &created.remote_id);
    assert_eq!(raw["relatiecode"], json!(7001));
    assert_eq!(raw["relatieSoort"], json!(["Klant"]));
    assert_eq!(raw["vestigingsAdres"]["contactpersoon"], json!("Sanne Smit"));
    assert_eq!(s.sandbox.data().len(Resource::Relaties), 21);

    let unnumbered = RemoteCustomer { customer_number: Some("K-9".into()), ..new_customer() };
    let assigned = s.session.create_customer(&unnumbered).await.expect("created");
    assert_eq!(assigned.customer_number.as_deref(), Some("7002"), "SnelStart (the sandbox) assigned the next code");

    let unknown = s.session.get_customer("00000000-0000-4000-8000-000000000000").await;
    assert_eq!(unknown, Ok(None), "a 404 is no customer, not an error");
}

#[tokio::test]
async fn an_update_changes_only_the_modelled_fields() {
    let s = setup(20, Duration::from_secs(10)).await;
    let data = s.sandbox.data();
    let id = data.ids_in_order(Resource::Relaties)[3].clone();
    data.set_field(Resource::Relaties, &id, "memo", json!("belt liever na 10 uur"), false).expect("memo");
    data.set_field(Resource::Relaties, &id, "iban", json!("NL91ABNA0417164300"), false).expect("iban");
    data.set_field(Resource::Relaties, &id, "mobieleTelefoon", json!("06-11112222"), false).expect("mobile");
    let before = record(&s.sandbox, &id);
    let current = s.session.get_customer(&id).await.expect("read").expect("exists");

    let wanted = RemoteCustomer {
        name: "Nieuwe Naam B.V.".into(),
        email: Some("nieuw@example.nl".into()),
        contact_person: Some("Noor Visser".into()),
        address: Address { city: Some("Leiden".into()), ..current.address.clone() },
        ..current.clone()
    };
    let stored = s.session.update_customer(&wanted).await.expect("updated");
    assert_eq!(stored, RemoteCustomer { modified_on: stored.modified_on, ..wanted.clone() });
    assert!(stored.modified_on > current.modified_on, "modifiedOn moved");

    let after = record(&s.sandbox, &id);
    assert_eq!(after["naam"], json!("Nieuwe Naam B.V."));
    assert_eq!(after["vestigingsAdres"]["plaats"], json!("Leiden"));
    for kept in ["memo", "iban", "mobieleTelefoon", "relatiecode", "relatieSoort", "kvkNummer", "btwNummer", "telefoon"]
    {
        assert_eq!(after[kept], before[kept], "{kept} survives the PUT");
    }
    assert_eq!(after["vestigingsAdres"]["straat"], before["vestigingsAdres"]["straat"]);
    assert_eq!(after["correspondentieAdres"]["straat"], before["correspondentieAdres"]["straat"]);

    let puts = requests(&s.sandbox, "PUT", &format!("/v2/relaties/{id}"));
    assert_eq!(puts, 1);
    let again = s.session.update_customer(&stored).await.expect("nothing to change");
    assert_eq!(again, stored);
    assert_eq!(requests(&s.sandbox, "PUT", &format!("/v2/relaties/{id}")), 1, "no PUT when nothing changed");

    let gone = RemoteCustomer { remote_id: "00000000-0000-4000-8000-000000000000".into(), ..wanted };
    let err = s.session.update_customer(&gone).await.err();
    assert!(matches!(err, Some(ConnectorError::Rejected { status: 404, .. })), "{err:?}");
}

#[tokio::test]
async fn snelstart_refusals_are_quoted() {
    let s = setup(5, Duration::from_secs(10)).await;
    let nameless = RemoteCustomer { name: "  ".into(), ..new_customer() };
    let err = s.session.create_customer(&nameless).await.err();
    let Some(ConnectorError::Rejected { status: 400, message, .. }) = &err else { panic!("rejected: {err:?}") };
    assert!(message.contains("relatie.naam: Naam is verplicht."), "{message}");
    assert!(err.as_ref().is_some_and(|e| e.to_string().contains("Naam is verplicht")));

    let taken = RemoteCustomer { customer_number: Some("1002".into()), ..new_customer() };
    let err = s.session.create_customer(&taken).await.err();
    let Some(ConnectorError::Rejected { status: 400, message, .. }) = &err else { panic!("rejected: {err:?}") };
    assert!(
        message.contains("Relatie.RelatiecodeNietUniek: Er bestaat al een relatie met relatiecode 1002."),
        "{message}"
    );
    assert_eq!(s.sandbox.data().len(Resource::Relaties), 5, "nothing stored");
    assert!(s.sleeper.waits().is_empty(), "a 400 is not retried");
}

#[tokio::test]
async fn a_rate_limited_post_waits_and_then_succeeds() {
    let s = setup(5, Duration::from_secs(10)).await;
    s.sandbox.faults().inject(Fault::rate_limit(2, 3).on_path("/v2/relaties"));
    let created = s.session.create_customer(&new_customer()).await;
    assert!(created.is_ok(), "{created:?}");
    assert_eq!(s.sleeper.waits(), vec![Duration::from_secs(3); 2], "Retry-After honoured");
    assert_eq!(requests(&s.sandbox, "POST", "/v2/relaties"), 3);
    assert_eq!(s.sandbox.data().len(Resource::Relaties), 6, "one relatie");
}

#[tokio::test]
async fn a_post_is_not_sent_again_after_a_server_error() {
    let s = setup(5, Duration::from_secs(10)).await;
    s.sandbox.faults().inject(Fault::server_error(1, 503).on_path("/v2/relaties"));
    let err = s.session.create_customer(&new_customer()).await.err();
    assert!(matches!(err, Some(ConnectorError::Server { status: 503, .. })), "{err:?}");
    assert_eq!(requests(&s.sandbox, "POST", "/v2/relaties"), 1, "exactly one POST");

    // Stored, then a 502: still one POST, and one relatie — not two.
    s.sandbox.faults().fail_after_store(1, 502);
    let err = s.session.create_customer(&new_customer()).await.err();
    assert!(matches!(err, Some(ConnectorError::Server { status: 502, .. })), "{err:?}");
    assert_eq!(requests(&s.sandbox, "POST", "/v2/relaties"), 2);
    assert_eq!(s.sandbox.data().len(Resource::Relaties), 6);
    assert!(s.sleeper.waits().is_empty(), "no retry, no wait");
}

#[tokio::test]
async fn a_post_that_times_out_after_storing_is_not_sent_again() {
    let s = setup(5, Duration::from_millis(400)).await;
    s.sandbox.faults().slow_after_store(1, Duration::from_millis(2_000));
    let err = s.session.create_customer(&new_customer()).await.err();
    assert!(matches!(err, Some(ConnectorError::Transport { .. })), "{err:?}");
    // Counted on arrival: the request is still being answered when the client gives up.
    assert_eq!(s.sandbox.stats().by_path.get("/v2/relaties"), Some(&1), "exactly one POST");
    assert_eq!(s.sandbox.data().len(Resource::Relaties), 6, "stored once");
    assert!(s.sleeper.waits().is_empty(), "no retry");
}

#[tokio::test]
async fn a_put_that_failed_after_storing_is_sent_again() {
    let s = setup(5, Duration::from_secs(10)).await;
    let id = s.sandbox.data().ids_in_order(Resource::Relaties)[0].clone();
    let current = s.session.get_customer(&id).await.expect("read").expect("exists");
    s.sandbox.faults().fail_after_store(1, 502);
    let wanted = RemoteCustomer { name: "Herhaald".into(), ..current };
    let stored = s.session.update_customer(&wanted).await.expect("the repeated PUT stores the same");
    assert_eq!(stored.name, "Herhaald");
    assert_eq!(requests(&s.sandbox, "PUT", &format!("/v2/relaties/{id}")), 2, "a whole-model PUT is safe to repeat");
}

#[tokio::test]
async fn the_contact_person_is_read_from_either_address() {
    let s = setup(60, Duration::from_secs(10)).await;
    let data = s.sandbox.data();
    let rows: Vec<Value> = data.ids_in_order(Resource::Relaties).iter().map(|id| record(&s.sandbox, id)).collect();
    let on = |key: &str| rows.iter().find(|r| r[key]["contactpersoon"].is_string()).cloned().expect("one has");
    for key in ["correspondentieAdres", "vestigingsAdres"] {
        let row = on(key);
        let id = row["id"].as_str().unwrap_or_default();
        let customer = s.session.get_customer(id).await.expect("read").expect("exists");
        assert_eq!(customer.contact_person.as_deref(), row[key]["contactpersoon"].as_str(), "{key}");
    }
    let none = rows
        .iter()
        .find(|r| {
            r["vestigingsAdres"]["contactpersoon"].is_null() && r["correspondentieAdres"]["contactpersoon"].is_null()
        })
        .expect("one without");
    let customer = s.session.get_customer(none["id"].as_str().unwrap_or_default()).await.expect("read");
    assert_eq!(customer.and_then(|c| c.contact_person), None);
}

fn customers_sync(conn: &str) -> SyncRequest {
    SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: conn.into(),
        streams: vec![StreamKind::Customers],
        run_id: None,
        trigger: Trigger::Manual,
        with_interests: None,
    }
}

#[tokio::test]
async fn the_next_incremental_sync_sees_an_update() {
    let sandbox = SnelStartSandbox::new(SandboxConfig { customers: 40, invoices: 0, ..SandboxConfig::default() })
        .start_local()
        .await
        .expect("sandbox");
    let sources = koppel_runtime::env::sources(&sandbox.api_base(), &sandbox.auth_base()).expect("sources");
    let h = Harness::new(sources.clone());
    let conn = h.connection_with_keys("email", false, sandbox.subscription_key(), sandbox.client_key()).await;
    let first = match run_sync(&h.deps, customers_sync(&conn.id), h.no_deadline()).await.expect("run") {
        SyncOutcome::Completed(run) => run,
        other => panic!("expected a completed run, got {other:?}"),
    };
    assert_eq!(first.streams[0].counters.records, 40);
    let ids = sandbox.data().ids_in_order(Resource::Relaties);
    let mirrors =
        mirror::load(h.deps.store.as_ref(), TENANT, &conn.id, StreamKind::Customers, ids.iter().map(String::as_str))
            .await
            .expect("mirrors");
    let (id, local) = ids
        .iter()
        .find_map(|id| mirrors.get(id).and_then(|m| m.local_id.clone()).map(|local| (id.clone(), local)))
        .expect("a relatie became a platform customer");

    let session = sources.open("snelstart", credentials(&sandbox)).expect("session");
    let current = session.get_customer(&id).await.expect("read").expect("exists");
    let wanted =
        RemoteCustomer { name: "Via de ERP-koppeling".into(), contact_person: Some("Daan Bos".into()), ..current };
    session.update_customer(&wanted).await.expect("updated");

    h.clock.advance(chrono::Duration::hours(1));
    let second = match run_sync(&h.deps, customers_sync(&conn.id), h.no_deadline()).await.expect("run") {
        SyncOutcome::Completed(run) => run,
        other => panic!("expected a completed run, got {other:?}"),
    };
    let reread = second.streams[0].counters.records;
    // The updated relatie, plus the newest one of the first pass (the engine re-reads 5 minutes before its watermark).
    assert!((1..=2).contains(&reread), "incremental: {reread} relaties read again");
    let mirrors =
        mirror::load(h.deps.store.as_ref(), TENANT, &conn.id, StreamKind::Customers, [id.as_str()].into_iter())
            .await
            .expect("mirror");
    let data = &mirrors.get(&id).expect("mirrored").data;
    assert_eq!(data["name"], json!("Via de ERP-koppeling"));
    assert_eq!(data["contact_person"], json!("Daan Bos"));
    let customer = koppel_core::usecases::customers::get(&h.deps, TENANT, &local).await.expect("platform customer");
    assert_eq!(customer.name, "Via de ERP-koppeling");
}
