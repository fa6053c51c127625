use super::*;
use chrono::{DateTime, NaiveDate};
use koppel_core::ports::meeting::{ItemKind, ItemLink};

const MARKER: &str = "koppel-0123456789abcdef0123";

fn item(kind: ItemKind) -> PushItem {
    PushItem {
        meeting_id: "m-1".into(),
        item_id: "i-1".into(),
        kind,
        marker: MARKER.into(),
        title: "Jaarafsluiting".into(),
        text: "Besproken: de balans.".into(),
        file: None,
        due: None,
        done: false,
        meeting_title: "Adviesgesprek".into(),
        meeting_at: DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default(),
        parent: None,
        links: vec![],
    }
}

fn pdf() -> ItemFile {
    ItemFile { name: "Verslag \"Q4\".pdf".into(), mime: "application/pdf".into(), bytes: b"%PDF-1.4 body".to_vec() }
}

#[test]
fn the_interaction_carries_subject_date_text_and_marker() {
    let body = interaction_body("17", &item(ItemKind::Meeting));
    assert_eq!(body["relationId"], json!(17), "a numeric id goes back as a number");
    assert_eq!(body["subject"], json!("Jaarafsluiting"));
    assert_eq!(body["date"], json!("2026-11-18T11:06:40Z"));
    assert_eq!(body["text"], json!(format!("Besproken: de balans.\n\n(ref. {MARKER})")));
    assert_eq!(body["type"], json!("meeting"));
    let untitled = PushItem { title: " ".into(), ..item(ItemKind::Meeting) };
    assert_eq!(interaction_body("a-b", &untitled)["subject"], json!("Adviesgesprek"), "the meeting's title");
}

#[test]
fn a_note_holds_title_text_links_and_marker() {
    let links = vec![ItemLink { name: "Verslag".into(), url: "https://x/1".into() }];
    let body = note_body(&PushItem { links, ..item(ItemKind::Note) });
    assert_eq!(
        body,
        json!({"text": format!("Jaarafsluiting\n\nBesproken: de balans.\n\n- Verslag: https://x/1\n\n(ref. {MARKER})")})
    );
    let bare = note_body(&PushItem { title: String::new(), text: String::new(), ..item(ItemKind::Note) });
    assert_eq!(bare, json!({"text": format!("(ref. {MARKER})")}));
}

#[test]
fn a_todo_has_its_deadline_status_and_links() {
    let due = NaiveDate::from_ymd_opt(2026, 12, 1);
    let body = todo_body("r-1", Some("42"), &PushItem { due, done: true, ..item(ItemKind::Todo) });
    assert_eq!(body["relationId"], json!("r-1"));
    assert_eq!(body["interactionId"], json!(42));
    assert_eq!((body["deadline"].clone(), body["status"].clone()), (json!("2026-12-01"), json!(2)));
    let open = todo_body("r-1", None, &item(ItemKind::Todo));
    assert!(open.get("deadline").is_none() && open.get("interactionId").is_none(), "absent, not null: {open}");
    assert_eq!(open["status"], json!(0));
}

#[test]
fn the_document_form_is_well_formed_multipart() {
    let report = PushItem { file: Some(pdf()), parent: Some("42".into()), ..item(ItemKind::Report) };
    let form = document_form("r-1", Some("42"), &report, &pdf());
    let boundary = form.content_type.strip_prefix("multipart/form-data; boundary=").unwrap_or_default().to_string();
    assert!(boundary.starts_with("koppel-"), "{}", form.content_type);
    let text = String::from_utf8_lossy(&form.body).to_string();
    let parts: Vec<&str> = text.split(&format!("--{boundary}")).collect();
    assert_eq!(parts.len(), 7, "5 parts between the first boundary and the closing one: {text}");
    assert!(parts[1].contains("name=\"relationId\"") && parts[1].ends_with("\r\n\r\nr-1\r\n"));
    assert!(parts[2].contains("name=\"interactionId\"") && parts[2].ends_with("42\r\n"));
    assert!(parts[3].contains("name=\"name\"") && parts[3].ends_with("Jaarafsluiting\r\n"));
    let version = report_version(&report);
    assert!(parts[4].ends_with(&format!("(ref. {MARKER} v{version})\r\n")), "{}", parts[4]);
    assert!(parts[5].contains("name=\"file\"; filename=\"Verslag 'Q4'.pdf\""), "quotes cannot break the header");
    assert!(parts[5].contains("Content-Type: application/pdf\r\n\r\n%PDF-1.4 body\r\n"));
    assert_eq!(parts[6], "--\r\n");
}

#[test]
fn a_report_version_follows_its_content() {
    let a = PushItem { file: Some(pdf()), ..item(ItemKind::Report) };
    let mut changed = pdf();
    changed.bytes.push(b'!');
    let b = PushItem { file: Some(changed), ..item(ItemKind::Report) };
    assert_eq!(report_version(&a), report_version(&a.clone()));
    assert_ne!(report_version(&a), report_version(&b));
    assert_eq!(report_version(&a).len(), 12);
}

#[test]
fn ids_are_read_as_text() {
    assert_eq!(id_of(&json!({"id": 5})), Some("5".into()));
    assert_eq!(id_of(&json!({"id": " x "})), Some("x".into()));
    assert_eq!(id_of(&json!({"id": ""})), None);
    assert_eq!(id_of(&json!({"other": 1})), None);
}
