//! The Zoho connector against its stand-in: the connection test, the event picker (paging,
//! search), each item kind created and read back from the stand-in, revisions (notes and tasks
//! in place, reports replaced), and the access token of the OAuth stand-in. Faults are in
//! `zoho_push_faults.rs`.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use koppel_connectors::http::{Jitter, RecordingSleeper, RetryPolicy};
use koppel_connectors::zoho::{ZohoMeetings, ZohoOptions, ZohoSession};
use koppel_core::ports::meeting::{
    ItemFile, ItemKind, ItemLink, MeetingApi, PushItem, Revision, TargetQuery, TargetRef,
};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_sandbox::zoho::{RunningZoho, ZohoConfig, ZohoSandbox};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

async fn zoho(config: ZohoConfig) -> RunningZoho {
    match ZohoSandbox::new(config).start_local().await {
        Ok(z) => z,
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

fn options(sleeper: &RecordingSleeper) -> ZohoOptions {
    ZohoOptions {
        retry: RetryPolicy { max_attempts: 3, jitter: Jitter::Fixed(0.0), ..ZohoOptions::default().retry },
        sleeper: Arc::new(sleeper.clone()),
        clock: Arc::new(TestClock::at(now())),
        allow_any_api_domain: true,
        ..ZohoOptions::default()
    }
}

fn creds(z: &RunningZoho, token: &str, folder: Option<&str>) -> Credentials {
    let c = Credentials::new()
        .with("access_token", SecretString::from(token.to_string()))
        .with("api_domain", SecretString::from(z.base_url()));
    match folder {
        Some(f) => c.with("workdrive_folder", SecretString::from(f.to_string())),
        None => c,
    }
}

fn session(z: &RunningZoho, folder: bool) -> ZohoSession {
    let token = z.access_token().unwrap_or_default().to_string();
    let folder = if folder { z.workdrive_folder() } else { None };
    let Ok(factory) = ZohoMeetings::with_options(options(&RecordingSleeper::new())) else { panic!("factory") };
    match factory.open_session(&creds(z, &token, folder)) {
        Ok(s) => s,
        Err(e) => panic!("session opens: {e}"),
    }
}

fn event(z: &RunningZoho, with_account: bool) -> TargetRef {
    let e = z.data().events().into_iter().find(|e| e.what.is_some() == with_account).expect("an event");
    TargetRef { kind: "event".into(), id: e.id, folder: None, name: Some(e.title) }
}

fn item(kind: ItemKind, n: u32) -> PushItem {
    PushItem {
        meeting_id: "m1".into(),
        item_id: format!("{}-{n}", kind.as_str()),
        kind,
        marker: format!("koppel-{n:020x}"),
        title: format!("{} {n}", kind.as_str()),
        text: "Klant wil een offerte voor de verzekering.".into(),
        file: (kind == ItemKind::Report).then(|| ItemFile {
            name: "Verslag.pdf".into(),
            mime: "application/pdf".into(),
            bytes: b"%PDF-1.4 v1".to_vec(),
        }),
        due: (kind == ItemKind::Todo).then(|| NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()),
        done: false,
        meeting_title: "Adviesgesprek".into(),
        meeting_at: Utc.with_ymd_and_hms(2026, 11, 20, 14, 0, 0).single().unwrap_or_default(),
        parent: None,
        links: vec![],
    }
}

#[tokio::test]
async fn the_test_names_the_user_and_a_refused_token_says_sign_in_again() {
    let z = zoho(ZohoConfig::default()).await;
    let info = session(&z, false).probe().await;
    assert_eq!(info.map(|i| i.account).ok().flatten().as_deref(), Some("Sandra Sandbox (sandra@kantoor.example)"));
    let Ok(factory) = ZohoMeetings::with_options(options(&RecordingSleeper::new())) else { panic!("factory") };
    let Ok(bad) = factory.open_session(&creds(&z, "1000.wrong-token", None)) else { panic!("opens") };
    let e = bad.probe().await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Unauthorized { hint, .. }) if hint.contains("Sign in with Zoho again") && hint.contains("INVALID_TOKEN")),
        "{e:?}"
    );
    assert!(!format!("{e:?} {bad:?}").contains("wrong-token"), "no token in errors or Debug");
}

#[tokio::test]
async fn events_come_200_a_page_newest_first_and_search_finds_a_client() {
    let z = zoho(ZohoConfig { events: 450, ..ZohoConfig::default() }).await;
    let s = session(&z, false);
    let mut seen = Vec::new();
    for page in 0..5 {
        let q = TargetQuery { kind: "event".into(), search: None, page, parent: None };
        let Ok(p) = s.targets(&q).await else { panic!("page {page}") };
        seen.extend(p.targets);
        if !p.more {
            break;
        }
    }
    let expected: Vec<String> = z.data().events().into_iter().map(|e| e.id).collect();
    assert_eq!(seen.iter().map(|t| t.id.clone()).collect::<Vec<_>>(), expected, "all 450, in list order");
    assert_eq!(z.stats().calls("GET /crm/v8/Events"), 3);
    let first = &seen[0];
    assert!(first.kind == "event" && first.detail.as_deref().is_some_and(|d| d.starts_with("2026-")), "{first:?}");

    let q = TargetQuery { kind: "event".into(), search: Some("peeters".into()), page: 0, parent: None };
    let Ok(hits) = s.targets(&q).await else { panic!("search") };
    assert!(
        !hits.targets.is_empty()
            && hits
                .targets
                .iter()
                .all(|t| t.name.contains("Peeters") || t.detail.as_deref().is_some_and(|d| d.contains("Peeters")))
    );
    let q = TargetQuery { kind: "event".into(), search: Some("zzz-nobody".into()), page: 0, parent: None };
    assert_eq!(s.targets(&q).await.map(|p| (p.targets.len(), p.more)).ok(), Some((0, false)), "204 = nothing");
    let q = TargetQuery { kind: "event".into(), search: Some("A".into()), page: 0, parent: None };
    assert!(s.targets(&q).await.is_ok_and(|p| p.targets.iter().all(|t| t.name.starts_with('A'))), "one letter");
    let q = TargetQuery { kind: "partner".into(), search: None, page: 0, parent: None };
    assert!(matches!(s.targets(&q).await, Err(ConnectorError::Rejected { status: 0, .. })));
}

#[tokio::test]
async fn the_picker_stops_at_record_2000() {
    let z = zoho(ZohoConfig { events: 2_300, ..ZohoConfig::default() }).await;
    let s = session(&z, false);
    let page = |n| TargetQuery { kind: "event".into(), search: None, page: n, parent: None };
    assert!(s.targets(&page(9)).await.is_ok_and(|p| p.targets.len() == 200 && !p.more), "page 10 is the last");
    assert!(s.targets(&page(10)).await.is_ok_and(|p| p.targets.is_empty() && !p.more));
    assert_eq!(z.stats().status(400), 0, "never asks past record 2,000");
}

#[tokio::test]
async fn a_report_goes_to_workdrive_and_onto_the_event() {
    let z = zoho(ZohoConfig::default()).await;
    let (s, target) = (session(&z, true), event(&z, true));
    let report = item(ItemKind::Report, 1);
    let Ok(pushed) = s.create(&target, &report).await else { panic!("created") };
    let attachments = z.data().attachments_of(&target.id);
    assert_eq!(attachments.len(), 1);
    let name = format!("Verslag [{}].pdf", report.marker);
    assert_eq!(
        (attachments[0].file_name.as_str(), attachments[0].bytes.as_slice()),
        (name.as_str(), &b"%PDF-1.4 v1"[..])
    );
    let files = z.data().workdrive_files(z.workdrive_folder().unwrap_or_default());
    assert_eq!(files.len(), 1);
    assert_eq!((files[0].name.as_str(), files[0].current()), (name.as_str(), &b"%PDF-1.4 v1"[..]));
    assert_eq!(pushed.remote_id, format!("{}|{}", attachments[0].id, files[0].id));
    assert_eq!(pushed.link.as_deref(), Some(files[0].permalink.as_str()));
    assert_eq!(s.find(&target, &report).await.ok().flatten(), Some(pushed), "find sees it again");
    assert_eq!(s.find(&target, &item(ItemKind::Report, 2)).await.ok().flatten(), None);
}

#[tokio::test]
async fn without_a_folder_a_report_is_only_attached() {
    let z = zoho(ZohoConfig::default()).await;
    let (s, target) = (session(&z, false), event(&z, false));
    let Ok(pushed) = s.create(&target, &item(ItemKind::Report, 1)).await else { panic!("created") };
    assert_eq!(pushed.link, None);
    assert_eq!(z.data().attachments_of(&target.id).first().map(|a| a.id.clone()), Some(pushed.remote_id));
    assert!(z.data().workdrive_files(z.workdrive_folder().unwrap_or_default()).is_empty());
    assert_eq!(z.stats().calls("POST /workdrive/api/v1/upload"), 0);
}

#[tokio::test]
async fn a_note_carries_the_report_links_and_the_marker() {
    let z = zoho(ZohoConfig::default()).await;
    let (s, target) = (session(&z, true), event(&z, true));
    let mut note = item(ItemKind::Note, 3);
    note.links = vec![ItemLink { name: "Verslag.pdf".into(), url: "https://workdrive.zoho.eu/file/abc".into() }];
    let Ok(pushed) = s.create(&target, &note).await else { panic!("created") };
    let notes = z.data().notes_of(&target.id);
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (notes[0].id.as_str(), notes[0].title.as_str(), notes[0].parent_module.as_str()),
        (pushed.remote_id.as_str(), "note 3", "Events")
    );
    assert!(notes[0].content.starts_with("Klant wil een offerte"));
    assert!(notes[0].content.contains("- Verslag.pdf: https://workdrive.zoho.eu/file/abc"));
    assert!(notes[0].content.ends_with(&format!("Koppel-ref: {}", note.marker)));
    assert_eq!(s.find(&target, &note).await.ok().flatten(), Some(pushed));
}

#[tokio::test]
async fn a_todo_becomes_a_task_on_the_events_account_and_contact() {
    let z = zoho(ZohoConfig::default()).await;
    let (s, target) = (session(&z, false), event(&z, true));
    let mut todo = item(ItemKind::Todo, 4);
    todo.done = true;
    let Ok(pushed) = s.create(&target, &todo).await else { panic!("created") };
    let Some(task) = z.data().task(&pushed.remote_id) else { panic!("stored") };
    let ev = z.data().event(&target.id).expect("event");
    assert_eq!(
        (task.subject.as_str(), task.status.as_str(), task.due_date.as_deref()),
        ("todo 4", "Completed", Some("2026-12-01"))
    );
    assert_eq!(task.what_id, ev.what.map(|w| w.id));
    assert_eq!(task.se_module, ev.se_module);
    assert_eq!(task.who_id, ev.who.map(|w| w.id));
    assert!(
        task.description.contains(&todo.marker) && task.description.contains("Meeting: Adviesgesprek (2026-11-20)")
    );
    assert_eq!(s.find(&target, &todo).await.ok().flatten(), Some(pushed));
    // An event about nothing gives a task about nothing; the event is read once per session.
    let bare = event(&z, false);
    let Ok(p) = s.create(&bare, &item(ItemKind::Todo, 5)).await else { panic!("created") };
    assert!(z.data().task(&p.remote_id).is_some_and(|t| t.what_id.is_none() && t.se_module.is_none()));
    let _ = s.create(&bare, &item(ItemKind::Todo, 6)).await;
    assert_eq!(z.stats().calls("GET /crm/v8/Events/{id}"), 2);
}

#[tokio::test]
async fn revisions_update_notes_and_tasks_in_place_and_replace_reports() {
    let z = zoho(ZohoConfig::default()).await;
    let (s, target) = (session(&z, true), event(&z, true));
    let (mut note, mut todo, mut report) =
        (item(ItemKind::Note, 1), item(ItemKind::Todo, 2), item(ItemKind::Report, 3));
    let (Ok(n), Ok(t), Ok(r)) =
        (s.create(&target, &note).await, s.create(&target, &todo).await, s.create(&target, &report).await)
    else {
        panic!("created")
    };
    note.text = "Nieuwe tekst".into();
    todo.done = true;
    report.file =
        Some(ItemFile { name: "Verslag.pdf".into(), mime: "application/pdf".into(), bytes: b"%PDF-1.4 v2".to_vec() });
    assert_eq!(s.revise(&target, &n, &note).await.ok(), Some(Revision::Updated(n.clone())));
    assert_eq!(s.revise(&target, &t, &todo).await.ok(), Some(Revision::Updated(t.clone())));
    assert!(z.data().note(&n.remote_id).is_some_and(|x| x.content.starts_with("Nieuwe tekst") && x.updates == 1));
    assert!(z.data().task(&t.remote_id).is_some_and(|x| x.status == "Completed" && x.updates == 1));
    let Ok(Revision::Replaced(r2)) = s.revise(&target, &r, &report).await else { panic!("replaced") };
    let attachments = z.data().attachments_of(&target.id);
    assert_eq!(attachments.len(), 1, "the earlier attachment is gone");
    assert_eq!(attachments[0].bytes, b"%PDF-1.4 v2");
    let files = z.data().workdrive_files(z.workdrive_folder().unwrap_or_default());
    assert_eq!(files.len(), 1, "WorkDrive keeps one file…");
    assert_eq!((files[0].versions.len(), files[0].current()), (2, &b"%PDF-1.4 v2"[..]), "…with a new version");
    assert_eq!((r2.link.clone(), r2.remote_id.clone()), (r.link, format!("{}|{}", attachments[0].id, files[0].id)));
    // A renamed report: the earlier WorkDrive file goes to the trash.
    report.file =
        Some(ItemFile { name: "Eindverslag.pdf".into(), mime: "application/pdf".into(), bytes: b"v3".to_vec() });
    let Ok(Revision::Replaced(r3)) = s.revise(&target, &r2, &report).await else { panic!("replaced") };
    assert!(z.data().workdrive_file(&files[0].id).is_some_and(|f| f.trashed));
    assert_eq!(z.data().workdrive_files(z.workdrive_folder().unwrap_or_default()).len(), 1);
    assert!(r3.link.is_some());
    // A note deleted in Zoho meanwhile is written again.
    z.data().delete_note(&n.remote_id);
    let Ok(Revision::Replaced(n2)) = s.revise(&target, &n, &note).await else { panic!("written again") };
    assert_ne!(n2.remote_id, n.remote_id);
    assert_eq!(z.data().notes_of(&target.id).len(), 1);
}

#[tokio::test]
async fn access_tokens_of_the_oauth_stand_in_work_until_they_expire() {
    let z = zoho(ZohoConfig { oauth: true, access_tokens: vec![], ..ZohoConfig::default() }).await;
    let Some(oauth) = z.oauth() else { panic!("oauth wired in") };
    let tokens = oauth.issue_tokens();
    let Ok(factory) = ZohoMeetings::with_options(options(&RecordingSleeper::new())) else { panic!("factory") };
    let Ok(s) = factory.open_session(&creds(&z, &tokens.access_token, None)) else { panic!("opens") };
    assert!(s.probe().await.is_ok());
    oauth.expire_access_tokens();
    assert!(matches!(s.probe().await, Err(ConnectorError::Unauthorized { .. })));
    assert!(z.oauth_urls().is_some_and(|(a, t)| a.ends_with("/oauth/v2/auth") && t.ends_with("/oauth/v2/token")));
}
