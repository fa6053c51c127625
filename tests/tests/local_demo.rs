//! The README's first command, `cargo run -p koppel-local -- --demo`, in-process: it starts the
//! sandbox and the API, seeds the demo tenant, runs Sync all and leaves matched and unmatched
//! customers behind, in a fresh data folder.

use koppel_core::domain::run::RunStatus;
use koppel_core::usecases::{connections, runs, unmatched};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_syncs_and_leaves_customers_to_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = koppel_local::Options {
        port: 0,
        data_dir: dir.path().to_path_buf(),
        demo: true,
        demo_flexmail: false,
        demo_import: false,
        demo_meetings: false,
        demo_customers: 120,
        demo_invoices: 300,
        exit_after_demo: true,
    };
    koppel_local::run(opts).await.expect("the demo runs");

    // Read what it left behind through the same embedded adapters.
    let local = koppel_runtime::env::embedded_offline(dir.path(), "local").expect("embedded");
    let deps = local.deps;
    let tenant = koppel_local::demo::TENANT;
    let conns = connections::list(deps.store.as_ref(), tenant).await.unwrap();
    assert_eq!(conns.len(), 1);
    let conn = &conns[0];
    assert!(conn.test_passed());
    let all = runs::list(&deps, tenant, &conn.id, 10).await.unwrap();
    let run = all.first().expect("a run");
    assert_eq!(run.status, RunStatus::Completed, "{run:?}");
    let customers = &run.streams[0].counters;
    assert!(customers.created > 0, "new customers were created: {customers:?}");
    assert!(customers.updated >= 17, "the seeded platform customers were matched: {customers:?}");
    let (waiting, _) = unmatched::list(&deps, tenant, &conn.id, 500, None).await.unwrap();
    assert!(waiting.iter().filter(|u| u.reason.contains("2 platform customers")).count() >= 3, "the duplicates wait");
    assert!(local.scheduler.list().unwrap().len() == 1, "activation created the schedule");
}
