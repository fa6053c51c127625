//! Bulk imports end to end: create, records (≤ 500 per call), start, poll; upsert by e-mail,
//! interests by label, unsubscribed contacts ignored.

mod flexmail_common;

use flexmail_common::{Api, flexmail};
use koppel_sandbox::flexmail::ImportStatus;
use reqwest::StatusCode;
use serde_json::{Value, json};

const IMPORT_ID: &str = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

#[tokio::test]
async fn import_upserts_by_email_and_ignores_unsubscribed() {
    let sb = flexmail(10).await;
    let api = Api::new(&sb);
    assert!(sb.data().unsubscribe("contact3@example.be"));
    let before = sb.data().contact_by_email("contact3@example.be");

    let created =
        api.post("/contacts/imports", json!({"id": IMPORT_ID, "resubscribe_blacklisted_contacts": false})).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["status"], "idle");
    let path = format!("/contacts/imports/{IMPORT_ID}");
    assert_eq!(api.get(&path).await.body["status"], "idle");

    let records = json!([
        {"email": "new1@klant.be", "first_name": "Ann", "name": "Maes", "language": "nl",
         "custom_fields": {"company": "Maes NV", "acc_software": "SnelStart"}, "interest_labels": ["nieuwsbrief", "fiscaal"]},
        {"email": "CONTACT1@example.be", "first_name": "Changed", "name": "Name", "language": "fr",
         "custom_fields": {"city": "Gent"}, "interest_labels": ["events"]},
        {"email": "contact3@example.be", "first_name": "Should", "name": "Not", "language": "nl",
         "custom_fields": {}, "interest_labels": ["nieuwsbrief"]},
    ]);
    assert_eq!(api.post(&format!("{path}/records"), records).await.status, StatusCode::NO_CONTENT);
    let more = json!([{"email": "new2@klant.be", "first_name": "Bo", "name": "Claes", "language": "de", "custom_fields": {}, "interest_labels": []},
                      {"email": "not an email", "language": "nl"},
                      {"email": "new3@klant.be", "language": "es"}]);
    assert_eq!(api.post(&format!("{path}/records"), more).await.status, StatusCode::NO_CONTENT);
    assert_eq!(sb.data().contact_by_email("new1@klant.be"), None, "nothing happens before the start");

    assert_eq!(api.patch(&path, json!({"status": "queued"})).await.status, StatusCode::NO_CONTENT);
    let done = api.get(&path).await.body;
    assert_eq!(done["status"], "finished");
    assert_eq!(done["report"], json!({"total_added": 2, "total_updated": 1, "total_ignored": 3}));
    assert!(done["message"].is_string());

    let data = sb.data();
    let Some(new1) = data.contact_by_email("new1@klant.be") else { panic!("new1 added") };
    assert_eq!((new1.first_name.as_deref(), new1.language.as_str(), new1.subscribed), (Some("Ann"), "nl", true));
    assert_eq!(new1.custom_fields.get("company"), Some(&json!("Maes NV")));
    let labels = |ids: &[String]| -> Vec<String> {
        data.interests().into_iter().filter(|i| ids.contains(&i.id)).map(|i| i.label).collect()
    };
    assert_eq!(labels(&new1.interests), ["nieuwsbrief", "fiscaal"]);
    let Some(updated) = data.contact_by_email("contact1@example.be") else { panic!("contact1 exists") };
    assert_eq!((updated.first_name.as_deref(), updated.language.as_str()), (Some("Changed"), "fr"));
    assert_eq!(updated.custom_fields.get("city"), Some(&json!("Gent")));
    assert!(labels(&updated.interests).contains(&"events".to_string()));
    assert_eq!(data.contact_by_email("contact3@example.be"), before, "an unsubscribed contact is left alone");
    assert_eq!(data.contact_by_email("new3@klant.be"), None);
    assert_eq!(data.contact_count(), 12);
    assert_eq!(data.import(IMPORT_ID).map(|i| i.status), Some(ImportStatus::Finished));

    let rows = api.get("/contacts?email=new1%40klant.be").await.body;
    assert_eq!(rows["total"], 1);
    assert_eq!(api.patch(&path, json!({"status": "queued"})).await.status, StatusCode::CONFLICT, "runs once");
    assert_eq!(api.post(&format!("{path}/records"), json!([])).await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn resubscribe_flag_lets_an_import_resubscribe() {
    let sb = flexmail(3).await;
    let api = Api::new(&sb);
    assert!(sb.data().unsubscribe("contact2@example.be"));
    let id = "0e0b7c7a-1d2e-4f3a-9b8c-7d6e5f4a3b2c";
    assert_eq!(
        api.post("/contacts/imports", json!({"id": id, "resubscribe_blacklisted_contacts": true})).await.status,
        StatusCode::CREATED
    );
    let path = format!("/contacts/imports/{id}");
    let _ = api.post(&format!("{path}/records"), json!([{"email": "contact2@example.be", "name": "Terug"}])).await;
    let _ = api.patch(&path, json!({"status": "queued"})).await;
    assert_eq!(api.get(&path).await.body["report"]["total_updated"], 1);
    let contact = sb.data().contact_by_email("contact2@example.be");
    assert_eq!(contact.map(|c| (c.subscribed, c.name)), Some((true, Some("Terug".to_string()))));
}

#[tokio::test]
async fn import_calls_are_checked() {
    let sb = flexmail(1).await;
    let api = Api::new(&sb);
    assert_eq!(
        api.post("/contacts/imports", json!({"id": "not-a-uuid"})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(api.post("/contacts/imports", json!({"id": IMPORT_ID})).await.status, StatusCode::CREATED);
    assert_eq!(api.post("/contacts/imports", json!({"id": IMPORT_ID})).await.status, StatusCode::CONFLICT);
    let path = format!("/contacts/imports/{IMPORT_ID}");
    let too_many: Vec<Value> = (0..501).map(|i| json!({"email": format!("r{i}@x.be"), "language": "nl"})).collect();
    let answer = api.post(&format!("{path}/records"), Value::Array(too_many)).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.body["message"].as_str().is_some_and(|m| m.contains("500")));
    let just_enough: Vec<Value> = (0..500).map(|i| json!({"email": format!("r{i}@x.be"), "language": "nl"})).collect();
    assert_eq!(api.post(&format!("{path}/records"), Value::Array(just_enough)).await.status, StatusCode::NO_CONTENT);
    let shapeless = api.post(&format!("{path}/records"), json!([{"first_name": "no email"}, 3])).await;
    assert_eq!(shapeless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(shapeless.body["errors"].as_array().map(Vec::len), Some(2));
    assert_eq!(api.patch(&path, json!({"status": "finished"})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.get("/contacts/imports/0e0b7c7a-0000-4000-8000-000000000000").await.status, StatusCode::NOT_FOUND);
    assert_eq!(api.patch(&path, json!({"status": "queued"})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(api.get(&path).await.body["report"]["total_added"], 500);
    assert_eq!(sb.data().contact_count(), 501);
}
