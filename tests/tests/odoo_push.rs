//! The Odoo connector against its stand-in: the connection test, contact and meeting lists (paging,
//! search), each item kind created and read back from the stand-in's records, and revisions
//! (in place, replaced, unsupported). Faults are in `odoo_push_faults.rs`.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use koppel_connectors::http::{Jitter, RecordingSleeper, RetryPolicy};
use koppel_connectors::odoo::{OdooMeetings, OdooOptions, OdooSession};
use koppel_core::domain::catalog_push::ODOO;
use koppel_core::ports::meeting::{
    ItemFile, ItemKind, ItemLink, MeetingApi, MeetingFactory, PushItem, Pushed, Revision, TargetQuery, TargetRef,
};
use koppel_core::ports::secrets::Credentials;
use koppel_sandbox::odoo::{
    ACTIVITY, EVENT, OdooConfig, OdooSandbox, PARTNER, PARTNER_MODEL_ID, RunningOdoo, SUBTYPE_NOTE, TODO_TYPE_ID,
};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

struct Setup {
    odoo: RunningOdoo,
    clock: Arc<TestClock>,
}

async fn setup() -> Setup {
    let config = OdooConfig { partners: 120, events: 150, events_around: now(), ..OdooConfig::default() };
    match OdooSandbox::new(config).start_local().await {
        Ok(odoo) => Setup { odoo, clock: Arc::new(TestClock::at(now())) },
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

impl Setup {
    fn credentials(&self) -> Credentials {
        let key = self.odoo.api_key().unwrap_or_default();
        Credentials::new()
            .with("server_url", SecretString::from(self.odoo.base_url()))
            .with("database", SecretString::from(self.odoo.database()))
            .with("api_key", SecretString::from(key))
    }
    fn options(&self, page_size: u32) -> OdooOptions {
        OdooOptions {
            retry: RetryPolicy { jitter: Jitter::Fixed(0.0), ..RetryPolicy::default() },
            sleeper: Arc::new(RecordingSleeper::new()),
            clock: self.clock.clone(),
            page_size,
            ..OdooOptions::default()
        }
    }
    fn session(&self) -> OdooSession {
        let factory = OdooMeetings::with_options(self.options(50)).unwrap_or_else(|e| panic!("factory: {e}"));
        factory.open_session(&self.credentials()).unwrap_or_else(|e| panic!("session: {e}"))
    }
    fn first_active_partner(&self) -> i64 {
        let data = self.odoo.data();
        let active = |id: &i64| data.row(PARTNER, *id).is_some_and(|r| r["active"] == serde_json::json!(true));
        data.ids(PARTNER).into_iter().find(active).unwrap_or_default()
    }
}

fn partner(id: i64) -> TargetRef {
    TargetRef { kind: "partner".into(), id: id.to_string(), folder: None, name: Some("Acme".into()) }
}

fn item(kind: ItemKind, n: u32) -> PushItem {
    PushItem {
        meeting_id: "meeting-1".into(),
        item_id: format!("{}-{n}", kind.as_str()),
        kind,
        marker: format!("koppel-{:020x}", 0xabc000 + u64::from(n)),
        title: format!("Title <{n}> & co"),
        text: "First line\nsecond line\n\nNext paragraph".into(),
        file: (kind == ItemKind::Report).then(|| ItemFile {
            name: format!("Verslag {n}.pdf"),
            mime: "application/pdf".into(),
            bytes: format!("%PDF-1.7 report {n} \u{0}\u{1}\u{2}").into_bytes(),
        }),
        due: None,
        done: false,
        meeting_title: "Intake Peeters".into(),
        meeting_at: now(),
        parent: None,
        links: vec![],
    }
}

#[tokio::test]
async fn the_connection_test_names_the_database_and_version() {
    let s = setup().await;
    let factory = OdooMeetings::with_options(s.options(50)).unwrap_or_else(|e| panic!("{e}"));
    let api = factory.open(ODOO, s.credentials()).unwrap_or_else(|e| panic!("{e}"));
    let probe = api.probe().await;
    assert_eq!(probe.map(|p| p.account).ok().flatten().as_deref(), Some("koppel-demo (Odoo 19.0)"));
    let stats = s.odoo.stats();
    assert_eq!((stats.calls("GET /web/version"), stats.rpc("res.users/context_get")), (1, 1));
    assert_eq!(api.api_calls(), 2);
}

#[tokio::test]
async fn contacts_are_paged_and_searched() {
    let s = setup().await;
    let api = s.session();
    let data = s.odoo.data();
    let active: Vec<i64> = data
        .ids(PARTNER)
        .into_iter()
        .filter(|id| data.row(PARTNER, *id).is_some_and(|r| r["active"] == serde_json::json!(true)))
        .collect();
    let (mut seen, mut page) = (Vec::new(), 0);
    loop {
        let query = TargetQuery { kind: "partner".into(), search: None, page, parent: None };
        let found = api.targets(&query).await.unwrap_or_else(|e| panic!("page {page}: {e}"));
        assert!(found.targets.len() <= 50);
        seen.extend(found.targets);
        page += 1;
        if !found.more || page > 10 {
            break;
        }
    }
    assert_eq!(page, 3, "120 contacts (3 archived) in pages of 50");
    let mut ids: Vec<i64> = seen.iter().filter_map(|t| t.id.parse().ok()).collect();
    let names: Vec<String> = seen.iter().map(|t| t.name.to_lowercase()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "sorted by name across pages");
    ids.sort_unstable();
    assert_eq!(ids, active, "every active contact once, archived ones not");

    let query = TargetQuery { kind: "partner".into(), search: Some("peeters".into()), page: 0, parent: None };
    let found = api.targets(&query).await.unwrap_or_else(|e| panic!("{e}"));
    let expected = seen.iter().filter(|t| t.name.to_lowercase().contains("peeters")).count();
    assert!(expected > 0 && found.targets.len() == expected.min(50), "{} of {expected}", found.targets.len());
    assert!(found.targets.iter().all(|t| t.name.to_lowercase().contains("peeters")));
}

#[tokio::test]
async fn meetings_start_at_most_half_a_year_ago_or_are_found_by_name() {
    let s = setup().await;
    let api = s.session();
    let query = |search: Option<&str>, page| TargetQuery {
        kind: "event".into(),
        search: search.map(str::to_string),
        page,
        parent: None,
    };
    let (mut listed, mut page) = (Vec::new(), 0);
    loop {
        let found = api.targets(&query(None, page)).await.unwrap_or_else(|e| panic!("{e}"));
        listed.extend(found.targets);
        page += 1;
        if !found.more || page > 10 {
            break;
        }
    }
    let since = now() - Duration::days(180);
    let starts: Vec<DateTime<Utc>> = listed
        .iter()
        .filter_map(|t| t.detail.as_deref())
        .filter_map(|d| chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%d %H:%M UTC").ok())
        .map(|n| n.and_utc())
        .collect();
    assert_eq!(starts.len(), listed.len(), "every meeting shows its start");
    assert!(!starts.is_empty() && starts.iter().all(|s| *s >= since), "the window holds");
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "in date order");
    assert!(listed.len() < 150, "older meetings are left out of the list");
    let searched = api.targets(&query(Some("intake"), 0)).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(!searched.targets.is_empty() && searched.targets.iter().all(|t| t.name.to_lowercase().contains("intake")));
}

#[tokio::test]
async fn a_note_is_an_internal_log_note_on_the_chatter() {
    let s = setup().await;
    let api = s.session();
    let id = s.first_active_partner();
    let mut note = item(ItemKind::Note, 1);
    note.links = vec![ItemLink {
        name: "Verslag 1.pdf".into(),
        url: format!("{}/web/content/9?download=true", s.odoo.base_url()),
    }];
    let pushed = api.create(&partner(id), &note).await.unwrap_or_else(|e| panic!("{e}"));
    let messages = s.odoo.data().messages_on(PARTNER, id);
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(pushed.remote_id, m.id.to_string());
    assert_eq!((m.message_type.as_str(), m.subtype_id), ("comment", Some(SUBTYPE_NOTE)));
    assert!(
        m.body.starts_with("<p><strong>Title &lt;1&gt; &amp; co</strong></p><p>First line<br>second line</p>"),
        "{}",
        m.body
    );
    assert!(m.body.contains("/web/content/9?download=true") && m.body.contains(&note.marker), "{}", m.body);
    let found = api.find(&partner(id), &note).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found, Some(pushed));
}

#[tokio::test]
async fn a_report_is_an_attachment_linked_from_the_chatter() {
    let s = setup().await;
    let api = s.session();
    let id = s.first_active_partner();
    let report = item(ItemKind::Report, 2);
    let pushed = api.create(&partner(id), &report).await.unwrap_or_else(|e| panic!("{e}"));
    let data = s.odoo.data();
    let (attachments, messages) = (data.attachments_on(PARTNER, id), data.messages_on(PARTNER, id));
    assert_eq!((attachments.len(), messages.len()), (1, 1));
    let a = &attachments[0];
    let file = report.file.as_ref().map(|f| f.bytes.clone()).unwrap_or_default();
    assert_eq!((a.name.as_str(), a.mimetype.as_str(), &a.bytes), ("Verslag 2.pdf", "application/pdf", &file));
    assert!(a.description.contains(&report.marker), "{}", a.description);
    assert_eq!(messages[0].attachment_ids, vec![a.id]);
    assert_eq!(pushed.remote_id, format!("{}|{}", a.id, messages[0].id));
    assert_eq!(pushed.link, Some(format!("{}/web/content/{}?download=true", s.odoo.base_url(), a.id)));
    assert_eq!(api.find(&partner(id), &report).await.ok().flatten(), Some(pushed));
}

#[tokio::test]
async fn to_dos_are_activities_and_the_lookups_happen_once() {
    let s = setup().await;
    let api = s.session();
    let id = s.first_active_partner();
    let mut with_due = item(ItemKind::Todo, 3);
    with_due.due = NaiveDate::from_ymd_opt(2026, 12, 1);
    let without_due = item(ItemKind::Todo, 4);
    let a = api.create(&partner(id), &with_due).await.unwrap_or_else(|e| panic!("{e}"));
    let b = api.create(&partner(id), &without_due).await.unwrap_or_else(|e| panic!("{e}"));
    let activities = s.odoo.data().activities_on(PARTNER, id);
    assert_eq!(activities.iter().map(|x| x.id.to_string()).collect::<Vec<_>>(), vec![a.remote_id, b.remote_id]);
    let first = &activities[0];
    assert_eq!((first.summary.as_str(), first.date_deadline.as_str()), ("Title <3> & co", "2026-12-01"));
    assert_eq!(
        (first.activity_type_id, first.res_model_id, first.active),
        (Some(TODO_TYPE_ID), Some(PARTNER_MODEL_ID), true)
    );
    assert!(first.note.contains(&with_due.marker) && first.note.starts_with("<p>First line"), "{}", first.note);
    assert_eq!(activities[1].date_deadline, "2026-11-21", "no due date: the meeting's date");
    let stats = s.odoo.stats();
    assert_eq!((stats.rpc("ir.model/search_read"), stats.rpc("ir.model.data/check_object_reference")), (1, 1));
    assert_eq!(stats.created(ACTIVITY), 2);
}

#[tokio::test]
async fn a_done_to_do_is_marked_done_and_cannot_change_afterwards() {
    let s = setup().await;
    let api = s.session();
    let event_id = s.odoo.data().ids(EVENT)[0];
    let target = TargetRef { kind: "event".into(), id: event_id.to_string(), folder: None, name: None };
    let mut todo = item(ItemKind::Todo, 5);
    todo.done = true;
    let pushed = api.create(&target, &todo).await.unwrap_or_else(|e| panic!("{e}"));
    let data = s.odoo.data();
    assert!(data.activities_on(EVENT, event_id).is_empty(), "done activities are gone");
    let done = data.messages_on(EVENT, event_id);
    assert_eq!(done.len(), 1);
    assert!(done[0].body.contains("To-Do done") && done[0].body.contains(&todo.marker), "{}", done[0].body);
    let found = api.find(&target, &todo).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.map(|p| p.remote_id), Some(format!("done:{}", done[0].id)));
    todo.title = "Changed".into();
    let revised = api.revise(&target, &pushed, &todo).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(revised, Revision::Unsupported { reason } if reason.contains("completed or deleted")));
}

#[tokio::test]
async fn revisions_change_in_place_or_replace_what_was_deleted() {
    let s = setup().await;
    let api = s.session();
    let id = s.first_active_partner();
    let target = partner(id);
    let data = s.odoo.data();
    let (mut note, mut report, mut todo) =
        (item(ItemKind::Note, 6), item(ItemKind::Report, 7), item(ItemKind::Todo, 8));
    let pushed_note = api.create(&target, &note).await.unwrap_or_else(|e| panic!("{e}"));
    let pushed_report = api.create(&target, &report).await.unwrap_or_else(|e| panic!("{e}"));
    let pushed_todo = api.create(&target, &todo).await.unwrap_or_else(|e| panic!("{e}"));

    note.text = "Rewritten".into();
    let r = api.revise(&target, &pushed_note, &note).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r, Revision::Updated(pushed_note.clone()));
    let body =
        data.messages_on(PARTNER, id).into_iter().find(|m| m.id.to_string() == pushed_note.remote_id).map(|m| m.body);
    assert!(body.is_some_and(|b| b.contains("<p>Rewritten</p>") && b.contains(&note.marker)));

    report.file =
        Some(ItemFile { name: "Verslag v2.pdf".into(), mime: "application/pdf".into(), bytes: b"%PDF v2".to_vec() });
    let r = api.revise(&target, &pushed_report, &report).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r, Revision::Updated(pushed_report.clone()), "the same attachment, new contents");
    let attachments = data.attachments_on(PARTNER, id);
    assert_eq!(attachments.len(), 1);
    assert_eq!((attachments[0].name.as_str(), attachments[0].bytes.as_slice()), ("Verslag v2.pdf", &b"%PDF v2"[..]));

    todo.done = true;
    todo.due = NaiveDate::from_ymd_opt(2027, 1, 15);
    let r = api.revise(&target, &pushed_todo, &todo).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r, Revision::Updated(pushed_todo.clone()));
    assert!(data.activities_on(PARTNER, id).is_empty(), "marked done");

    // Deleted in Odoo: sent again.
    let attachment_id: i64 = pushed_report.remote_id.split('|').next().and_then(|a| a.parse().ok()).unwrap_or_default();
    assert!(data.remove("ir.attachment", attachment_id));
    let r = api.revise(&target, &pushed_report, &report).await.unwrap_or_else(|e| panic!("{e}"));
    let Revision::Replaced(Pushed { remote_id, .. }) = r else { panic!("replaced: {r:?}") };
    assert_ne!(remote_id, pushed_report.remote_id);
    assert_eq!(data.attachments_on(PARTNER, id).len(), 1);
    assert!(data.remove("mail.message", pushed_note.remote_id.parse().unwrap_or_default()));
    let r = api.revise(&target, &pushed_note, &note).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(r, Revision::Replaced(p) if p.remote_id != pushed_note.remote_id));
}
