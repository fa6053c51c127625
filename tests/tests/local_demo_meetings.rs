//! `cargo run -p koppel-local -- --demo-meetings`, in-process: the six meeting stand-ins and the
//! runner; six connections (three signed in with OAuth through the browser's redirects), a
//! meeting with a target per connection, send, send again, a changed note. Checked afterwards
//! from what it stored and from what it printed.

use koppel_core::domain::connection::ConnectionStatus;
use koppel_core::push::status;
use koppel_core::usecases::connections;
use koppel_local::demo_import::Transcript;
use koppel_local::demo_meetings::MEETING_ID;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_meeting_demo_sends_to_six_systems_and_a_resend_creates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().to_str().expect("utf-8 temp path").to_string();
    let args = ["--demo-meetings", "--exit-after-demo", "--port", "0", "--data-dir", &data_dir];
    let opts = koppel_local::Options::parse(args.into_iter().map(String::from)).expect("options");
    assert!(opts.demo_meetings && !opts.demo_import && opts.exit_after_demo);
    let out = Transcript::new();
    koppel_local::run_with(opts, &out).await.expect("the meeting demo runs");
    let text = out.text();

    assert_eq!(out.leaks(), Vec::<usize>::new(), "lines holding a secret");
    for secret in [
        koppel_sandbox::oauth::DEMO_CLIENT_SECRET,
        koppel_sandbox::adminpulse::DEMO_API_KEY,
        koppel_sandbox::odoo::DEMO_API_KEY,
        koppel_sandbox::fid_manager::DEMO_PASSWORD,
    ] {
        assert!(!text.contains(secret), "the output shows a stand-in secret");
    }
    assert!(!text.contains("code=") && !text.contains("state="), "no OAuth query was printed:\n{text}");

    let local = koppel_runtime::env::embedded_offline(dir.path(), "local").expect("embedded");
    let deps = local.deps;
    let tenant = koppel_local::demo::TENANT;
    let conns = connections::list(deps.store.as_ref(), tenant).await.expect("connections");
    let mut providers: Vec<&str> = conns.iter().map(|c| c.provider.as_str()).collect();
    providers.sort();
    assert_eq!(providers, ["adminpulse", "brokercloud", "fid_manager", "odoo", "silverfin", "zoho"]);
    assert!(conns.iter().all(|c| c.status == ConnectionStatus::Active), "{conns:?}");

    // Every connection holds the meeting's items as sent; Zoho sends no to-dos (its setting).
    let pushes = status::status(&deps, tenant, MEETING_ID).await.expect("pushes");
    let json = serde_json::to_value(&pushes).expect("json");
    let per_conn = json["connections"].as_array().expect("connections");
    assert_eq!(per_conn.len(), 6, "{json}");
    for c in per_conn {
        let items = c["items"].as_array().expect("items");
        assert!(!items.is_empty(), "{c}");
        // Silverfin cannot change a remark: the changed note is kept as "outdated" there.
        assert!(items.iter().all(|i| i["state"] == "sent" || i["state"] == "outdated"), "{c}");
        let todos = items.iter().filter(|i| i["kind"] == "todo").count();
        let provider = conns.iter().find(|k| k.id == c["connection_id"]).map(|k| k.provider.as_str());
        // Zoho: to-dos switched off in its settings; Brokercloud and Fid-Manager take reports only.
        let expected = match provider {
            Some("zoho" | "brokercloud" | "fid_manager") => 0,
            _ => 2,
        };
        assert_eq!(todos, expected, "{c}");
        assert!(items.iter().any(|i| i["kind"] == "report"), "every system got the reports: {c}");
    }
    assert!(text.contains("the second send created 0"), "{text}");
    assert!(text.contains("Meeting demo done"), "{text}");
}
