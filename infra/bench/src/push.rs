//! The meeting-push benchmark: 1,000 meetings with 3 reports, 2 notes and 5 to-dos each are sent
//! to one provider's stand-in through the push engine (ledger, marker, hash), then sent again.
//! The stand-in runs in this process (`push_standins`), its limits off; the store is the embedded
//! SQLite one, counted. Reported per pass: items created / updated / unchanged, provider calls
//! (per meeting), store writes, wall seconds; at the end the process's peak RSS (stand-in included).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use base64::Engine;
use koppel_conformance::counting::{CountingStore, Counts};
use koppel_core::Deps;
use koppel_core::domain::connection::{ConnectionStatus, TestResult};
use koppel_core::domain::oauth::AuthStatus;
use koppel_core::ports::meeting::{MeetingFactory, TargetQuery};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::{SystemClock, UlidGen};
use koppel_core::push::{input::MeetingInput, meetings, send};
use koppel_core::usecases::{connections, create_connection};
use koppel_embedded::{InProcessBus, LocalScheduler, LocalSecrets, SqliteStore};
use secrecy::SecretString;
use serde_json::json;

pub const TENANT: &str = "bench";

/// What a stand-in hands the benchmark: the provider, a connection's secret fields and settings,
/// the meeting connectors pointed at it, and the target kind to pick from.
pub struct PushTarget {
    pub provider: &'static str,
    pub secrets: Vec<(&'static str, String)>,
    pub settings: BTreeMap<String, String>,
    pub meetings: Arc<dyn MeetingFactory>,
    pub target_kind: &'static str,
    /// Keeps the stand-in serving while the benchmark runs.
    pub _standin: Box<dyn std::any::Any + Send>,
}

pub struct Bench {
    pub deps: Deps,
    pub counts: Arc<Counts>,
}

impl Bench {
    pub fn open(dir: &Path, meetings: Arc<dyn MeetingFactory>) -> Result<Self, String> {
        let store = CountingStore::new(Arc::new(SqliteStore::open(dir.join("bench.db")).map_err(|e| e.to_string())?));
        let counts = store.counts.clone();
        let deps = Deps {
            store: Arc::new(store),
            secrets: Arc::new(LocalSecrets::open(dir.join("secrets")).map_err(|e| e.to_string())?),
            scheduler: Arc::new(LocalScheduler::in_memory().map_err(|e| e.to_string())?),
            bus: Arc::new(InProcessBus::new()),
            sources: Arc::new(koppel_connectors::ProviderSources::new()),
            newsletter: koppel_runtime::env::newsletter("http://127.0.0.1:9").map_err(|e| e.to_string())?,
            meetings,
            oauth: Arc::new(koppel_core::ports::oauth::NoOAuthClient),
            clock: Arc::new(SystemClock),
            ids: Arc::new(UlidGen),
            env: "bench".into(),
            public_url: "http://127.0.0.1:9".into(),
        };
        Ok(Self { deps, counts })
    }

    /// A connection of the target's provider holding its secrets and settings, signed in
    /// (OAuth ones), tested against the stand-in and active; its id.
    pub async fn connect(&self, t: &PushTarget) -> Result<String, String> {
        let form = create_connection::CreateConnection {
            provider: t.provider.into(),
            name: "Benchmark".into(),
            ..Default::default()
        };
        // Odoo and Fid-Manager need their fields at creation: go around the form for all.
        let conn = match create_connection::create(&self.deps, TENANT, form).await {
            Ok(c) => c,
            Err(_) => {
                let form = create_connection::CreateConnection {
                    provider: t.provider.into(),
                    name: "Benchmark".into(),
                    matching_key: "vat_number".into(),
                    auth_mode: (t.provider == "adminpulse").then(|| "api_key".into()),
                    api_key: Some(SecretString::from("placeholder-key".to_string())),
                    office_url: Some("https://placeholder.example".into()),
                    push: koppel_core::usecases::push_setup::PushForm {
                        username: (t.provider == "fid_manager").then(|| "bench".into()),
                        password: (t.provider == "fid_manager").then(|| SecretString::from("placeholder".to_string())),
                        partner_code: (t.provider == "fid_manager")
                            .then(|| SecretString::from("placeholder".to_string())),
                        server_url: (t.provider == "odoo").then(|| "https://placeholder.example".into()),
                        database: (t.provider == "odoo").then(|| "bench".into()),
                        ..Default::default()
                    },
                    ..Default::default()
                };
                create_connection::create(&self.deps, TENANT, form).await.map_err(|e| format!("{e:?}"))?
            }
        };
        let mut creds = Credentials::new();
        for (name, value) in &t.secrets {
            creds.insert(name, SecretString::from(value.clone()));
        }
        let mut conn =
            connections::load(self.deps.store.as_ref(), TENANT, &conn.id).await.map_err(|e| e.to_string())?;
        if let Some(o) = conn.oauth.as_mut() {
            o.status = AuthStatus::Authorized;
            let far = self.deps.clock.now() + chrono::Duration::days(3650);
            o.expires_at = Some(far);
            creds.insert("expires_at", SecretString::from(far.to_rfc3339()));
        }
        self.deps
            .secrets
            .put(&connections::secret_name(&self.deps, TENANT, &conn.id), creds.to_secret_json())
            .await
            .map_err(|e| e.to_string())?;
        conn.settings.extend(t.settings.clone());
        let creds = connections::credentials(&self.deps, &conn).await.map_err(|e| e.to_string())?;
        let probe = self.deps.meetings.open(t.provider, creds).map_err(|e| e.to_string())?.probe().await;
        let probe = probe.map_err(|e| format!("the connection test against the stand-in failed: {e}"))?;
        conn.last_test = Some(TestResult {
            ok: true,
            tested_at: self.deps.clock.now(),
            message: "ok".into(),
            hint: None,
            account: probe.account,
        });
        conn.status = ConnectionStatus::Active;
        connections::save(self.deps.store.as_ref(), &mut conn).await.map_err(|e| e.to_string())?;
        Ok(conn.id)
    }

    /// `count` target ids from the stand-in (page 0, 1, … until enough).
    pub async fn targets(&self, t: &PushTarget, conn: &str, count: usize) -> Result<Vec<String>, String> {
        let conn = connections::load(self.deps.store.as_ref(), TENANT, conn).await.map_err(|e| e.to_string())?;
        let api = self
            .deps
            .meetings
            .open(t.provider, connections::credentials(&self.deps, &conn).await.map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        let mut ids = vec![];
        for page in 0..50 {
            let found = api
                .targets(&TargetQuery { kind: t.target_kind.into(), search: None, page, parent: None })
                .await
                .map_err(|e| e.to_string())?;
            ids.extend(found.targets.into_iter().map(|t| t.id));
            if ids.len() >= count || !found.more {
                break;
            }
        }
        if ids.is_empty() {
            return Err("the stand-in lists no targets".into());
        }
        ids.truncate(count);
        Ok(ids)
    }

    /// For providers whose target needs a folder (Fid-Manager): the first folder of each target.
    pub async fn folders(&self, t: &PushTarget, conn: &str, targets: &[String]) -> Result<Vec<Option<String>>, String> {
        let Some(kind) = koppel_core::domain::catalog::find(t.provider)
            .and_then(|s| s.push)
            .and_then(|p| p.targets.into_iter().find(|k| k.parent == Some(t.target_kind)))
        else {
            return Ok(vec![None; targets.len()]);
        };
        let conn = connections::load(self.deps.store.as_ref(), TENANT, conn).await.map_err(|e| e.to_string())?;
        let creds = connections::credentials(&self.deps, &conn).await.map_err(|e| e.to_string())?;
        let api = self.deps.meetings.open(t.provider, creds).map_err(|e| e.to_string())?;
        let mut out = vec![];
        for id in targets {
            let q = TargetQuery { kind: kind.kind.into(), search: None, page: 0, parent: Some(id.clone()) };
            let found = api.targets(&q).await.map_err(|e| e.to_string())?;
            out.push(Some(found.targets.first().ok_or_else(|| format!("target {id} has no folder"))?.id.clone()));
        }
        Ok(out)
    }

    /// Store `n` meetings, each for target `targets[i % len]`, with 3 reports (8 KiB each), 2 notes, 5 to-dos.
    pub async fn meetings(
        &self,
        t: &PushTarget,
        conn: &str,
        targets: &[String],
        folders: &[Option<String>],
        n: usize,
    ) -> Result<(), String> {
        let report = vec![b'x'; 8 * 1024];
        let b64 = base64::engine::general_purpose::STANDARD.encode(&report);
        for i in 0..n {
            let target = &targets[i % targets.len()];
            let folder = &folders[i % targets.len()];
            let body = json!({
                "title": format!("Overleg {i:04}"),
                "starts_at": "2026-11-20T10:00:00Z",
                "summary": "Jaarrekening, planning en opvolging besproken.",
                "reports": (1..=3).map(|r| json!({"id": format!("r{r}"), "title": format!("Verslag {r}"), "file_name": format!("verslag-{i}-{r}.pdf"), "content_base64": b64})).collect::<Vec<_>>(),
                "notes": (1..=2).map(|k| json!({"id": format!("n{k}"), "title": format!("Notitie {k}"), "text": format!("Afspraak {k} van overleg {i}.")})).collect::<Vec<_>>(),
                "todos": (1..=5).map(|k| json!({"id": format!("t{k}"), "title": format!("Actie {k}"), "due": "2026-12-01"})).collect::<Vec<_>>(),
                "targets": {conn: {"kind": t.target_kind, "id": target, "folder": folder}},
            });
            let input: MeetingInput = serde_json::from_value(body).map_err(|e| e.to_string())?;
            meetings::put(&self.deps, TENANT, &format!("m{i:04}"), input)
                .await
                .map_err(|e| format!("meeting {i}: {e:?}"))?;
        }
        Ok(())
    }
}

/// One pass over every meeting.
pub struct PassResult {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub failed: u64,
    pub calls: u64,
    pub writes: u64,
    pub seconds: f64,
}

pub async fn pass(bench: &Bench, conn: &str, n: usize) -> Result<PassResult, String> {
    let writes_before = bench.counts.writes();
    let started = Instant::now();
    let mut r = PassResult { created: 0, updated: 0, unchanged: 0, failed: 0, calls: 0, writes: 0, seconds: 0.0 };
    for i in 0..n {
        let o = send::send(&bench.deps, TENANT, conn, &format!("m{i:04}"))
            .await
            .map_err(|e| format!("meeting {i}: {e:?}"))?;
        r.created += u64::from(o.counts.created);
        r.updated += u64::from(o.counts.updated);
        r.unchanged += u64::from(o.counts.unchanged);
        r.failed += u64::from(o.counts.failed);
        r.calls += o.api_calls;
        if let Some(i) = o.items.iter().find(|i| i.message.is_some()) {
            return Err(format!("meeting {}: item {} failed: {:?}", o.connection_id, i.item_id, i.message));
        }
    }
    r.seconds = started.elapsed().as_secs_f64();
    r.writes = bench.counts.writes() - writes_before;
    Ok(r)
}

/// Peak resident memory of this process (VmHWM), in kB.
pub fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
