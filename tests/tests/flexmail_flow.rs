//! Flexmail end to end against the sandbox: setup and test, the first sync (import), nothing
//! changed (no calls), one change (one call), duplicates reported, opt-in, reconciliation of an
//! unsubscribe, the call budget (minute and month) and a 429.

use koppel_core::domain::run::{LogLevel, RunStatus};
use koppel_core::domain::stream::StreamKind;
use koppel_core::newsletter::form::{MappingInput, NewsletterForm};
use koppel_core::ports::Clock;
use koppel_core::usecases::{contacts, create_connection, test_connection, update_connection};
use koppel_sandbox::flexmail::{FlexmailConfig, FlexmailSandbox, RunningFlexmail, generated_email};
use koppel_tests::flexmail::{form, harness};
use koppel_tests::harness::{Harness, TENANT};

const PUSH: &[StreamKind] = &[StreamKind::Contacts];
const ALL: &[StreamKind] = &[StreamKind::Reconciliation, StreamKind::Contacts];

async fn sandbox(contacts: usize, rate_limit: Option<u32>) -> RunningFlexmail {
    let config = FlexmailConfig { contacts, rate_limit_per_minute: rate_limit, ..FlexmailConfig::default() };
    FlexmailSandbox::new(config).start_local().await.expect("sandbox")
}

/// 12 platform contacts with the newsletter on: 2 already in Flexmail, 10 new, of which
/// 2 pairs share an address; plus one with the newsletter off.
async fn seed(h: &Harness) {
    h.contact("c01", &generated_email(1), true, Some("Firma Een")).await;
    h.contact("c02", &generated_email(2), true, None).await;
    for i in 3..=10 {
        h.contact(&format!("c{i:02}"), &format!("nieuw{i}@klant.be"), true, Some("Nieuw BV")).await;
    }
    h.contact("c11", "gedeeld@klant.be", true, None).await;
    h.contact("c12", "Gedeeld@Klant.be", true, None).await;
    h.contact("c13", "ander-gedeeld@klant.be", true, None).await;
    h.contact("c14", "ander-gedeeld@klant.be", true, None).await;
    h.contact("c15", "geen-nieuwsbrief@klant.be", false, None).await;
}

#[tokio::test]
async fn a_first_sync_sends_once_and_a_second_costs_nothing() {
    let fm = sandbox(20, Some(60)).await;
    let h = harness(&fm.base_url());
    let conn = h.flexmail(form(fm.account_id(), fm.token())).await;
    let map = &conn.newsletter.as_ref().unwrap().field_map;
    assert_eq!(map[0].placeholder.as_deref(), Some("company"), "the test learned the placeholder");
    seed(&h).await;
    fm.reset_stats();

    let run = h.newsletter_run(&conn.id, ALL, None).await;
    assert_eq!(run.status, RunStatus::Completed, "{run:?}");
    let r = run.newsletter.clone().unwrap();
    assert_eq!(r.sent_created + r.sent_updated, 10, "{r:?}");
    assert_eq!((r.skipped_duplicate, r.duplicate_addresses, r.skipped_no_newsletter), (4, 2, 1));
    assert_eq!(r.remote_read, 20);
    assert_eq!(run.api_calls, fm.stats().total, "every call is counted");
    assert!(run.api_calls <= 1 + 4 + 1, "one list page plus one import, not one call per contact: {}", run.api_calls);
    let flexmail = fm.data();
    let c03 = flexmail.contact_by_email("nieuw3@klant.be").expect("created in Flexmail");
    assert_eq!(c03.custom_fields.get("company").and_then(|v| v.as_str()), Some("Nieuw BV"));
    assert!(flexmail.contact_by_email("gedeeld@klant.be").is_none(), "shared addresses are not sent");
    let logs = h.logs(&conn.id, &run.id).await;
    let dup =
        logs.iter().find(|l| l.message.contains("share gedeeld@klant.be") && l.level == LogLevel::Warning).unwrap();
    assert!(dup.message.contains("Voornaamc11 Naamc11 (c11)") && dup.message.contains("(c12)"), "{}", dup.message);
    assert!(logs.iter().any(|l| l.message.contains("Flexmail calls in this run")), "the summary line");

    // Nothing changed: no call at all.
    fm.reset_stats();
    let second = h.newsletter_run(&conn.id, PUSH, None).await;
    let r2 = second.newsletter.clone().unwrap();
    assert_eq!((r2.sent_created, r2.sent_updated, r2.unchanged), (0, 0, 10), "{r2:?}");
    assert_eq!((second.api_calls, fm.stats().total), (0, 0));

    // One contact changed: one call (its Flexmail id is known from the reconciliation).
    h.contact("c01", &generated_email(1), true, Some("Firma Een NV")).await;
    fm.reset_stats();
    let third = h.newsletter_run(&conn.id, PUSH, None).await;
    assert_eq!(third.newsletter.as_ref().unwrap().sent_updated, 1);
    assert_eq!(fm.stats().by_endpoint.get("PATCH /contacts/{id}"), Some(&1), "{:?}", fm.stats().by_endpoint);
    assert_eq!(fm.stats().total, 1);
    let c01 = fm.data().contact_by_email(&generated_email(1)).unwrap();
    assert_eq!(c01.custom_fields.get("company").and_then(|v| v.as_str()), Some("Firma Een NV"));
}

#[tokio::test]
async fn a_missing_custom_field_fails_the_test_with_its_name() {
    let fm = sandbox(1, Some(60)).await;
    let h = harness(&fm.base_url());
    let mut f = form(fm.account_id(), fm.token());
    f.newsletter.field_map =
        Some(vec![MappingInput { platform_field: "sector".into(), flexmail_field: "Sector".into() }]);
    let conn = create_connection::create(&h.deps, TENANT, f).await.unwrap();
    let result = test_connection::test(&h.deps, TENANT, &conn.id).await.unwrap();
    assert!(!result.ok);
    assert!(result.message.contains("\"Sector\""), "{}", result.message);
    assert!(result.hint.unwrap().contains("Create the custom field in Flexmail first"));

    let mut bad = form(fm.account_id(), "wrong-token");
    bad.name = "Verkeerd".into();
    let conn = create_connection::create(&h.deps, TENANT, bad).await.unwrap();
    let result = test_connection::test(&h.deps, TENANT, &conn.id).await.unwrap();
    assert!(!result.ok && result.hint.unwrap().contains("personal access token"), "{}", result.message);
}

#[tokio::test]
async fn bad_setup_input_is_refused_and_nothing_is_stored() {
    let fm = sandbox(1, None).await;
    let h = harness(&fm.base_url());
    let mut f = form("12ab", "token with space");
    f.newsletter.bounce_email = Some("geen-adres".into());
    f.newsletter.calls_per_minute = Some(500);
    let err = create_connection::create(&h.deps, TENANT, f).await.unwrap_err();
    let text = format!("{err:?}");
    for field in ["account_id", "personal_access_token", "bounce_email", "calls_per_minute"] {
        assert!(text.contains(field), "{field} not reported: {text}");
    }
    assert!(!text.contains("token with space"), "the token is never echoed");
    let conns = koppel_core::usecases::connections::list(h.deps.store.as_ref(), TENANT).await.unwrap();
    assert!(conns.is_empty());
    let mut frequent = form(fm.account_id(), fm.token());
    frequent.interval_minutes = Some(5);
    let conn = create_connection::create(&h.deps, TENANT, frequent).await.unwrap();
    assert!(conn.warnings.iter().any(|w| w.contains("every 5 minutes")), "{:?}", conn.warnings);
}

#[tokio::test]
async fn reconciliation_applies_unsubscribes_and_opt_in_creates_platform_contacts() {
    let fm = sandbox(6, None).await;
    let h = harness(&fm.base_url());
    let mut f = form(fm.account_id(), fm.token());
    f.newsletter.opt_in = Some(true);
    let conn = h.flexmail(f).await;
    h.contact("c01", &generated_email(1), true, None).await;
    let subscribed_in_flexmail = fm.data().contacts().iter().filter(|c| c.subscribed).count() as u64;

    let run = h.newsletter_run(&conn.id, &[StreamKind::Reconciliation], None).await;
    let r = run.newsletter.unwrap();
    assert_eq!(r.platform_created, subscribed_in_flexmail - 1, "every subscribed address the platform lacked");
    let (all, _) = contacts::list(&h.deps, TENANT, 100, None).await.unwrap();
    let created = all.iter().find(|c| c.email.as_deref() == Some(generated_email(2).as_str())).unwrap();
    assert!(created.newsletter && created.created_by_connection.as_deref() == Some(conn.id.as_str()));

    // Again: nothing new (ids are derived from the address).
    let again = h.newsletter_run(&conn.id, &[StreamKind::Reconciliation], None).await;
    assert_eq!(again.newsletter.unwrap().platform_created, 0);

    // An unsubscribe seen only in Flexmail (the webhook was missed) turns the flag off.
    assert!(fm.data().unsubscribe(&generated_email(1)));
    let run = h.newsletter_run(&conn.id, &[StreamKind::Reconciliation], None).await;
    assert_eq!(run.newsletter.unwrap().unsubscribes_applied, 1);
    let c01 = contacts::get(&h.deps, TENANT, "c01").await.unwrap();
    assert!(!c01.newsletter && c01.newsletter_note.unwrap().contains("Unsubscribed in Flexmail"));
    // And the push no longer counts it.
    let push = h.newsletter_run(&conn.id, PUSH, None).await;
    assert_eq!(push.newsletter.unwrap().skipped_no_newsletter, 1);
}

#[tokio::test]
async fn the_minute_budget_waits_instead_of_overrunning_and_a_429_is_honoured() {
    let fm = sandbox(0, Some(3)).await;
    let h = harness(&fm.base_url());
    let mut f = form(fm.account_id(), fm.token());
    f.newsletter.calls_per_minute = Some(3);
    f.newsletter.field_map = Some(vec![]);
    let conn = h.flexmail(f).await;
    fm.reset_stats();
    // 3 new contacts one by one (fewer than an import's worth): search + create each = 6 calls.
    for i in 1..=3 {
        h.contact(&format!("c{i}"), &format!("p{i}@klant.be"), true, None).await;
    }
    // The sandbox's real clock would throttle: its window is real time, so let time pass for real
    // only through the test clock's budget (the sandbox limit is off for this part).
    fm.faults().set_rate_limit(None);
    let started = h.clock.now();
    let run = h.newsletter_run(&conn.id, PUSH, None).await;
    assert_eq!(run.newsletter.as_ref().unwrap().sent_created, 3, "{run:?}");
    assert_eq!(run.api_calls, 6);
    assert!(h.clock.now() - started >= chrono::Duration::minutes(1), "6 calls at 3 a minute wait a minute");

    // A 429 (Retry-After 2 s) is waited out and counted as a sign the budget is wrong.
    let renamed = contacts::ContactInput {
        first_name: Some("Piet".into()),
        name: None,
        email: Some("p1@klant.be".into()),
        active: true,
        newsletter: true,
        language: None,
        fields: Default::default(),
        interests: Vec::new(),
    };
    contacts::put(&h.deps, TENANT, "c1", renamed).await.unwrap();
    fm.faults().rate_limit(1, 2);
    let upd = update_connection::UpdateConnection {
        newsletter: NewsletterForm { calls_per_minute: Some(60), ..NewsletterForm::default() },
        ..Default::default()
    };
    update_connection::update(&h.deps, TENANT, &conn.id, upd).await.unwrap();
    let run = h.newsletter_run(&conn.id, PUSH, None).await;
    let r = run.newsletter.unwrap();
    assert_eq!((run.status, r.rate_limited, r.sent_updated), (RunStatus::Completed, 1, 1));
    assert_eq!(fm.data().contact_by_email("p1@klant.be").unwrap().first_name.as_deref(), Some("Piet"));
}

#[tokio::test]
async fn the_monthly_cap_stops_cleanly_and_the_next_run_continues_without_duplicates() {
    let fm = sandbox(0, None).await;
    let h = harness(&fm.base_url());
    let mut f = form(fm.account_id(), fm.token());
    f.newsletter.monthly_call_cap = Some(100);
    f.newsletter.field_map = Some(vec![]);
    let conn = h.flexmail(f).await; // the test used 2 calls (probe, source)
    for i in 1..=4 {
        h.contact(&format!("c{i}"), &format!("m{i}@klant.be"), true, None).await;
    }
    // Spend the month down to 3 calls: the first contact (search + create) fits, the second does not.
    let pk = koppel_core::keys::conn_pk(TENANT, &conn.id);
    let month = h.clock.now().format("%Y-%m").to_string();
    let state = koppel_core::newsletter::budget::BudgetState { month_calls: 97, ..Default::default() };
    let item = koppel_core::repo::encode(&pk, &koppel_core::keys::budget_sk(&month), &state, 99);
    h.deps.store.put(item, koppel_core::ports::Cond::None).await.unwrap();

    let run = h.newsletter_run(&conn.id, PUSH, None).await;
    assert_eq!(run.status, RunStatus::Stopped, "{run:?}");
    assert_eq!(fm.data().contact_count(), 1, "stopped at the cap, not over it");
    let logs = h.logs(&conn.id, &run.id).await;
    assert!(logs.iter().any(|l| l.message.contains("monthly cap of 100")), "{logs:?}");

    let upd = update_connection::UpdateConnection {
        newsletter: NewsletterForm { monthly_call_cap: Some(1000), ..NewsletterForm::default() },
        ..Default::default()
    };
    update_connection::update(&h.deps, TENANT, &conn.id, upd).await.unwrap();
    let next = h.newsletter_run(&conn.id, PUSH, None).await;
    assert_eq!(next.status, RunStatus::Completed);
    assert_eq!(fm.data().contact_count(), 4, "each address once");
}

#[tokio::test]
async fn a_run_out_of_time_pauses_per_batch_and_resumes_without_double_sends_or_counts() {
    use koppel_core::domain::run::Trigger;
    use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
    let fm = sandbox(0, None).await;
    let h = harness(&fm.base_url());
    let conn = h.flexmail(form(fm.account_id(), fm.token())).await;
    for i in 0..1_200 {
        h.contact(&format!("c{i:04}"), &format!("k{i}@klant.be"), true, None).await;
    }
    h.contact("z-off", "off@klant.be", false, None).await;
    let mut req = SyncRequest {
        tenant_id: TENANT.into(),
        connection_id: conn.id.clone(),
        streams: PUSH.to_vec(),
        run_id: None,
        trigger: Trigger::Manual,
        with_interests: None,
    };
    let mut pauses = 0;
    let run = loop {
        // No time at all: every invocation does one batch, saves, and pauses.
        match run_sync(&h.deps, req.clone(), h.clock.now()).await.unwrap() {
            SyncOutcome::Paused(run) => {
                pauses += 1;
                req.run_id = Some(run.id);
                req.trigger = Trigger::Continuation;
            }
            SyncOutcome::Completed(run) => break run,
            other => panic!("{other:?}"),
        }
        assert!(pauses < 10, "no progress");
    };
    assert_eq!(pauses, 2, "500 + 500 + 200");
    let r = run.newsletter.unwrap();
    assert_eq!((r.sent_by_import, r.sent_created, r.skipped_no_newsletter), (1_200, 1_200, 1), "{r:?}");
    assert_eq!(fm.data().contact_count(), 1_200, "each address once");
    assert_eq!(run.api_calls, 3 * 4, "three imports of four calls");
    assert_eq!(run.totals.records, 1_201, "every contact counted once");
}
