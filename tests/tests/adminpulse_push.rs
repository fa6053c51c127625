//! AdminPulse meetings against the stand-in: the connection test, the relation picker (pages and
//! search), a meeting sent as an interaction with its note, report and to-do (read back from the
//! stand-in), updates in place, a changed report replacing the earlier version (or left alone
//! where documents cannot be deleted), and what a user reads when something is wrong.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use koppel_connectors::adminpulse::AdminPulseMeetings;
use koppel_connectors::adminpulse::push::{NO_DELETE_REASON, PUSH_API_KEY_HINT};
use koppel_connectors::adminpulse::{AdminPulseMeetingSession, AdminPulseOptions};
use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy};
use koppel_core::ports::meeting::{
    ItemFile, ItemKind, ItemLink, MeetingApi, PushItem, Pushed, Revision, TargetQuery, TargetRef,
};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_sandbox::adminpulse::{AdminPulseConfig, AdminPulseSandbox, DEMO_API_KEY, RunningAdminPulse};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

async fn start(config: AdminPulseConfig) -> RunningAdminPulse {
    match AdminPulseSandbox::new(config).start_local().await {
        Ok(s) => s,
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

fn session(ap: &RunningAdminPulse, key: &str) -> AdminPulseMeetingSession {
    let options = AdminPulseOptions {
        http: ClientOptions { timeout: Duration::from_secs(5), ..ClientOptions::default() },
        retry: RetryPolicy { max_attempts: 4, jitter: Jitter::Fixed(0.0), ..AdminPulseOptions::default().retry },
        sleeper: Arc::new(RecordingSleeper::new()),
        clock: Arc::new(TestClock::at(now())),
        ..AdminPulseOptions::default()
    };
    let creds = Credentials::new().with("api_key", SecretString::from(key.to_string()));
    match AdminPulseMeetings::with_options(&ap.base_url(), options).map(|f| f.open_session(&creds)) {
        Ok(Ok(s)) => s,
        _ => panic!("session opens"),
    }
}

fn relation(ap: &RunningAdminPulse, index: usize) -> TargetRef {
    let r = ap.data().relations()[index].clone();
    TargetRef { kind: "relation".into(), id: r.id, folder: None, name: Some(r.name) }
}

fn item(kind: ItemKind, n: u32, parent: Option<&str>) -> PushItem {
    PushItem {
        meeting_id: "meeting-1".into(),
        item_id: format!("{}-{n}", kind.as_str()),
        kind,
        marker: format!("koppel-{:020x}", 0xabc000 + u64::from(n)),
        title: format!("Titel {n}"),
        text: format!("Tekst van item {n}."),
        file: (kind == ItemKind::Report).then(|| ItemFile {
            name: format!("Verslag {n}.pdf"),
            mime: "application/pdf".into(),
            bytes: format!("%PDF-1.4 verslag {n}").into_bytes(),
        }),
        due: (kind == ItemKind::Todo).then(|| NaiveDate::from_ymd_opt(2026, 12, 1)).flatten(),
        done: false,
        meeting_title: "Adviesgesprek".into(),
        meeting_at: now(),
        parent: parent.map(str::to_string),
        links: vec![],
    }
}

fn id(pushed: &Pushed) -> u64 {
    pushed.remote_id.split('|').next().and_then(|s| s.parse().ok()).unwrap_or_default()
}

#[tokio::test]
async fn the_connection_test_passes_with_the_key_and_a_bad_key_says_what_sending_needs() {
    let ap = start(AdminPulseConfig { relations: 3, ..AdminPulseConfig::default() }).await;
    let ok = session(&ap, DEMO_API_KEY);
    assert!(ok.probe().await.is_ok());
    assert!(ok.uses_envelope(), "items hang on an interaction");
    let bad = session(&ap, "not-a-key");
    match bad.probe().await {
        Err(ConnectorError::Unauthorized { hint, .. }) => assert_eq!(hint, PUSH_API_KEY_HINT),
        other => panic!("unauthorized, got {other:?}"),
    }
    assert_eq!(ap.stats().calls("GET /relations"), 2);
}

#[tokio::test]
async fn relations_are_listed_in_pages_and_searched() {
    let ap = start(AdminPulseConfig::default()).await;
    let s = session(&ap, DEMO_API_KEY);
    let query = |page: u32, search: Option<&str>| TargetQuery {
        kind: "relation".into(),
        search: search.map(str::to_string),
        page,
        parent: None,
    };
    let mut all = Vec::new();
    for page in 0..5 {
        let Ok(p) = s.targets(&query(page, None)).await else { panic!("page {page}") };
        assert_eq!((p.targets.len(), p.more), (100, page < 4), "page {page} of the 500 relations");
        all.extend(p.targets);
    }
    let relations = ap.data().relations();
    assert_eq!(
        all.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
        relations.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
    );
    assert!(all.iter().all(|t| t.kind == "relation" && t.detail.is_some()), "client code at least");

    let wanted = &relations[123];
    let Ok(found) = s.targets(&query(0, Some(&wanted.unique_identifier))).await else { panic!("search") };
    assert_eq!(found.targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec![wanted.id.as_str()]);
    assert!(!found.more);
    assert!(ap.stats().recent.iter().any(|r| r.query.as_deref().is_some_and(|q| q.contains("search="))));
    let word = wanted.name.split(' ').next().unwrap_or_default().to_uppercase();
    let Ok(by_name) = s.targets(&query(0, Some(&word))).await else { panic!("search") };
    assert!(!by_name.targets.is_empty() && by_name.targets.iter().all(|t| t.name.to_uppercase().contains(&word)));

    let wrong = s.targets(&TargetQuery { kind: "party".into(), ..query(0, None) }).await;
    assert!(matches!(wrong, Err(ConnectorError::Rejected { status: 0, .. })), "{wrong:?}");
}

#[tokio::test]
async fn a_meeting_lands_as_an_interaction_with_its_note_report_and_todo() {
    let ap = start(AdminPulseConfig { relations: 20, ..AdminPulseConfig::default() }).await;
    let s = session(&ap, DEMO_API_KEY);
    let target = relation(&ap, 4);
    let envelope = item(ItemKind::Meeting, 1, None);
    let Ok(meeting) = s.create(&target, &envelope).await else { panic!("interaction") };
    let parent = meeting.remote_id.clone();
    let note = PushItem {
        links: vec![ItemLink { name: "Verslag".into(), url: "https://example.be/v".into() }],
        ..item(ItemKind::Note, 2, Some(&parent))
    };
    let report = item(ItemKind::Report, 3, Some(&parent));
    let todo = PushItem { done: true, ..item(ItemKind::Todo, 4, Some(&parent)) };
    let pushed: Vec<Pushed> = vec![
        s.create(&target, &report).await.expect("report"),
        s.create(&target, &note).await.expect("note"),
        s.create(&target, &todo).await.expect("todo"),
    ];

    let interactions = ap.data().interactions(&target.id);
    assert_eq!(interactions.len(), 1);
    let i = &interactions[0];
    assert_eq!((i.id, i.subject.as_str(), i.date.as_str()), (id(&meeting), "Titel 1", "2026-11-21T09:00:00Z"));
    assert_eq!(i.text, format!("Tekst van item 1.\n\n(ref. {})", envelope.marker));
    assert_eq!(i.kind.as_deref(), Some("meeting"));

    let documents = ap.data().documents(&target.id);
    assert_eq!(documents.len(), 1);
    let d = &documents[0];
    assert_eq!(
        (d.id, d.interaction_id, d.name.as_str(), d.file_name.as_str()),
        (id(&pushed[0]), Some(i.id), "Titel 3", "Verslag 3.pdf")
    );
    assert_eq!((d.bytes.as_slice(), d.content_type.as_str()), (&b"%PDF-1.4 verslag 3"[..], "application/pdf"));
    assert!(d.description.starts_with("Tekst van item 3.\n\n(ref. ") && d.description.contains(&report.marker));

    let notes = ap.data().notes(i.id);
    assert_eq!(notes.len(), 1);
    assert_eq!(pushed[1].remote_id, format!("{}|{}", notes[0].id, i.id), "note id and its interaction");
    assert_eq!(
        notes[0].text,
        format!("Titel 2\n\nTekst van item 2.\n\n- Verslag: https://example.be/v\n\n(ref. {})", note.marker)
    );

    let todos = ap.data().todos(&target.id);
    assert_eq!(todos.len(), 1);
    let t = &todos[0];
    assert_eq!((t.id, t.interaction_id, t.subject.as_str()), (id(&pushed[2]), Some(i.id), "Titel 4"));
    assert_eq!((t.deadline.as_deref(), t.done()), (Some("2026-12-01"), true));

    let stats = ap.stats();
    for kind in ["interaction", "note", "document", "todo"] {
        assert_eq!(stats.created(kind), 1, "{kind}");
    }
    assert_eq!(s.api_calls(), 4, "one call per item");
    // Everything can be found again by its marker.
    for (it, p) in [(&envelope, &meeting), (&report, &pushed[0]), (&note, &pushed[1]), (&todo, &pushed[2])] {
        assert_eq!(s.find(&target, it).await.ok().flatten().as_ref(), Some(p), "{:?}", it.kind);
    }
    let unsent = item(ItemKind::Todo, 9, Some(&parent));
    assert_eq!(s.find(&target, &unsent).await.ok(), Some(None));
}

#[tokio::test]
async fn changes_update_in_place_and_a_changed_report_replaces_the_earlier_version() {
    let ap = start(AdminPulseConfig { relations: 5, ..AdminPulseConfig::default() }).await;
    let s = session(&ap, DEMO_API_KEY);
    let target = relation(&ap, 0);
    let envelope = item(ItemKind::Meeting, 1, None);
    let meeting = s.create(&target, &envelope).await.expect("interaction");
    let parent = meeting.remote_id.clone();
    let (note, todo, report) = (
        item(ItemKind::Note, 2, Some(&parent)),
        item(ItemKind::Todo, 3, Some(&parent)),
        item(ItemKind::Report, 4, Some(&parent)),
    );
    let (n, t, r) = (
        s.create(&target, &note).await.expect("note"),
        s.create(&target, &todo).await.expect("todo"),
        s.create(&target, &report).await.expect("report"),
    );

    let renamed = PushItem { title: "Nieuwe titel".into(), ..envelope.clone() };
    assert_eq!(s.revise(&target, &meeting, &renamed).await.ok(), Some(Revision::Updated(meeting.clone())));
    let edited = PushItem { text: "Aangevuld.".into(), ..note.clone() };
    assert_eq!(s.revise(&target, &n, &edited).await.ok(), Some(Revision::Updated(n.clone())));
    let done = PushItem { done: true, due: None, ..todo.clone() };
    assert_eq!(s.revise(&target, &t, &done).await.ok(), Some(Revision::Updated(t.clone())));

    let interactions = ap.data().interactions(&target.id);
    assert_eq!((interactions.len(), interactions[0].subject.as_str()), (1, "Nieuwe titel"));
    let notes = ap.data().notes(id(&meeting));
    assert_eq!(notes.len(), 1);
    assert!(notes[0].text.starts_with("Titel 2\n\nAangevuld.") && notes[0].text.contains(&note.marker));
    let todos = ap.data().todos(&target.id);
    assert_eq!((todos.len(), todos[0].done(), todos[0].deadline.clone()), (1, true, None));

    let mut new_file = report.file.clone().expect("file");
    new_file.bytes = b"%PDF-1.4 versie 2".to_vec();
    let changed = PushItem { file: Some(new_file), ..report.clone() };
    let Ok(Revision::Replaced(second)) = s.revise(&target, &r, &changed).await else { panic!("replaced") };
    assert_ne!(second, r);
    let documents = ap.data().documents(&target.id);
    assert_eq!(documents.iter().map(|d| d.id).collect::<Vec<_>>(), vec![id(&second)], "the earlier version is gone");
    assert_eq!(documents[0].bytes, b"%PDF-1.4 versie 2".to_vec());
    // Sending the same content again as a revision (a retry) uploads nothing.
    assert_eq!(s.revise(&target, &second, &changed).await.ok(), Some(Revision::Updated(second.clone())));
    let stats = ap.stats();
    assert_eq!((stats.created("document"), stats.deleted("document")), (2, 1));
    assert_eq!((stats.updated("interaction"), stats.updated("note"), stats.updated("todo")), (1, 1, 1));
}

#[tokio::test]
async fn where_documents_cannot_be_deleted_a_changed_report_is_added_once_and_said_so() {
    let config = AdminPulseConfig { relations: 2, documents_deletable: false, ..AdminPulseConfig::default() };
    let ap = start(config).await;
    let s = session(&ap, DEMO_API_KEY);
    let target = relation(&ap, 1);
    let report = item(ItemKind::Report, 1, None);
    let first = s.create(&target, &report).await.expect("report");
    let changed = PushItem { text: "Nieuwe versie.".into(), ..report.clone() };
    for attempt in 0..2 {
        let revision = s.revise(&target, &first, &changed).await;
        assert_eq!(revision.ok(), Some(Revision::Unsupported { reason: NO_DELETE_REASON.into() }), "attempt {attempt}");
    }
    assert_eq!(ap.data().documents(&target.id).len(), 2, "the new version once, next to the earlier one");
    assert_eq!(ap.stats().created("document"), 2);
}

#[tokio::test]
async fn what_a_user_reads_when_an_item_cannot_go() {
    let ap = start(AdminPulseConfig { relations: 2, ..AdminPulseConfig::default() }).await;
    let s = session(&ap, DEMO_API_KEY);
    let target = relation(&ap, 0);
    let meeting = s.create(&target, &item(ItemKind::Meeting, 1, None)).await.expect("interaction");

    // AdminPulse's own message for a refused item.
    let untitled = PushItem { title: " ".into(), ..item(ItemKind::Todo, 2, Some(&meeting.remote_id)) };
    match s.create(&target, &untitled).await {
        Err(ConnectorError::Rejected { status: 400, message, .. }) => assert_eq!(message, "subject is required"),
        other => panic!("rejected, got {other:?}"),
    }
    // A relation that no longer exists: pick the target again.
    let gone = TargetRef { id: "no-such-relation".into(), ..target.clone() };
    match s.create(&gone, &item(ItemKind::Meeting, 3, None)).await {
        Err(ConnectorError::Rejected { status: 404, message, .. }) => {
            assert!(
                message.contains("Relation no-such-relation was not found") && message.contains("Pick the relation"),
                "{message}"
            );
        }
        other => panic!("rejected, got {other:?}"),
    }
    // An interaction deleted in AdminPulse is not silently created again.
    assert!(ap.data().delete_interaction(id(&meeting)));
    match s.revise(&target, &meeting, &item(ItemKind::Meeting, 1, None)).await {
        Err(ConnectorError::Rejected { status: 404, message, .. }) => {
            assert!(message.contains("no longer in AdminPulse"), "{message}")
        }
        other => panic!("rejected, got {other:?}"),
    }
    // A note without its interaction, a report without a file, another kind of target.
    let orphan = s.create(&target, &item(ItemKind::Note, 4, None)).await;
    assert!(matches!(orphan, Err(ConnectorError::Rejected { status: 0, .. })), "{orphan:?}");
    let empty = PushItem { file: None, ..item(ItemKind::Report, 5, None) };
    assert!(matches!(s.create(&target, &empty).await, Err(ConnectorError::Rejected { status: 0, .. })));
    let party = TargetRef { kind: "party".into(), ..target.clone() };
    assert!(matches!(
        s.create(&party, &item(ItemKind::Meeting, 6, None)).await,
        Err(ConnectorError::Rejected { status: 0, .. })
    ));
    assert_eq!(ap.stats().created("interaction"), 1);
}
