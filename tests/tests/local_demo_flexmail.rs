//! `cargo run -p koppel-local -- --demo-flexmail`, in-process: it starts the Flexmail stand-in
//! and the runner, seeds the demo tenant's contacts, sets up and activates a Flexmail connection
//! (webhooks registered at the runner itself), runs Sync all, and lets the stand-in fire an
//! unsubscribe and a click. Checked afterwards from what it stored in a fresh data folder.

use koppel_core::domain::connection::ConnectionStatus;
use koppel_core::domain::run::RunStatus;
use koppel_core::usecases::{connections, contacts, runs};
use koppel_local::demo_flexmail::{CLICK_CONTACT, UNSUBSCRIBE_CONTACT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flexmail_demo_syncs_and_applies_webhooks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().to_str().expect("utf-8 temp path").to_string();
    let args = ["--demo-flexmail", "--exit-after-demo", "--port", "0", "--data-dir", &data_dir];
    let opts = koppel_local::Options::parse(args.into_iter().map(String::from)).expect("options");
    assert!(opts.demo_flexmail && !opts.demo && opts.exit_after_demo);
    koppel_local::run(opts).await.expect("the Flexmail demo runs");

    // Read what it left behind through the same embedded adapters.
    let local = koppel_runtime::env::embedded_offline(dir.path(), "local").expect("embedded");
    let deps = local.deps;
    let tenant = koppel_local::demo::TENANT;
    let conns = connections::list(deps.store.as_ref(), tenant).await.unwrap();
    assert_eq!(conns.len(), 1, "only the Flexmail connection: {conns:?}");
    let conn = &conns[0];
    assert_eq!(conn.provider, "flexmail");
    assert!(conn.test_passed());
    assert_eq!(conn.status, ConnectionStatus::Active);
    let hooks = conn.newsletter.as_ref().and_then(|s| s.webhook.as_ref()).expect("webhooks registered");
    assert_eq!(hooks.registered.len(), 3, "{hooks:?}");

    let all = runs::list(&deps, tenant, &conn.id, 10).await.unwrap();
    let run =
        all.iter().find(|r| r.status == RunStatus::Completed).unwrap_or_else(|| panic!("a completed run: {all:?}"));
    let report = run.newsletter.as_ref().expect("a newsletter report");
    assert!(report.sent_created + report.sent_updated > 0, "contacts were sent: {report:?}");
    assert!(run.api_calls > 0, "the run counted its Flexmail calls: {run:?}");
    assert!(report.skipped_duplicate >= 2 && report.duplicate_addresses >= 1, "the shared address: {report:?}");
    assert!(report.skipped_no_newsletter >= 2, "newsletter off: {report:?}");
    assert!(report.platform_created > 0, "opt-in created platform contacts: {report:?}");

    let unsubscribed = contacts::get(&deps, tenant, UNSUBSCRIBE_CONTACT).await.unwrap();
    assert!(!unsubscribed.newsletter, "the unsubscribe webhook turned the flag off: {unsubscribed:?}");
    assert!(unsubscribed.newsletter_note.as_deref().is_some_and(|n| n.contains("Unsubscribed in Flexmail")));

    let comms = contacts::communications(&deps, tenant, CLICK_CONTACT).await.unwrap();
    assert_eq!(comms.len(), 1, "{comms:?}");
    assert_eq!(comms[0].kind, "newsletter_click");
    assert_eq!(comms[0].connection_id, conn.id);
    assert_eq!(comms[0].url.as_deref(), Some("https://www.demo-firm.be/aanbod"));
}
