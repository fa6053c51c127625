//! The push engine through the ledger, against a scripted provider: what is created, what a
//! resend does, timeouts after the provider stored an item, refusals, settings, and the 409s.

use std::sync::Arc;

use koppel_core::AppError;
use koppel_core::domain::meeting::PushSettings;
use koppel_core::ports::meeting::ItemKind;
use koppel_core::push::item::ItemResult;
use koppel_core::push::ledger::EntryState;
use koppel_core::push::{ledger, send, settings, status};
use koppel_tests::fake_meetings::{FakeMeetings, Fault};
use koppel_tests::fake_source::FakeSources;
use koppel_tests::harness::{Harness, TENANT};
use koppel_tests::push::{meeting_json, odoo, put_meeting, signed_in};

fn harness(fake: &FakeMeetings) -> Harness {
    Harness::new(Arc::new(FakeSources::default())).with_meetings(Arc::new(fake.clone()))
}

fn results(o: &send::PushOutcome) -> Vec<(String, ItemResult)> {
    o.items.iter().map(|i| (i.item_id.clone(), i.result)).collect()
}

#[tokio::test]
async fn first_send_creates_everything_and_a_resend_creates_nothing() {
    let fake = FakeMeetings::new(10);
    let h = harness(&fake);
    let conn = odoo(&h).await;
    put_meeting(&h, "m1", meeting_json(&[(&conn.id, "partner", "T001")])).await;

    let first = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("send");
    assert_eq!(first.counts.created, 5, "{:?}", results(&first));
    assert_eq!(fake.held("T001", ItemKind::Report).len(), 2);
    assert_eq!(fake.held("T001", ItemKind::Note).len(), 1);
    assert_eq!(fake.held("T001", ItemKind::Todo).len(), 2);
    // Reports first, then the note with links to them, then the to-dos.
    let order: Vec<String> = results(&first).into_iter().map(|(id, _)| id).collect();
    assert_eq!(order, ["r1", "r2", "n1", "t1", "t2"]);
    assert_eq!(fake.held("T001", ItemKind::Note)[0].links.len(), 2);

    let calls_before = fake.count_calls("");
    let again = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("resend");
    assert_eq!(again.counts.unchanged, 5);
    assert_eq!(again.counts.created + again.counts.updated, 0);
    assert_eq!(fake.count_calls("") - calls_before, 0, "an unchanged meeting costs no provider call");
    assert_eq!(fake.with(|s| s.items.len()), 5);
}

#[tokio::test]
async fn a_changed_item_is_updated_and_a_changed_report_replaced() {
    let fake = FakeMeetings::new(10);
    let h = harness(&fake);
    let conn = odoo(&h).await;
    let mut body = meeting_json(&[(&conn.id, "partner", "T001")]);
    put_meeting(&h, "m1", body.clone()).await;
    send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("send");

    body["notes"][0]["text"] = "Klant wil een kwartaalrapport.".into();
    body["reports"][0]["content_base64"] = "JVBERi0xLjQgdmVyc2xhZyB2Mg==".into();
    put_meeting(&h, "m1", body).await;
    let again = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("resend");
    let r = results(&again);
    assert!(r.contains(&("n1".into(), ItemResult::Updated)), "{r:?}");
    assert!(r.contains(&("r1".into(), ItemResult::Replaced)), "{r:?}");
    assert_eq!(again.counts.unchanged, 3);
    assert_eq!(fake.held("T001", ItemKind::Report).len(), 2, "the old version was replaced, not kept");
    assert_eq!(fake.held("T001", ItemKind::Note)[0].text, "Klant wil een kwartaalrapport.");
}

#[tokio::test]
async fn a_timeout_after_the_provider_stored_the_item_is_found_not_duplicated() {
    let fake = FakeMeetings::new(10);
    let h = harness(&fake);
    let conn = odoo(&h).await;
    put_meeting(&h, "m1", meeting_json(&[(&conn.id, "partner", "T001")])).await;
    fake.fault("t1", Fault::TimeoutAfterStore);

    let first = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("send");
    let t1 = first.items.iter().find(|i| i.item_id == "t1").expect("t1");
    assert_eq!(t1.result, ItemResult::Failed);
    assert!(t1.transient);
    assert_eq!(first.counts.created, 4, "the other items still went");
    let entries = ledger::load(&h.deps, TENANT, &conn.id, "m1").await.expect("ledger");
    assert_eq!(entries.iter().find(|(e, _)| e.item_id == "t1").map(|(e, _)| e.state), Some(EntryState::Uncertain));

    let again = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("resend");
    assert!(results(&again).contains(&("t1".into(), ItemResult::Found)));
    assert_eq!(fake.held("T001", ItemKind::Todo).len(), 2, "exactly one copy of t1");
    assert_eq!(fake.count_calls("create todo t1"), 1);
    assert_eq!(fake.count_calls("find todo t1"), 1);
}

#[tokio::test]
async fn a_5xx_before_storing_is_looked_up_then_created_once() {
    let fake = FakeMeetings::new(10);
    let h = harness(&fake);
    let conn = odoo(&h).await;
    put_meeting(&h, "m1", meeting_json(&[(&conn.id, "partner", "T001")])).await;
    fake.fault("n1", Fault::ServerBeforeStore);
    send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("send");
    assert!(fake.held("T001", ItemKind::Note).is_empty());
    let again = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("resend");
    assert!(results(&again).contains(&("n1".into(), ItemResult::Created)));
    assert_eq!(fake.held("T001", ItemKind::Note).len(), 1);
}

#[tokio::test]
async fn a_refused_item_keeps_the_providers_message_and_the_others_go() {
    let fake = FakeMeetings::new(10);
    let h = harness(&fake);
    let conn = odoo(&h).await;
    put_meeting(&h, "m1", meeting_json(&[(&conn.id, "partner", "T001")])).await;
    fake.fault("r2", Fault::Reject("Bestandstype niet toegestaan".into()));
    let first = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("send");
    let r2 = first.items.iter().find(|i| i.item_id == "r2").expect("r2");
    assert_eq!(r2.result, ItemResult::Failed);
    assert!(r2.message.as_deref().unwrap_or_default().contains("Bestandstype niet toegestaan"), "{r2:?}");
    assert!(!r2.transient);
    assert_eq!(first.counts.created, 4);
    let shown = status::status(&h.deps, TENANT, "m1").await.expect("status");
    let entry = shown.connections[0].items.iter().find(|e| e.item_id == "r2").expect("entry");
    assert_eq!(entry.state, EntryState::Failed);
    assert!(entry.message.as_deref().unwrap_or_default().contains("Bestandstype"));
    // Fixed at the provider: the next send creates it, without looking it up first.
    let again = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("resend");
    assert!(results(&again).contains(&("r2".into(), ItemResult::Created)));
    assert_eq!(fake.count_calls("find"), 0);
}

#[tokio::test]
async fn refused_credentials_stop_the_send() {
    let fake = FakeMeetings::new(10);
    let h = harness(&fake);
    let conn = odoo(&h).await;
    put_meeting(&h, "m1", meeting_json(&[(&conn.id, "partner", "T001")])).await;
    fake.fault("r1", Fault::Unauthorized);
    let out = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("send");
    assert_eq!(out.items.len(), 1);
    assert!(out.stopped.as_deref().unwrap_or_default().contains("Reconnect"), "{:?}", out.stopped);
    assert_eq!(fake.count_calls("create"), 1);
}

#[tokio::test]
async fn settings_choose_what_is_sent() {
    let fake = FakeMeetings::new(10);
    let h = harness(&fake);
    let conn = signed_in(&h, "zoho").await;
    settings::update(&h.deps, TENANT, &conn.id, PushSettings { reports: true, notes: true, todos: false })
        .await
        .expect("settings");
    put_meeting(&h, "m1", meeting_json(&[(&conn.id, "event", "E1")])).await;
    let out = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("send");
    assert_eq!(out.counts.created, 3);
    assert!(fake.held("E1", ItemKind::Todo).is_empty());

    // Brokercloud takes reports only; asking for notes is refused with a reason.
    let bc = signed_in(&h, "brokercloud").await;
    let e = settings::update(&h.deps, TENANT, &bc.id, PushSettings { reports: true, notes: true, todos: false })
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref p) if p[0].message.contains("does not take notes")), "{e:?}");
}

#[tokio::test]
async fn no_target_or_an_inactive_connection_is_a_conflict_saying_what_to_do() {
    let fake = FakeMeetings::new(10);
    let h = harness(&fake);
    let conn = odoo(&h).await;
    put_meeting(&h, "m1", meeting_json(&[])).await;
    let e = send::send(&h.deps, TENANT, &conn.id, "m1").await.unwrap_err();
    assert!(
        matches!(e, AppError::Conflict { ref message, ref hint } if message.contains("no Odoo target") && hint.contains("Pick one")),
        "{e:?}"
    );

    koppel_core::push::meetings::pick_target(
        &h.deps,
        TENANT,
        "m1",
        &conn.id,
        serde_json::from_value(serde_json::json!({"kind":"partner","id":"T002"})).unwrap(),
    )
    .await
    .expect("pick");
    koppel_core::usecases::activation::deactivate(&h.deps, TENANT, &conn.id).await.expect("deactivate");
    let e = send::send(&h.deps, TENANT, &conn.id, "m1").await.unwrap_err();
    assert!(
        matches!(e, AppError::Conflict { ref message, ref hint } if message.contains("not active") && hint.contains("Reconnect")),
        "{e:?}"
    );
    let shown = status::status(&h.deps, TENANT, "m1").await.expect("status");
    assert!(!shown.connections[0].can_receive);
    assert_eq!(fake.count_calls("create"), 0);
}

#[tokio::test]
async fn an_envelope_provider_hangs_every_item_on_the_meeting_record() {
    let fake = FakeMeetings::new(10);
    fake.with(|s| s.envelope = true);
    let h = harness(&fake);
    let conn = odoo(&h).await;
    put_meeting(&h, "m1", meeting_json(&[(&conn.id, "partner", "T001")])).await;
    let out = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("send");
    assert_eq!(out.items[0].item_id, "meeting");
    let envelope = out.items[0].remote_id.clone().expect("envelope id");
    let parents: Vec<Option<String>> =
        fake.with(|s| s.items.values().filter(|i| i.kind != ItemKind::Meeting).map(|i| i.parent.clone()).collect());
    assert_eq!(parents.len(), 5);
    assert!(parents.iter().all(|p| p.as_deref() == Some(envelope.as_str())));
}

#[tokio::test]
async fn an_unchangeable_report_is_marked_outdated_not_duplicated() {
    let fake = FakeMeetings::new(10);
    fake.with(|s| s.can_replace_reports = false);
    let h = harness(&fake);
    let conn = odoo(&h).await;
    let mut body = meeting_json(&[(&conn.id, "partner", "T001")]);
    put_meeting(&h, "m1", body.clone()).await;
    send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("send");
    body["reports"][1]["title"] = "Bijlage (herzien)".into();
    put_meeting(&h, "m1", body).await;
    let again = send::send(&h.deps, TENANT, &conn.id, "m1").await.expect("resend");
    let r2 = again.items.iter().find(|i| i.item_id == "r2").expect("r2");
    assert_eq!(r2.result, ItemResult::Outdated);
    assert!(r2.hint.is_some());
    assert_eq!(fake.held("T001", ItemKind::Report).len(), 2);
}
