//! Connections through the router: setup validation, test before activation, schedules
//! following activation, interval and deletion. (Keys never leaking: `keys_never_leak.rs`.)

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use koppel_core::ports::secrets::SecretName;
use koppel_core::ports::{Scheduler, SecretStore, SecretsError};
use serde_json::json;

#[tokio::test]
async fn bad_setup_lists_every_problem_and_stores_nothing() -> TestResult {
    let h = harness()?;
    for start_date in ["31-02-2019", "01-01-2999"] {
        let mut form = valid_form();
        form["connection_key"] = json!("abc def");
        form["start_date"] = json!(start_date);
        form["matching_key"] = json!("kvk");
        let a = h.post("t1", "/connections", form).await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
        assert_eq!(a.json["error"], "invalid_input");
        let problems = a.json["problems"].as_array().ok_or("no problems")?;
        let fields: Vec<&str> = problems.iter().filter_map(|p| p["field"].as_str()).collect();
        assert_eq!(fields, ["connection_key", "matching_key", "start_date"], "{}", a.text);
        let message = |field: &str| {
            problems.iter().find(|p| p["field"] == field).and_then(|p| p["message"].as_str()).unwrap_or_default()
        };
        assert!(message("connection_key").contains("space at position 4"), "{}", a.text);
        assert!(message("matching_key").contains("\"kvk\""), "{}", a.text);
        let why = if start_date.starts_with("31") { "not a date" } else { "in the future" };
        assert!(message("start_date").contains(why), "{}", a.text);
        assert!(!a.text.contains("abc def"), "a key was echoed: {}", a.text);
    }
    let list = h.get("t1", "/connections").await?;
    assert_eq!(list.json, json!({"items": [], "next_page_token": null}));
    assert!(!h.secrets.secrets_path().exists(), "a secret was stored for a refused setup");
    Ok(())
}

#[tokio::test]
async fn activation_needs_a_passed_test_and_makes_the_schedule() -> TestResult {
    let h = harness()?;
    let id = h.create_connection("t1").await?;
    let schedule = format!("sync-{id}");

    let early = h.post("t1", &format!("/connections/{id}/activate"), json!({})).await?;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text);
    assert_eq!(early.json["error"], "conflict");
    assert!(early.json["hint"].as_str().unwrap_or_default().contains("Test"), "{}", early.text);

    h.sources.fail.store(true, std::sync::atomic::Ordering::SeqCst);
    let failed = h.call(Some("t1"), Method::POST, &format!("/connections/{id}/test"), None).await?;
    assert_eq!((failed.status, &failed.json["ok"]), (StatusCode::OK, &json!(false)), "{}", failed.text);
    let still = h.call(Some("t1"), Method::POST, &format!("/connections/{id}/activate"), None).await?;
    assert_eq!(still.status, StatusCode::CONFLICT);
    assert_eq!(h.scheduler.get(&schedule).await?, None);

    h.sources.fail.store(false, std::sync::atomic::Ordering::SeqCst);
    let passed = h.call(Some("t1"), Method::POST, &format!("/connections/{id}/test"), None).await?;
    assert_eq!(passed.json["ok"], true, "{}", passed.text);
    let active = h.call(Some("t1"), Method::POST, &format!("/connections/{id}/activate"), None).await?;
    assert_eq!((active.status, &active.json["status"]), (StatusCode::OK, &json!("active")), "{}", active.text);
    let made = h.scheduler.get(&schedule).await?.ok_or("no schedule after activation")?;
    assert_eq!((made.tenant_id.as_str(), made.connection_id.as_str(), made.interval_minutes), ("t1", &*id, 60));

    let patched =
        h.call(Some("t1"), Method::PATCH, &format!("/connections/{id}"), Some(json!({"interval_minutes": 15}))).await?;
    assert_eq!(patched.json["interval_minutes"], 15, "{}", patched.text);
    assert_eq!(h.scheduler.get(&schedule).await?.map(|s| s.interval_minutes), Some(15));

    let bad =
        h.call(Some("t1"), Method::PATCH, &format!("/connections/{id}"), Some(json!({"interval_minutes": 1}))).await?;
    assert_eq!((bad.status, &bad.json["problems"][0]["field"]), (StatusCode::BAD_REQUEST, &json!("interval_minutes")));

    let inactive = h.call(Some("t1"), Method::POST, &format!("/connections/{id}/deactivate"), None).await?;
    assert_eq!((inactive.status, &inactive.json["status"]), (StatusCode::OK, &json!("inactive")));
    assert_eq!(h.scheduler.get(&schedule).await?, None);
    Ok(())
}

#[tokio::test]
async fn delete_removes_the_connection_its_schedule_and_its_keys() -> TestResult {
    let h = harness()?;
    let id = h.tested_connection("t1").await?;
    let active = h.call(Some("t1"), Method::POST, &format!("/connections/{id}/activate"), None).await?;
    assert_eq!(active.status, StatusCode::OK);
    assert!(h.scheduler.get(&format!("sync-{id}")).await?.is_some());

    let deleted = h.call(Some("t1"), Method::DELETE, &format!("/connections/{id}"), None).await?;
    assert_eq!((deleted.status, deleted.text.as_str()), (StatusCode::NO_CONTENT, ""));
    assert_eq!(h.scheduler.get(&format!("sync-{id}")).await?, None);
    let secret = h.secrets.get(&SecretName::for_connection("test", "t1", &id)).await;
    assert!(matches!(secret, Err(SecretsError::NotFound)), "the keys are still stored");
    assert_eq!(h.get("t1", &format!("/connections/{id}")).await?.status, StatusCode::NOT_FOUND);
    let again = h.call(Some("t1"), Method::DELETE, &format!("/connections/{id}"), None).await?;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    Ok(())
}
