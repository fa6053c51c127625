//! The Silverfin meeting connector against its stand-in: the probe, the company picker (paging and
//! local search), each item kind created and read back, `find` after an earlier attempt, and
//! `revise` (reports replaced, remark texts unsupported, done states flagged).
//! Faults, errors and secrets: `silverfin_push_faults.rs`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use koppel_connectors::http::{ClientOptions, Jitter, RecordingSleeper, RetryPolicy};
use koppel_connectors::silverfin::{SilverfinMeetings, SilverfinOptions, SilverfinSession};
use koppel_core::ports::meeting::{ItemFile, ItemKind, MeetingApi, PushItem, Pushed, Revision, TargetQuery, TargetRef};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_sandbox::silverfin::{
    DEMO_ACCESS_TOKEN, DEMO_FIRM_NAME, RunningSilverfin, SilverfinConfig, SilverfinSandbox,
};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

struct Setup {
    sf: RunningSilverfin,
    sleeper: RecordingSleeper,
}

async fn setup(config: SilverfinConfig) -> Setup {
    match SilverfinSandbox::new(config).start_local().await {
        Ok(sf) => Setup { sf, sleeper: RecordingSleeper::new() },
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

fn creds(token: &str, firm: &str) -> Credentials {
    Credentials::new()
        .with("access_token", SecretString::from(token.to_string()))
        .with("firm_id", SecretString::from(firm.to_string()))
}

impl Setup {
    fn options(&self) -> SilverfinOptions {
        SilverfinOptions {
            http: ClientOptions { timeout: Duration::from_secs(5), ..ClientOptions::default() },
            retry: RetryPolicy { max_attempts: 4, jitter: Jitter::Fixed(0.0), ..SilverfinOptions::default().retry },
            sleeper: Arc::new(self.sleeper.clone()),
            clock: Arc::new(TestClock::at(now())),
            ..SilverfinOptions::default()
        }
    }
    fn session_with(&self, options: SilverfinOptions, creds: &Credentials) -> SilverfinSession {
        let factory = match SilverfinMeetings::with_options(&self.sf.base_url(), options) {
            Ok(f) => f,
            Err(e) => panic!("factory builds: {e}"),
        };
        match factory.open_session(creds) {
            Ok(s) => s,
            Err(e) => panic!("session opens: {e}"),
        }
    }
    fn session(&self) -> SilverfinSession {
        self.session_with(self.options(), &creds(DEMO_ACCESS_TOKEN, self.sf.firm_id()))
    }
    fn first_company(&self) -> u64 {
        self.sf.data().companies().first().map(|c| c.id).unwrap_or_default()
    }
}

fn target(company: u64) -> TargetRef {
    TargetRef { kind: "company".into(), id: company.to_string(), folder: None, name: None }
}

fn item(kind: ItemKind, n: u32) -> PushItem {
    PushItem {
        meeting_id: "meeting-1".into(),
        item_id: format!("{}-{n}", kind.as_str()),
        kind,
        marker: format!("koppel-{:020x}", 0xabc000 + u64::from(n) + 1000 * kind as u64),
        title: format!("{} {n}", kind.as_str()),
        text: format!("Text of {} {n}.", kind.as_str()),
        file: (kind == ItemKind::Report).then(|| ItemFile {
            name: format!("Verslag {n}.pdf"),
            mime: "application/pdf".into(),
            bytes: format!("%PDF-1.7 report {n}").into_bytes(),
        }),
        due: (kind == ItemKind::Todo).then(|| NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()),
        done: false,
        meeting_title: "Jaarbespreking".into(),
        meeting_at: Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).single().unwrap_or_default(),
        parent: None,
        links: vec![],
    }
}

fn query(page: u32, search: Option<&str>) -> TargetQuery {
    TargetQuery { kind: "company".into(), search: search.map(str::to_string), page, parent: None }
}

async fn created(session: &SilverfinSession, company: u64, item: &PushItem) -> Pushed {
    match session.create(&target(company), item).await {
        Ok(p) => p,
        Err(e) => panic!("create {:?}: {e}", item.kind),
    }
}

#[tokio::test]
async fn the_probe_names_the_firm_and_bad_sign_ins_say_what_to_do() {
    let s = setup(SilverfinConfig { companies: 3, ..Default::default() }).await;
    let info = s.session().probe().await;
    assert_eq!(info.ok().and_then(|i| i.account).as_deref(), Some(DEMO_FIRM_NAME));

    let wrong_token = s.session_with(s.options(), &creds("not-a-token", s.sf.firm_id())).probe().await;
    let Err(ConnectorError::Unauthorized { hint, .. }) = wrong_token else { panic!("401: {wrong_token:?}") };
    assert!(hint.contains("Connect Silverfin again"), "{hint}");

    let wrong_firm = s.session_with(s.options(), &creds(DEMO_ACCESS_TOKEN, "999")).probe().await;
    let Err(ConnectorError::Rejected { status: 404, message, .. }) = wrong_firm else { panic!("{wrong_firm:?}") };
    assert!(message.contains("firm 999") && message.contains("connect Silverfin again"), "{message}");
    assert_eq!(s.sf.stats().calls("GET /api/v4/f/{firm}/user/firm"), 3);
}

#[tokio::test]
async fn the_company_picker_pages_through_hundreds_of_companies() {
    let s = setup(SilverfinConfig { companies: 450, ..Default::default() }).await;
    let session = s.session();
    let mut seen = Vec::new();
    let mut shape = Vec::new();
    for page in 0..4 {
        let Ok(p) = session.targets(&query(page, None)).await else { panic!("page {page}") };
        shape.push((p.targets.len(), p.more));
        seen.extend(p.targets);
    }
    assert_eq!(shape, vec![(200, true), (200, true), (50, false), (0, false)]);
    let expected: Vec<String> = s.sf.data().companies().iter().map(|c| c.id.to_string()).collect();
    assert_eq!(seen.iter().map(|t| t.id.clone()).collect::<Vec<_>>(), expected);
    let first = &s.sf.data().companies()[0];
    assert_eq!(seen[0].name, first.name);
    assert_eq!(seen[0].detail.as_deref(), Some(format!("file {} · {}", first.file_code, first.city).as_str()));
    let recent: Vec<_> = s.sf.stats().recent.into_iter().filter_map(|l| l.query).collect();
    assert_eq!(recent[0], "page=1&per_page=200");
    assert_eq!(session.api_calls(), 4);
    let other = session.targets(&TargetQuery { kind: "event".into(), ..query(0, None) }).await;
    assert!(matches!(other, Err(ConnectorError::Rejected { status: 0, .. })));
}

#[tokio::test]
async fn a_search_filters_the_list_here_across_pages() {
    let s = setup(SilverfinConfig { companies: 450, ..Default::default() }).await;
    let small_pages = SilverfinOptions { page_size: 50, ..s.options() };
    let session = s.session_with(small_pages, &creds(DEMO_ACCESS_TOKEN, s.sf.firm_id()));
    let expected: Vec<String> =
        s.sf.data()
            .companies()
            .iter()
            .filter(|c| c.name.to_lowercase().contains("élise"))
            .map(|c| c.id.to_string())
            .collect();
    assert!(expected.len() > 3, "the seed has several");
    let Ok(page) = session.targets(&query(0, Some("  ELISE "))).await else { panic!("search") };
    assert_eq!(
        page.targets.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
        expected.iter().take(50).cloned().collect::<Vec<_>>()
    );
    assert_eq!(page.more, expected.len() > 50);
    assert_eq!(
        s.sf.stats().calls("GET /api/v4/f/{firm}/companies"),
        10,
        "450 companies in pages of 50, read to the end"
    );

    let Ok(by_code) = session.targets(&query(0, Some("D00321"))).await else { panic!("file code") };
    assert_eq!(by_code.targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec!["10321"]);
    let Ok(none) = session.targets(&query(0, Some("no such company"))).await else { panic!("none") };
    assert_eq!((none.targets.len(), none.more), (0, false));
}

#[tokio::test]
async fn each_item_kind_lands_where_the_docs_say_and_reads_back() {
    let s = setup(SilverfinConfig { companies: 5, ..Default::default() }).await;
    let session = s.session();
    let company = s.first_company();
    let report = item(ItemKind::Report, 1);
    let note = item(ItemKind::Note, 1);
    let todo = item(ItemKind::Todo, 1);
    let done = PushItem { done: true, ..item(ItemKind::Todo, 2) };
    let pushed_report = created(&session, company, &report).await;
    let pushed_note = created(&session, company, &note).await;
    let pushed_todo = created(&session, company, &todo).await;
    created(&session, company, &done).await;

    let docs = s.sf.data().documents(company);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id.to_string(), pushed_report.remote_id);
    assert_eq!(docs[0].name, format!("Verslag 1 [{}].pdf", report.marker));
    assert_eq!(
        (docs[0].content.clone(), docs[0].content_type.as_str()),
        (b"%PDF-1.7 report 1".to_vec(), "application/pdf")
    );

    let remarks = s.sf.data().remarks(company);
    assert_eq!(remarks.len(), 3);
    let period_2026 = company * 100 + 4; // years 2023..=2027: the 4th is 2026, the meeting's year
    assert!(remarks.iter().all(|r| r.period_id == period_2026));
    assert_eq!(pushed_note.remote_id, format!("{}|{period_2026}", remarks[0].id));
    assert_eq!(pushed_todo.remote_id, format!("{}|{period_2026}", remarks[1].id));
    assert!(!remarks[0].todo && remarks[1].todo && remarks[2].todo);
    assert_eq!(
        remarks[0].text,
        format!(
            "note 1\n\nText of note 1.\n\nFrom the meeting \"Jaarbespreking\" on 2026-11-21.\nKoppel ref: {}",
            note.marker
        )
    );
    assert!(remarks[1].text.contains("Text of todo 1.\nDue: 2026-12-01"), "{}", remarks[1].text);
    assert_eq!((remarks[1].done_at.is_some(), remarks[2].done_at.is_some()), (false, true));
    let stats = s.sf.stats();
    assert_eq!(
        (stats.documents_created, stats.remarks_created, stats.todos_created, stats.remarks_flagged),
        (1, 1, 2, 1)
    );
    assert_eq!(stats.calls("GET /api/v4/f/{firm}/companies/{company}/periods"), 1, "periods read once a session");
    assert_eq!(session.api_calls(), stats.total);
}

#[tokio::test]
async fn find_returns_what_an_earlier_attempt_stored_and_nothing_else() {
    let s = setup(SilverfinConfig { companies: 5, ..Default::default() }).await;
    let session = s.session();
    let company = s.first_company();
    for kind in [ItemKind::Report, ItemKind::Note, ItemKind::Todo] {
        let stored = item(kind, 1);
        let pushed = created(&session, company, &stored).await;
        let found = session.find(&target(company), &stored).await;
        assert_eq!(found.ok().flatten(), Some(pushed), "{kind:?}");
        let missing = session.find(&target(company), &item(kind, 2)).await;
        assert_eq!(missing.ok().flatten(), None, "{kind:?}");
    }
    // A later session (no period cache) finds them too, in a company with other items around.
    let other = s.first_company() + 1;
    created(&session, other, &item(ItemKind::Note, 1)).await;
    let fresh = s.session();
    let found = fresh.find(&target(company), &item(ItemKind::Note, 1)).await.ok().flatten();
    assert_eq!(found.map(|p| p.remote_id.split('|').count()), Some(2));
}

#[tokio::test]
async fn a_changed_report_replaces_the_earlier_version() {
    let s = setup(SilverfinConfig { companies: 5, ..Default::default() }).await;
    let session = s.session();
    let company = s.first_company();
    let first = item(ItemKind::Report, 1);
    let earlier = created(&session, company, &first).await;
    let mut changed = first.clone();
    changed.file =
        Some(ItemFile { name: "Verslag 1.pdf".into(), mime: "application/pdf".into(), bytes: b"%PDF v2".to_vec() });
    let revision = session.revise(&target(company), &earlier, &changed).await;
    let Ok(Revision::Replaced(new)) = revision else { panic!("replaced: {revision:?}") };
    assert_ne!(new.remote_id, earlier.remote_id);
    let docs = s.sf.data().documents(company);
    assert_eq!(
        docs.iter().map(|d| (d.id.to_string(), d.content.clone())).collect::<Vec<_>>(),
        vec![(new.remote_id.clone(), b"%PDF v2".to_vec())]
    );
    assert_eq!(s.sf.stats().documents_deleted, 1);
}

#[tokio::test]
async fn a_changed_remark_text_is_unsupported_but_a_done_state_is_flagged() {
    let s = setup(SilverfinConfig { companies: 5, ..Default::default() }).await;
    let session = s.session();
    let company = s.first_company();
    let note = item(ItemKind::Note, 1);
    let pushed_note = created(&session, company, &note).await;
    let edited = PushItem { text: "New text.".into(), ..note.clone() };
    let revision = session.revise(&target(company), &pushed_note, &edited).await;
    let Ok(Revision::Unsupported { reason }) = revision else { panic!("unsupported: {revision:?}") };
    assert!(reason.contains("cannot change the text") && reason.contains("delete it in Silverfin"), "{reason}");
    assert!(s.sf.data().remarks(company)[0].text.contains("Text of note 1."), "left as it was");

    let todo = item(ItemKind::Todo, 1);
    let pushed_todo = created(&session, company, &todo).await;
    let ticked = PushItem { done: true, ..todo.clone() };
    let revision = session.revise(&target(company), &pushed_todo, &ticked).await;
    assert_eq!(revision.ok(), Some(Revision::Updated(pushed_todo.clone())));
    assert!(s.sf.data().remarks(company)[1].done_at.is_some());
    let reopened_and_edited = PushItem { done: false, title: "todo 1 (v2)".into(), ..todo.clone() };
    let revision = session.revise(&target(company), &pushed_todo, &reopened_and_edited).await;
    let Ok(Revision::Unsupported { reason }) = revision else { panic!("unsupported: {revision:?}") };
    assert!(reason.ends_with("The to-do was opened again."), "{reason}");
    assert!(s.sf.data().remarks(company)[1].done_at.is_none());

    // Deleted in Silverfin: sending the change posts it anew.
    let (remark_id, period_id) = pushed_note.remote_id.split_once('|').unwrap_or_default();
    assert!(s.sf.data().delete_remark(period_id.parse().unwrap_or_default(), remark_id.parse().unwrap_or_default()));
    let revision = session.revise(&target(company), &pushed_note, &edited).await;
    let Ok(Revision::Replaced(again)) = revision else { panic!("replaced: {revision:?}") };
    assert_ne!(again, pushed_note);
    assert!(s.sf.data().remarks(company).iter().any(|r| r.text.contains("New text.")));
}

#[tokio::test]
async fn notes_need_a_period_and_follow_the_meeting_date() {
    let s = setup(SilverfinConfig { companies: 5, ..Default::default() }).await;
    let session = s.session();
    let company = s.first_company();
    let later = PushItem {
        meeting_at: Utc.with_ymd_and_hms(2031, 2, 1, 9, 0, 0).single().unwrap_or_default(),
        ..item(ItemKind::Note, 1)
    };
    created(&session, company, &later).await;
    assert_eq!(s.sf.data().remarks(company)[0].period_id, company * 100 + 5, "after the last period: the last one");

    let bare = company + 1;
    s.sf.data().set_periods(bare, vec![]);
    let posts_before = s.sf.stats().calls_ending("/remarks");
    let result = session.create(&target(bare), &item(ItemKind::Todo, 1)).await;
    let Err(ConnectorError::Rejected { status: 0, message, .. }) = result else { panic!("{result:?}") };
    assert!(message.contains("has no periods"), "{message}");
    assert_eq!(s.sf.stats().calls_ending("/remarks"), posts_before, "nothing posted");
}
