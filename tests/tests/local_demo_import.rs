//! `cargo run -p koppel-local -- --demo-import`, in-process: it starts the AdminPulse (OAuth) and
//! Admin IS stand-ins and the runner, and drives everything through the runner's HTTP API: the
//! OAuth sign-in with its browser redirects, the first import and an update, an Admin IS
//! connection on an http:// address, and a spreadsheet with bad rows. Checked afterwards from
//! what it stored in a fresh data folder and from what it printed.

use koppel_core::domain::connection::ConnectionStatus;
use koppel_core::domain::oauth::AuthStatus;
use koppel_core::domain::run::{RunStatus, Trigger};
use koppel_core::import::record;
use koppel_core::usecases::{connections, runs, unmatched};
use koppel_local::demo_import::sheet::{BAD_EMAIL_ROW, NO_NAME_ROW};
use koppel_local::demo_import::{ADMINPULSE_RELATIONS, Transcript};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_demo_connects_imports_and_reports_bad_rows_through_the_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().to_str().expect("utf-8 temp path").to_string();
    let args = ["--demo-import", "--exit-after-demo", "--port", "0", "--data-dir", &data_dir];
    let opts = koppel_local::Options::parse(args.into_iter().map(String::from)).expect("options");
    assert!(opts.demo_import && !opts.demo && !opts.demo_flexmail && opts.exit_after_demo);
    let out = Transcript::new();
    koppel_local::run_with(opts, &out).await.expect("the import demo runs");
    let text = out.text();

    // Nothing printed holds a key, the client secret, a code, a token or a state.
    assert!(out.watched() >= 7, "keys, client secret, state, code, access and refresh tokens: {}", out.watched());
    assert_eq!(out.leaks(), Vec::<usize>::new(), "lines holding a secret");
    for secret in [
        koppel_sandbox::oauth::DEMO_CLIENT_SECRET,
        koppel_sandbox::adminpulse::DEMO_API_KEY,
        koppel_sandbox::admin_is::DEMO_API_KEY,
    ] {
        assert!(!text.contains(secret), "the output shows a stand-in secret");
    }
    assert!(!text.contains("code=") && !text.contains("state="), "no OAuth query was printed:\n{text}");

    // Read what it left behind through the same embedded adapters.
    let local = koppel_runtime::env::embedded_offline(dir.path(), "local").expect("embedded");
    let deps = local.deps;
    let tenant = koppel_local::demo::TENANT;
    let conns = connections::list(deps.store.as_ref(), tenant).await.unwrap();
    assert_eq!(conns.len(), 2, "AdminPulse and Admin IS: {conns:?}");
    let ap = conns.iter().find(|c| c.provider == "adminpulse").expect("the AdminPulse connection");
    let ais = conns.iter().find(|c| c.provider == "admin_is").expect("the Admin IS connection");

    // AdminPulse: authorized through the browser steps, tested, active ("sync active").
    let oauth = ap.oauth.as_ref().expect("an OAuth connection");
    assert_eq!(oauth.status, AuthStatus::Authorized);
    assert!(ap.test_passed(), "{:?}", ap.last_test);
    assert_eq!(ap.status, ConnectionStatus::Active);
    assert!(text.contains("\"outcome\":\"connected\""), "the /oauth/done page was shown:\n{text}");
    assert!(text.contains("(\"sync active\")"), "{text}");

    // Its first import (queued by the callback) and the update after the rename.
    let mut all = runs::list(&deps, tenant, &ap.id, 10).await.unwrap();
    all.sort_by_key(|r| r.started_at);
    assert_eq!(all.len(), 2, "{all:?}");
    let (first, update) = (&all[0], &all[1]);
    assert_eq!(first.status, RunStatus::Completed, "{first:?}");
    let t = &first.totals;
    assert_eq!(t.created + t.updated + t.unmatched, ADMINPULSE_RELATIONS as u64, "every relation counted: {t:?}");
    assert!(t.created > 0, "new relations were created: {t:?}");
    assert!(t.updated >= 3, "the three seeded customers were matched by VAT number: {t:?}");
    assert!(t.unmatched >= 1, "some wait for a manual link: {t:?}");
    let (waiting, _) = unmatched::list(&deps, tenant, &ap.id, 100, None).await.unwrap();
    assert_eq!(waiting.len() as u64, t.unmatched);
    assert!(waiting.iter().any(|u| u.reason.contains("2 platform customers have VAT number")), "{waiting:?}");
    assert_eq!(update.trigger, Trigger::Manual);
    assert_eq!(update.status, RunStatus::Completed, "{update:?}");
    assert_eq!(update.totals.updated, 1, "only the renamed relation: {:?}", update.totals);
    assert_eq!(update.totals.created, 0);
    assert!(text.contains("is now called"), "the renamed customer was read back:\n{text}");

    // Admin IS: the http:// warning, a passing test, an active connection and a completed import.
    assert!(ais.warnings.iter().any(|w| w.contains("uses http://")), "{:?}", ais.warnings);
    assert!(text.contains("warning: The office address http://127.0.0.1:"), "{text}");
    assert!(ais.test_passed() && ais.status == ConnectionStatus::Active, "{ais:?}");
    let ais_runs = runs::list(&deps, tenant, &ais.id, 10).await.unwrap();
    assert_eq!(ais_runs.len(), 1);
    assert_eq!(ais_runs[0].status, RunStatus::Completed, "{:?}", ais_runs[0]);
    let t = &ais_runs[0].totals;
    assert_eq!(t.created + t.updated, koppel_local::demo_import::ADMIN_IS_CUSTOMERS as u64, "{t:?}");
    assert_eq!(t.updated, 1, "the platform customer with the Admin IS customer number was matched: {t:?}");

    // The spreadsheet: valid rows imported, the bad rows reported with row number and reason.
    let imports = record::list(deps.store.as_ref(), tenant, 10).await.unwrap();
    assert_eq!(imports.len(), 1);
    let detail = record::load(deps.store.as_ref(), tenant, &imports[0].id).await.unwrap();
    let c = &detail.import.counts;
    assert_eq!((c.created, c.updated, c.invalid), (3, 1, 2), "{c:?}");
    let rows: Vec<(u64, &str)> = detail.problems.iter().map(|p| (p.row, p.message.as_str())).collect();
    assert!(rows.iter().any(|(r, m)| *r == BAD_EMAIL_ROW && m.contains("is not an e-mail address")), "{rows:?}");
    assert!(rows.iter().any(|(r, m)| *r == NO_NAME_ROW && m.contains("needs a name")), "{rows:?}");
    assert!(
        text.contains(&format!("row {BAD_EMAIL_ROW} (E-mail): \"info(at)goudenfriet.be\" is not an e-mail address"))
    );
    assert!(text.contains(&format!("row {NO_NAME_ROW} (Naam): the name is empty")), "{text}");
    assert!(dir.path().join(koppel_local::demo_import::SHEET_FILE).exists(), "the sheet was written for curl");
    assert!(text.contains("Import demo done:"), "the summary line");
}
