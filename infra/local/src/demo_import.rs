//! `--demo-import`: issue 4 end to end on this machine, driven through the runner's own HTTP API
//! with the dev token of tenant `demo-firm`, as the platform would drive it:
//!
//! 1. an AdminPulse stand-in with OAuth sign-in, its OAuth app registered in the local secrets,
//!    and a few platform customers (some share a VAT number with AdminPulse relations);
//! 2. an AdminPulse connection authorized through the browser steps (stand-in consent → the
//!    runner's `/oauth/callback` → `/oauth/done`): authorized, tested, active ("sync active"),
//!    and its first import (queued by the callback, delivered by the in-process bus);
//! 3. a relation renamed in AdminPulse, then "Sync now": one customer updated;
//! 4. an Admin IS / Consult connection with an API key and a plain `http://` office address
//!    (the API warns), tested, activated, synced;
//! 5. a spreadsheet (.csv) previewed and imported, with its bad rows reported.
//!
//! Only addresses and outcomes are printed: the stand-ins' keys, the OAuth client secret, codes,
//! tokens and the `state` are watched by the [`Transcript`] and never shown.

mod admin_is;
mod adminpulse;
pub mod api;
pub mod sheet;
pub mod transcript;

use std::path::Path;
use std::time::Duration;

use koppel_core::Deps;
use koppel_core::domain::run::{Run, RunStatus};
use koppel_sandbox::admin_is::{AdminIsConfig, AdminIsSandbox, RunningAdminIs};
use koppel_sandbox::adminpulse::{AdminPulseConfig, AdminPulseSandbox, RunningAdminPulse};
use secrecy::{ExposeSecret, SecretString};

pub use transcript::Transcript;

use crate::demo::TENANT;
use crate::wiring::LocalError;
use api::Api;

/// Relations in the AdminPulse stand-in.
pub const ADMINPULSE_RELATIONS: usize = 40;
/// Customers in the Admin IS stand-in.
pub const ADMIN_IS_CUSTOMERS: usize = 25;
/// The names of the demo's connections.
pub const ADMINPULSE_CONNECTION: &str = "AdminPulse (demo)";
pub const ADMIN_IS_CONNECTION: &str = "Admin IS (demo)";
/// The spreadsheet the demo writes into the data folder and imports.
pub const SHEET_FILE: &str = "demo-klanten.csv";
/// How long the demo waits for one run.
const RUN_WAIT: Duration = Duration::from_secs(180);
const POLL: Duration = Duration::from_millis(100);

fn demo_err(e: impl std::fmt::Display) -> LocalError {
    LocalError::Demo(e.to_string())
}

/// The stand-ins of the import demo, running on 127.0.0.1 for as long as the runner does.
pub struct ImportStandIns {
    pub adminpulse: RunningAdminPulse,
    pub admin_is: RunningAdminIs,
}

impl ImportStandIns {
    /// Where AdminPulse sources must point (before the runner builds its connectors).
    pub fn adminpulse_base(&self) -> String {
        self.adminpulse.base_url()
    }
}

/// Start both stand-ins (free ports) before the runner builds its connectors.
pub async fn start_stand_ins() -> Result<ImportStandIns, LocalError> {
    let config = AdminPulseConfig { relations: ADMINPULSE_RELATIONS, oauth: true, ..AdminPulseConfig::default() };
    let adminpulse = AdminPulseSandbox::new(config).start_local().await.map_err(demo_err)?;
    let config = AdminIsConfig { customers: ADMIN_IS_CUSTOMERS, ..AdminIsConfig::default() };
    let admin_is = AdminIsSandbox::new(config).start_local().await.map_err(demo_err)?;
    Ok(ImportStandIns { adminpulse, admin_is })
}

/// Steps 1–5 against the runner at `base`, then the summary. Fails when a step does not come
/// out as it should, or when the output would hold a secret.
pub async fn run(
    deps: &Deps,
    stand_ins: &ImportStandIns,
    base: &str,
    token: SecretString,
    data_dir: &Path,
    out: &Transcript,
) -> Result<(), LocalError> {
    out.watch([token.expose_secret().to_string()]);
    let api = Api::new(base, token)?;
    out.say(format!("\n=== Import demo (tenant {TENANT:?}, everything through {base}) ==="));
    let ap = adminpulse::run(deps, &api, &stand_ins.adminpulse, out).await?;
    let ais = admin_is::run(&api, &stand_ins.admin_is, out).await?;
    let sheet = sheet::run(&api, data_dir, &ais.known_name, out).await?;

    let first = &ap.first.totals;
    out.say(format!(
        "\nImport demo done: AdminPulse connected with OAuth (sync active), first import created {} / matched {} / \
         unmatched {}, the update run updated {}; Admin IS imported {} (created {}, matched {}) after the http:// \
         warning; the spreadsheet imported {} rows and reported {} bad rows.",
        first.created,
        first.updated,
        first.unmatched,
        ap.update.totals.updated,
        ais.run.totals.created + ais.run.totals.updated,
        ais.run.totals.created,
        ais.run.totals.updated,
        sheet.imported,
        sheet.bad_rows
    ));
    curls(out, base, stand_ins, &ap.connection_id, &ais.connection_id, &sheet.import_id);
    watch_issued(stand_ins, out);
    let leaks = out.leaks();
    if !leaks.is_empty() {
        return Err(LocalError::Demo(format!("the demo output held a secret on line(s) {leaks:?}")));
    }
    Ok(())
}

/// Everything the stand-ins issued so far joins the values the output must not hold.
fn watch_issued(stand_ins: &ImportStandIns, out: &Transcript) {
    out.watch(stand_ins.adminpulse.api_key().map(str::to_string));
    if let Some(server) = stand_ins.adminpulse.oauth() {
        out.watch([server.config().client_secret.clone()]);
        out.watch(server.issued_secrets());
    }
    out.watch([stand_ins.admin_is.api_key().to_string()]);
    out.watch(stand_ins.admin_is.data().issued_tokens());
}

/// Poll `GET /connections/{conn}/runs/{run}` until the run ends.
async fn wait_for_run(api: &Api, out: &Transcript, conn: &str, run_id: &str) -> Result<Run, LocalError> {
    let mut notice = None;
    let rounds = RUN_WAIT.as_millis() / POLL.as_millis();
    for _ in 0..rounds {
        let run: Run = api.get(&format!("/connections/{conn}/runs/{run_id}")).await?;
        if run.notice.is_some() && run.notice != notice {
            notice = run.notice.clone();
            out.say(format!("     … {}", notice.as_deref().unwrap_or_default()));
        }
        if matches!(run.status, RunStatus::Completed | RunStatus::Failed | RunStatus::Stopped) {
            return Ok(run);
        }
        tokio::time::sleep(POLL).await;
    }
    Err(LocalError::Demo(format!("run {run_id} did not finish within {} s", RUN_WAIT.as_secs())))
}

/// A run that did not complete ends the demo, with its error.
fn completed(run: &Run) -> Result<(), LocalError> {
    match run.status {
        RunStatus::Completed => Ok(()),
        _ => Err(LocalError::Demo(format!("run {} did not complete: {}", run.id, run_line(run, "provider")))),
    }
}

/// A value as the API writes it (`active`, `awaiting_authorization`).
fn label<T: serde::Serialize + std::fmt::Debug>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| format!("{v:?}"))
}

/// `completed in 12 ms, 3 calls` (and the error of a run that failed).
fn run_line(run: &Run, provider: &str) -> String {
    let mut line = format!("{} in {} ms, {} {provider} call(s)", label(&run.status), run.duration_ms, run.api_calls);
    if let Some(e) = &run.error {
        line.push_str(&format!(" — {e}"));
    }
    line
}

fn curls(out: &Transcript, base: &str, stand_ins: &ImportStandIns, ap: &str, ais: &str, import: &str) {
    let auth = "-H \"Authorization: Bearer $KOPPEL_TOKEN\"";
    out.say("\nThe same through the API:");
    out.say(format!("  curl -s {auth} {base}/connections/{ap}"));
    out.say(format!("  curl -s {auth} {base}/connections/{ap}/runs"));
    out.say(format!("  curl -s {auth} {base}/connections/{ap}/unmatched"));
    out.say(format!(
        "  curl -s {auth} -X POST {base}/connections/{ap}/oauth/start   # open authorize_url in a browser"
    ));
    out.say(format!("  curl -s {auth} {base}/connections/{ais}"));
    out.say(format!("  curl -s {auth} {base}/imports/{import}"));
    out.say(format!("  curl -s {auth} '{base}/customers?limit=100'"));
    out.say(format!(
        "Stand-ins (while this runner is up): AdminPulse {0}/_admin/stats, Admin IS {1}/_admin/stats",
        stand_ins.adminpulse.base_url(),
        stand_ins.admin_is.base_url()
    ));
}
