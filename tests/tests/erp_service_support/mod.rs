//! A tenant with a SnelStart connection against the stand-in (customers synced) and a
//! `superoffice` connection (tested, active, handshake done), and shortcuts for calling the ERP
//! service at the contract level.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Utc;
use koppel_core::domain::connection::Connection;
use koppel_core::domain::run::Trigger;
use koppel_core::domain::stream::StreamKind;
use koppel_core::erp::contract::{Actor, ConnectionInfo, Outcome, Payload, Request, Response, State};
use koppel_core::erp::route::{self, ErpCtx};
use koppel_core::erp::service;
use koppel_core::ports::Clock;
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::{activation, connections, create_connection, test_connection};
use koppel_sandbox::{RunningSandbox, SandboxConfig, SnelStartSandbox};
use koppel_tests::harness::{Harness, TENANT, TestClock};

pub const CONTEXT: &str = "Cust12345";
pub const GUID: &str = "3aef3af6-8642-4fc1-8dc9-4e08bd76a6bf";

pub struct World {
    pub sandbox: RunningSandbox,
    pub h: Harness,
    /// The Koppel SnelStart connection (tested).
    pub snel: Connection,
    /// The superoffice connection as stored (no access key).
    pub so: Connection,
    pub key: String,
    pub route: String,
}

pub fn superoffice_form(context_id: Option<&str>) -> create_connection::CreateConnection {
    create_connection::CreateConnection {
        provider: "superoffice".into(),
        name: "SuperOffice CRM".into(),
        context_id: context_id.map(str::to_string),
        ..Default::default()
    }
}

impl World {
    /// `customers` relaties in the stand-in, synced once; superoffice connection created,
    /// tested, activated; handshake done. No ERP connection saved yet.
    pub async fn new(customers: u32) -> World {
        let config = SandboxConfig { customers, invoices: 0, ..SandboxConfig::default() };
        let sandbox = SnelStartSandbox::new(config).start_local().await.expect("sandbox");
        let sources = koppel_runtime::env::sources(&sandbox.api_base(), &sandbox.auth_base()).expect("sources");
        // The stand-in stamps relaties with the real time; Koppel's clock starts there too.
        let h = Harness::with_clock(Arc::new(TestClock::at(Utc::now())), sources);
        let (sub, ck) = (sandbox.subscription_key().to_string(), sandbox.client_key().to_string());
        let snel = h.connection_with_keys("customer_number", false, &sub, &ck).await;
        let shown = create_connection::create(&h.deps, TENANT, superoffice_form(Some(CONTEXT))).await.expect("create");
        let key = shown.settings.get("access_key").cloned().expect("the key is shown once");
        let route = shown.settings.get("erp_route").cloned().expect("route");
        assert!(test_connection::test(&h.deps, TENANT, &shown.id).await.expect("test").ok);
        activation::activate(&h.deps, TENANT, &shown.id).await.expect("activate");
        let so = connections::load(h.deps.store.as_ref(), TENANT, &shown.id).await.expect("load");
        let world = World { sandbox, h, snel, so, key, route };
        world.sync().await;
        let now = world.h.clock.now();
        assert!(route::record_handshake(world.h.deps.store.as_ref(), &world.route, CONTEXT, now).await.expect("hs"));
        world
    }

    /// One customers run of the SnelStart connection.
    pub async fn sync(&self) {
        let request = SyncRequest {
            tenant_id: TENANT.into(),
            connection_id: self.snel.id.clone(),
            streams: vec![StreamKind::Customers],
            run_id: None,
            trigger: Trigger::Manual,
            with_interests: None,
        };
        match run_sync(&self.h.deps, request, self.h.no_deadline()).await.expect("sync") {
            SyncOutcome::Completed(_) => {}
            other => panic!("expected a completed run, got {other:?}"),
        }
    }

    pub async fn ctx(&self) -> ErpCtx {
        let store = self.h.deps.store.as_ref();
        route::resolve(store, &self.route, self.h.clock.now()).await.expect("resolve").expect("route exists")
    }

    pub async fn call(&self, request: Request) -> Response {
        service::handle(&self.h.deps, &self.ctx().await, request).await
    }

    pub fn info(&self, key: &str, koppel: &str, from: &str) -> ConnectionInfo {
        BTreeMap::from([
            ("ACCESS_KEY".to_string(), key.to_string()),
            ("KOPPEL_CONNECTION".to_string(), koppel.to_string()),
            ("CUSTOMER_NUMBER_FROM".to_string(), from.to_string()),
        ])
        .into()
    }

    /// SaveConnection of `GUID` with the right key; must pass.
    pub async fn save_link(&self, from: &str) {
        let info = self.info(&self.key, &self.snel.id, from);
        let r = self.call(Request::SaveConnection { guid: GUID.into(), info }).await;
        assert_ok(&r);
    }

    /// Every actor changed at or after `since`, following `OkWithInfo` "more" answers.
    pub async fn all_changed(&self, since: &str, actor_type: &str) -> Vec<Actor> {
        let mut out: Vec<Actor> = Vec::new();
        let mut from = since.to_string();
        for _ in 0..20 {
            let r = self
                .call(Request::GetActorsByTimestamp {
                    guid: GUID.into(),
                    updated_on_or_after: from.clone(),
                    actor_type: actor_type.into(),
                    field_keys: vec![],
                })
                .await;
            assert!(r.outcome.is_ok(), "{:?}", r.outcome);
            let page = actors(&r);
            for a in page {
                out.retain(|o| o.erp_key != a.erp_key);
                out.push(a.clone());
            }
            if r.outcome.state == State::Ok {
                return out;
            }
            from = page.last().map(|a| a.last_modified.clone()).unwrap_or(from);
        }
        panic!("the feed kept saying more");
    }
}

pub fn actors(r: &Response) -> &[Actor] {
    match &r.payload {
        Payload::Actors(a) => a,
        other => panic!("expected actors, got {other:?}"),
    }
}

pub fn actor(r: &Response) -> &Actor {
    match &r.payload {
        Payload::Actor(Some(a)) => a,
        other => panic!("expected one actor, got {other:?} ({:?})", r.outcome),
    }
}

pub fn assert_ok(r: &Response) {
    assert!(r.outcome.is_ok(), "expected ok, got {:?}", r.outcome);
}

pub fn assert_error(r: &Response, code: &str) -> Outcome {
    assert_eq!((r.outcome.state, r.outcome.error_code.as_str()), (State::Error, code), "{:?}", r.outcome);
    r.outcome.clone()
}

pub fn field<'a>(a: &'a Actor, key: &str) -> Option<&'a str> {
    a.fields.get(key).map(String::as_str)
}
