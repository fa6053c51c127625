//! The ERP benchmark's world: the SnelStart stand-in (in this process, or the release binary as
//! a child process for clean memory figures), Koppel on the embedded SQLite store (counted), a
//! tested SnelStart connection synced into the mirror, an active `superoffice` connection whose
//! route passed a handshake, Koppel's connector served on 127.0.0.1, and an ERP link saved by
//! the engine stand-in (SaveConnection enables the customer feed).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use koppel_core::Deps;
use koppel_core::domain::run::Trigger;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::{SystemClock, UlidGen};
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::{activation, create_connection, test_connection};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};
use koppel_runtime::http::{AppState, AuthConfig};
use koppel_sandbox::erp_engine::{EngineClient, LocalListener, Served, new_guid, values};
use koppel_sandbox::{RunningSandbox, SandboxConfig, SnelStartSandbox};
use secrecy::SecretString;

use super::store::{ReadLog, RecordingStore};
use crate::Args;
use crate::sandbox_process::SandboxProcess;

pub const TENANT: &str = "bench";
const CONTEXT_ID: &str = "Cust12345";

/// The SnelStart stand-in, kept alive for the run.
pub enum StandIn {
    InProcess(RunningSandbox),
    Process(SandboxProcess),
}

impl StandIn {
    pub async fn start(customers: usize, binary: Option<&str>) -> Result<Self, String> {
        match binary {
            Some(path) => {
                let args = Args { customers, invoices: 0, sandbox: path.to_string() };
                Ok(StandIn::Process(SandboxProcess::start(&args).await?))
            }
            None => {
                let customers = u32::try_from(customers).map_err(|_| "too many customers".to_string())?;
                let config = SandboxConfig { customers, invoices: 0, ..SandboxConfig::default() };
                let running = SnelStartSandbox::new(config).start_local().await.map_err(|e| e.to_string())?;
                Ok(StandIn::InProcess(running))
            }
        }
    }

    /// (API base, auth base, subscription key, koppelsleutel)
    fn endpoints(&self) -> (String, String, String, String) {
        match self {
            StandIn::InProcess(s) => {
                (s.api_base(), s.auth_base(), s.subscription_key().to_string(), s.client_key().to_string())
            }
            StandIn::Process(p) => (p.api_base(), p.base.clone(), p.subscription_key.clone(), p.client_key.clone()),
        }
    }
}

/// Everything the measurement needs.
pub struct World {
    pub log: Arc<ReadLog>,
    pub client: EngineClient,
    pub guid: String,
    pub synced: u64,
    pub sync_seconds: f64,
    pub _standin: StandIn,
    pub _served: Served,
}

pub async fn build(dir: &Path, customers: usize, binary: Option<&str>) -> Result<World, String> {
    let e = |x: &dyn std::fmt::Display| x.to_string();
    let standin = StandIn::start(customers, binary).await?;
    let (api, auth, sub, key) = standin.endpoints();
    let store = RecordingStore::new(Arc::new(SqliteStore::open(dir.join("bench.db")).map_err(|x| e(&x))?));
    let log = store.log.clone();
    let listener = LocalListener::bind().await.map_err(|x| e(&x))?;
    let deps = Deps {
        store: Arc::new(store),
        secrets: Arc::new(LocalSecrets::open(dir.join("secrets")).map_err(|x| e(&x))?),
        scheduler: Arc::new(LocalScheduler::in_memory().map_err(|x| e(&x))?),
        bus: Arc::new(InProcessBus::new()),
        sources: koppel_runtime::env::sources(&api, &auth).map_err(|x| e(&x))?,
        newsletter: koppel_runtime::env::newsletter("http://127.0.0.1:9").map_err(|x| e(&x))?,
        meetings: Arc::new(koppel_core::ports::meeting::NoMeetings),
        oauth: Arc::new(koppel_core::ports::oauth::NoOAuthClient),
        clock: Arc::new(SystemClock),
        ids: Arc::new(UlidGen),
        env: "bench".into(),
        public_url: listener.base_url.clone(),
    };

    // The SnelStart connection, tested, and a first sync of its customers into the mirror.
    let form = create_connection::CreateConnection {
        provider: "snelstart".into(),
        name: "Benchmark".into(),
        subscription_key: Some(SecretString::from(sub)),
        connection_key: Some(SecretString::from(key)),
        matching_key: "vat_number".into(),
        start_date: "01-01-2000".into(),
        ..Default::default()
    };
    let snel = create_connection::create(&deps, TENANT, form).await.map_err(|x| format!("{x:?}"))?;
    let test = test_connection::test(&deps, TENANT, &snel.id).await.map_err(|x| format!("{x:?}"))?;
    if !test.ok {
        return Err(format!("test against the SnelStart stand-in failed: {}", test.message));
    }
    let started = Instant::now();
    let request = SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: snel.id.clone(),
        streams: vec![StreamKind::Customers],
        run_id: None,
        trigger: Trigger::Manual,
        with_interests: None,
    };
    let deadline = chrono::Utc::now() + chrono::Duration::hours(6);
    let synced = match run_sync(&deps, request, deadline).await.map_err(|x| format!("{x:?}"))? {
        SyncOutcome::Completed(run) => run.streams.first().map_or(0, |s| s.counters.records),
        other => return Err(format!("the sync did not complete: {other:?}")),
    };
    let sync_seconds = started.elapsed().as_secs_f64();

    // The superoffice connection: created, tested, active; its route signed in.
    let form = create_connection::CreateConnection {
        provider: "superoffice".into(),
        name: "SuperOffice".into(),
        context_id: Some(CONTEXT_ID.into()),
        ..Default::default()
    };
    let so = create_connection::create(&deps, TENANT, form).await.map_err(|x| format!("{x:?}"))?;
    let setting = |k: &str| so.settings.get(k).cloned().ok_or_else(|| format!("the superoffice connection has no {k}"));
    let (url, route, access_key) = (setting("connector_url")?, setting("erp_route")?, setting("access_key")?);
    let test = test_connection::test(&deps, TENANT, &so.id).await.map_err(|x| format!("{x:?}"))?;
    if !test.ok {
        return Err(format!("the superoffice connection's test failed: {}", test.message));
    }
    activation::activate(&deps, TENANT, &so.id).await.map_err(|x| format!("{x:?}"))?;
    let now = deps.clock.now();
    let opened = koppel_core::erp::route::record_handshake(deps.store.as_ref(), &route, CONTEXT_ID, now).await;
    if !matches!(opened, Ok(true)) {
        return Err(format!("the route could not be opened: {opened:?}"));
    }
    let state = AppState::new(deps.clone(), AuthConfig::default());
    let served = listener.serve(superoffice_erp::router_unconfigured(state));

    // The engine saves an ERP link on the SnelStart connection.
    let client = EngineClient::discover(&url).await.map_err(|x| e(&x))?;
    let form = client.get_config_data().await.map_err(|x| e(&x))?;
    let mut info = BTreeMap::new();
    for f in &form.payload {
        let value = match f.field_type.as_str() {
            "Password" => access_key.clone(),
            "List" => snel.id.clone(),
            "Integer" if f.default_value.is_empty() => values::encode_int(900_000),
            _ => f.default_value.clone(),
        };
        info.insert(f.field_key.clone(), value);
    }
    let guid = new_guid();
    let saved = client.save_connection(&guid, &info).await.map_err(|x| e(&x))?;
    if !saved.outcome.ok() {
        return Err(format!("SaveConnection failed: {}", saved.outcome.summary()));
    }
    Ok(World { log, client, guid, synced, sync_seconds, _standin: standin, _served: served })
}
