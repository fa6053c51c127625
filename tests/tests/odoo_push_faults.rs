//! The Odoo connector when things go wrong: a create whose answer never came (stored anyway) is
//! found by its marker, a 5xx on a create is not repeated, a 429 is waited out (recording
//! sleeper), Odoo's own message reaches the user, a deleted target says to pick it again, and a
//! wrong, revoked or other database's key is refused with the hint.

use std::sync::Arc;

use koppel_connectors::http::{Jitter, RecordingSleeper, RetryPolicy};
use koppel_connectors::odoo::{OdooMeetings, OdooOptions, OdooSession};
use koppel_core::ports::meeting::{ItemFile, ItemKind, MeetingApi, PushItem, Revision, TargetRef};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_sandbox::odoo::{
    ACTIVITY, ATTACHMENT, MESSAGE, OdooConfig, OdooFault, OdooKey, OdooSandbox, PARTNER, RunningOdoo,
};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;

struct Setup {
    odoo: RunningOdoo,
    sleeper: RecordingSleeper,
}

async fn setup() -> Setup {
    let config = OdooConfig {
        partners: 20,
        events: 5,
        databases: vec!["firm".into(), "other".into()],
        keys: vec![OdooKey::new("firm", "firm-key-0123456789"), OdooKey::new("other", "other-key-0123456789")],
        events_around: now(),
        ..OdooConfig::default()
    };
    match OdooSandbox::new(config).start_local().await {
        Ok(odoo) => Setup { odoo, sleeper: RecordingSleeper::new() },
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

impl Setup {
    fn session_with(&self, database: &str, key: &str) -> OdooSession {
        let creds = Credentials::new()
            .with("server_url", SecretString::from(self.odoo.base_url()))
            .with("database", SecretString::from(database.to_string()))
            .with("api_key", SecretString::from(key.to_string()));
        let options = OdooOptions {
            retry: RetryPolicy { jitter: Jitter::Fixed(0.0), ..RetryPolicy::default() },
            sleeper: Arc::new(self.sleeper.clone()),
            clock: Arc::new(TestClock::at(now())),
            ..OdooOptions::default()
        };
        let factory = OdooMeetings::with_options(options).unwrap_or_else(|e| panic!("factory: {e}"));
        factory.open_session(&creds).unwrap_or_else(|e| panic!("session: {e}"))
    }
    fn session(&self) -> OdooSession {
        self.session_with("firm", "firm-key-0123456789")
    }
    fn partner(&self) -> (i64, TargetRef) {
        let id = self.odoo.data().ids(PARTNER)[0];
        (id, TargetRef { kind: "partner".into(), id: id.to_string(), folder: None, name: Some("Acme".into()) })
    }
}

fn item(kind: ItemKind, n: u32) -> PushItem {
    PushItem {
        meeting_id: "meeting-9".into(),
        item_id: format!("{}-{n}", kind.as_str()),
        kind,
        marker: format!("koppel-{:020x}", 0xfeed00 + u64::from(n)),
        title: format!("Item {n}"),
        text: "Text".into(),
        file: (kind == ItemKind::Report).then(|| ItemFile {
            name: "Verslag.pdf".into(),
            mime: "application/pdf".into(),
            bytes: b"%PDF-1.7".to_vec(),
        }),
        due: None,
        done: false,
        meeting_title: "Opvolging".into(),
        meeting_at: now(),
        parent: None,
        links: vec![],
    }
}

#[tokio::test]
async fn an_item_stored_without_an_answer_is_found_not_sent_twice() {
    let s = setup().await;
    let api = s.session();
    let (id, target) = s.partner();
    let data = s.odoo.data();
    for (kind, route) in [
        (ItemKind::Note, "res.partner/message_post"),
        (ItemKind::Todo, "mail.activity/create"),
        (ItemKind::Report, "res.partner/message_post"),
    ] {
        let it = item(kind, kind as u32);
        s.odoo.faults().inject(OdooFault::cut_after_store(1).on(route));
        let before = s.odoo.stats().rpc(route);
        let e = api.create(&target, &it).await.err();
        assert!(matches!(e, Some(ConnectorError::Transport { .. })), "{kind:?}: {e:?}");
        assert_eq!(s.odoo.stats().rpc(route) - before, 1, "{kind:?}: no blind retry");
        let found = api.find(&target, &it).await.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let Some(found) = found else { panic!("{kind:?} not found") };
        match kind {
            ItemKind::Note => {
                assert!(data.messages_on(PARTNER, id).iter().any(|m| m.id.to_string() == found.remote_id))
            }
            ItemKind::Todo => {
                assert!(data.activities_on(PARTNER, id).iter().any(|a| a.id.to_string() == found.remote_id))
            }
            _ => {
                let a = data.attachments_on(PARTNER, id);
                assert_eq!(a.len(), 1);
                assert!(found.remote_id.starts_with(&format!("{}|", a[0].id)), "{}", found.remote_id);
            }
        }
    }
    let stats = s.odoo.stats();
    // One note, one report message, one of each record: nothing was made twice.
    assert_eq!((stats.created(MESSAGE), stats.created(ACTIVITY), stats.created(ATTACHMENT)), (2, 1, 1));
}

#[tokio::test]
async fn an_attachment_found_without_its_message_gets_the_message_on_revise() {
    let s = setup().await;
    let api = s.session();
    let (id, target) = s.partner();
    let report = item(ItemKind::Report, 11);
    s.odoo.faults().inject(OdooFault::cut_after_store(1).on("ir.attachment/create"));
    assert!(matches!(api.create(&target, &report).await, Err(ConnectorError::Transport { .. })));
    let found = api.find(&target, &report).await.ok().flatten();
    let attachment = s.odoo.data().attachments_on(PARTNER, id)[0].id;
    assert_eq!(found.as_ref().map(|p| p.remote_id.clone()), Some(attachment.to_string()));
    let Some(found) = found else { panic!("found") };
    let r = api.revise(&target, &found, &report).await.unwrap_or_else(|e| panic!("{e}"));
    let messages = s.odoo.data().messages_on(PARTNER, id);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].attachment_ids, vec![attachment]);
    assert!(matches!(r, Revision::Updated(p) if p.remote_id == format!("{attachment}|{}", messages[0].id)));
}

#[tokio::test]
async fn a_server_error_on_a_create_is_not_repeated_and_nothing_is_found() {
    let s = setup().await;
    let api = s.session();
    let (id, target) = s.partner();
    let note = item(ItemKind::Note, 20);
    s.odoo.faults().inject(OdooFault::server_error(1, 503).on("res.partner/message_post"));
    let e = api.create(&target, &note).await.err();
    assert!(matches!(e, Some(ConnectorError::Server { status: 503, .. })), "{e:?}");
    assert_eq!(s.odoo.stats().rpc("res.partner/message_post"), 1, "exactly one request");
    assert!(s.sleeper.waits().is_empty());
    assert!(s.odoo.data().messages_on(PARTNER, id).is_empty());
    assert_eq!(api.find(&target, &note).await.ok(), Some(None));
    // Reads are retried: a 502 on the lookup is waited out.
    s.odoo.faults().server_error(1, 502);
    assert_eq!(api.find(&target, &note).await.ok(), Some(None));
    assert_eq!(s.sleeper.waits().len(), 1);
}

#[tokio::test]
async fn too_many_requests_are_waited_out_as_odoo_asks() {
    let s = setup().await;
    let api = s.session();
    let (id, target) = s.partner();
    s.odoo.faults().inject(OdooFault::rate_limit(2, 7).on("mail.activity/create"));
    let pushed = api.create(&target, &item(ItemKind::Todo, 30)).await.unwrap_or_else(|e| panic!("{e}"));
    let waits: Vec<u64> = s.sleeper.waits().iter().map(|d| d.as_secs()).collect();
    assert_eq!(waits, vec![7, 7]);
    assert_eq!(s.odoo.stats().rpc("mail.activity/create"), 3);
    assert_eq!(
        s.odoo.data().activities_on(PARTNER, id).iter().map(|a| a.id.to_string()).collect::<Vec<_>>(),
        vec![pushed.remote_id]
    );
}

#[tokio::test]
async fn odoos_own_message_reaches_the_user_and_never_its_traceback() {
    let s = setup().await;
    let api = s.session();
    let (_, target) = s.partner();
    s.odoo.faults().inject(OdooFault::user_error(1, "The activity type To-Do is archived.").on("mail.activity/create"));
    let e = api.create(&target, &item(ItemKind::Todo, 40)).await.err();
    let Some(ConnectorError::Rejected { status, message, .. }) = e else { panic!("rejected: {e:?}") };
    assert_eq!((status, message.as_str()), (422, "The activity type To-Do is archived."));
    s.odoo.faults().inject(
        OdooFault::refuse(1, 403, "odoo.exceptions.AccessError", "You may not post here.")
            .on("res.partner/message_post"),
    );
    let e = api.create(&target, &item(ItemKind::Note, 41)).await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Forbidden { message, .. }) if message == "You may not post here."),
        "{e:?}"
    );
    assert!(!format!("{e:?}").contains("Traceback"));
}

#[tokio::test]
async fn a_deleted_target_says_to_pick_it_again_and_leaves_nothing_behind() {
    let s = setup().await;
    let api = s.session();
    let (id, target) = s.partner();
    assert!(s.odoo.data().remove(PARTNER, id));
    for kind in [ItemKind::Note, ItemKind::Report, ItemKind::Todo] {
        let e = api.create(&target, &item(kind, 50 + kind as u32)).await.err();
        assert!(
            matches!(&e, Some(ConnectorError::Rejected { status: 404, message, .. }) if message.contains("pick the target again") && message.contains("\"Acme\"")),
            "{kind:?}: {e:?}"
        );
    }
    let stats = s.odoo.stats();
    assert_eq!(
        (stats.created(ATTACHMENT), stats.deleted(ATTACHMENT)),
        (1, 1),
        "the report's attachment was removed again"
    );
    assert_eq!(s.odoo.data().count(ATTACHMENT), 0);
}

#[tokio::test]
async fn wrong_revoked_and_foreign_keys_are_refused_with_the_hint() {
    let s = setup().await;
    let cases = [("firm", "no-such-key"), ("firm", "other-key-0123456789")];
    for (db, key) in cases {
        let e = s.session_with(db, key).probe().await.err();
        assert!(
            matches!(&e, Some(ConnectorError::Unauthorized { hint, .. }) if hint.contains("3 months")),
            "{db} {key}: {e:?}"
        );
    }
    s.odoo.faults().revoke("firm-key-0123456789");
    let e = s.session().create(&s.partner().1, &item(ItemKind::Note, 60)).await.err();
    assert!(matches!(e, Some(ConnectorError::Unauthorized { .. })), "{e:?}");
    let e = s.session_with("nope", "firm-key-0123456789").probe().await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { status: 404, message, .. }) if message.contains("\"nope\"")),
        "{e:?}"
    );
    let shown = format!("{:?} {e:?}", s.session());
    assert!(!shown.contains("firm-key"), "no key in Debug or errors: {shown}");
    assert_eq!(s.odoo.stats().created(MESSAGE), 0);
}

#[tokio::test]
async fn an_address_that_is_not_odoo_is_named_in_the_test() {
    let s = setup().await;
    let creds = Credentials::new()
        .with("server_url", SecretString::from(format!("{}/not-odoo", s.odoo.base_url())))
        .with("database", SecretString::from("firm".to_string()))
        .with("api_key", SecretString::from("firm-key-0123456789".to_string()));
    let factory = OdooMeetings::with_options(OdooOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let e = factory.open_session(&creds).unwrap_or_else(|e| panic!("{e}")).probe().await.err();
    assert!(
        matches!(&e, Some(ConnectorError::Rejected { message, .. }) if message.contains("does not answer like an Odoo server (GET /web/version: HTTP 404)")),
        "{e:?}"
    );
}
