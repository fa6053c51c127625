//! `GET`/`PUT /connections/{id}/link-rules`: every problem at once, test before save, what was
//! saved comes back, and visibility hides a connection from users outside it.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use koppel_runtime::http::auth::dev_token_for;
use secrecy::SecretString;
use serde_json::{Value, json};

fn rules_path(id: &str) -> String {
    format!("/connections/{id}/link-rules")
}

/// `method path` as a user with groups of `tenant`.
async fn as_user(
    h: &Harness,
    tenant: &str,
    user: &str,
    groups: &[&str],
    method: Method,
    path: &str,
    body: Option<Value>,
) -> TestResult<Answer> {
    let token = dev_token_for(&SecretString::from(DEV_SECRET), tenant, Some(user), groups, 300);
    let req = Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
    let req = match body {
        Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string()))?,
        None => req.body(Body::empty())?,
    };
    h.send(req).await
}

async fn put(h: &Harness, tenant: &str, id: &str, body: Value) -> TestResult<Answer> {
    h.call(Some(tenant), Method::PUT, &rules_path(id), Some(body)).await
}

fn good_rules() -> Value {
    json!({
        "visibility": {"kind": "all_users"},
        "fields": [
            {"field": "email", "direction": "off", "order": 0},
            {"field": "city", "direction": "both", "list_values": {"A'dam": "Amsterdam"}, "order": 2},
            {"field": "phone", "direction": "to_platform", "default_value": "onbekend", "order": 1}
        ],
        "priority": 1
    })
}

#[tokio::test]
async fn every_problem_is_listed_at_once_and_nothing_is_stored() -> TestResult {
    let h = harness()?;
    let id = h.tested_connection("t1").await?;
    let before = h.get("t1", &format!("/connections/{id}")).await?.json;
    let bad = json!({
        "visibility": {"kind": "named", "users": [""], "groups": []},
        "fields": [
            {"field": "colour", "direction": "both"},
            {"field": "email", "direction": "both"},
            {"field": "email", "direction": "off"},
            {"field": "contact_person", "direction": "both"},
            {"field": "city", "direction": "both", "list_values": {"": "Amsterdam", "x": ""}},
            {"field": "phone", "direction": "sideways"},
            {"field": "name", "direction": "off"}
        ],
        "priority": 0,
        "priorty": 2
    });
    let a = put(&h, "t1", &id, bad).await?;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
    let fields: Vec<&str> =
        a.json["problems"].as_array().ok_or("no problems")?.iter().filter_map(|p| p["field"].as_str()).collect();
    for expected in [
        "priorty",
        "fields[5]",
        "fields[0].field",
        "fields[2].field",
        "fields[3].field",
        "fields[4].list_values",
        "fields[6].default_value",
        "priority",
        "visibility.users[0]",
    ] {
        assert!(fields.contains(&expected), "{expected} missing in {fields:?}");
    }
    assert_eq!(fields.iter().filter(|f| **f == "fields[4].list_values").count(), 2, "{fields:?}");
    let text = a.text.to_lowercase();
    assert!(text.contains("use one of name, customer_number"), "says which fields exist: {}", a.text);
    assert!(text.contains("to_platform, to_provider, both, off"), "says which directions exist: {}", a.text);
    assert_eq!(h.get("t1", &format!("/connections/{id}")).await?.json, before, "nothing stored");
    let not_json = h.call(Some("t1"), Method::PUT, &rules_path(&id), Some(json!([1]))).await?;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST, "{}", not_json.text);
    Ok(())
}

#[tokio::test]
async fn the_test_must_pass_before_the_link_can_be_saved() -> TestResult {
    let h = harness()?;
    let id = h.create_connection("t1").await?;
    let early = put(&h, "t1", &id, good_rules()).await?;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text);
    assert!(early.json["message"].as_str().unwrap_or_default().contains("the test must pass"), "{}", early.text);
    assert!(early.json["hint"].as_str().unwrap_or_default().contains("Run Test first"), "{}", early.text);

    h.sources.fail.store(true, std::sync::atomic::Ordering::SeqCst);
    let failed = h.call(Some("t1"), Method::POST, &format!("/connections/{id}/test"), None).await?;
    assert_eq!(failed.json["ok"], json!(false), "{}", failed.text);
    let still = put(&h, "t1", &id, good_rules()).await?;
    assert_eq!(still.status, StatusCode::CONFLICT, "a failed test is not enough: {}", still.text);
    assert!(still.json["message"].as_str().unwrap_or_default().contains("the last test failed"), "{}", still.text);
    assert_eq!(h.get("t1", &rules_path(&id)).await?.json, json!({"visibility": {"kind": "all_users"}, "fields": []}));

    h.sources.fail.store(false, std::sync::atomic::Ordering::SeqCst);
    h.call(Some("t1"), Method::POST, &format!("/connections/{id}/test"), None).await?;
    let before = h.get("t1", &format!("/connections/{id}")).await?.json;
    let saved = put(&h, "t1", &id, good_rules()).await?;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(saved.json, good_rules());
    assert_eq!(h.get("t1", &rules_path(&id)).await?.json, good_rules(), "GET returns what was saved");

    // Saving changed nothing else.
    let after = h.get("t1", &format!("/connections/{id}")).await?.json;
    assert_eq!(after["link"], good_rules());
    for key in ["status", "last_test", "name", "settings", "matching_key", "interval_minutes", "link_only"] {
        assert_eq!(after[key], before[key], "{key} changed");
    }
    Ok(())
}

#[tokio::test]
async fn a_named_visibility_hides_the_connection_from_other_users() -> TestResult {
    let h = harness()?;
    let id = h.tested_connection("t1").await?;
    let other = h.tested_connection("t1").await?;
    let rules = json!({"visibility": {"kind": "named", "users": ["anna"], "groups": ["sales"]}, "fields": []});

    // A user saving a visibility that leaves them out is told so.
    let locked_out =
        as_user(&h, "t1", "bert", &["support"], Method::PUT, &rules_path(&id), Some(rules.clone())).await?;
    assert_eq!(locked_out.status, StatusCode::BAD_REQUEST, "{}", locked_out.text);
    assert_eq!(locked_out.json["problems"][0]["field"], "visibility");

    let saved = as_user(&h, "t1", "anna", &[], Method::PUT, &rules_path(&id), Some(rules.clone())).await?;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);

    let ids = |a: &Answer| -> Vec<String> {
        a.json["items"].as_array().into_iter().flatten().filter_map(|c| c["id"].as_str().map(str::to_string)).collect()
    };
    // anna (named) and carl (in group sales) see it; bert (group support) does not.
    for (user, groups) in [("anna", &[][..]), ("carl", &["sales"][..])] {
        let list = as_user(&h, "t1", user, groups, Method::GET, "/connections", None).await?;
        assert!(ids(&list).contains(&id), "{user} sees it: {}", list.text);
        let one = as_user(&h, "t1", user, groups, Method::GET, &format!("/connections/{id}"), None).await?;
        assert_eq!(one.status, StatusCode::OK, "{user}: {}", one.text);
        let r = as_user(&h, "t1", user, groups, Method::GET, &rules_path(&id), None).await?;
        assert_eq!((r.status, &r.json), (StatusCode::OK, &rules), "{user}");
    }
    let list = as_user(&h, "t1", "bert", &["support"], Method::GET, "/connections", None).await?;
    assert_eq!(ids(&list), vec![other], "bert sees only the other connection");
    for path in [format!("/connections/{id}"), rules_path(&id)] {
        let hidden = as_user(&h, "t1", "bert", &["support"], Method::GET, &path, None).await?;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{path}: {}", hidden.text);
        assert_eq!(hidden.json["message"], format!("connection {id} not found"), "same answer as a missing one");
    }
    let overwrite = as_user(&h, "t1", "bert", &[], Method::PUT, &rules_path(&id), Some(good_rules())).await?;
    assert_eq!(overwrite.status, StatusCode::NOT_FOUND, "bert cannot change rules he cannot see");
    // A service call (a token without sub) sees everything.
    let service = h.get("t1", "/connections").await?;
    assert_eq!(ids(&service).len(), 2, "{}", service.text);
    assert_eq!(h.get("t1", &format!("/connections/{id}")).await?.status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn another_tenants_rules_are_not_found_and_stay_untouched() -> TestResult {
    let h = harness()?;
    let id = h.tested_connection("owner").await?;
    assert_eq!(put(&h, "owner", &id, good_rules()).await?.status, StatusCode::OK);
    let read = h.get("intruder", &rules_path(&id)).await?;
    assert_eq!(read.status, StatusCode::NOT_FOUND, "{}", read.text);
    let write = put(&h, "intruder", &id, json!({"fields": []})).await?;
    assert_eq!(write.status, StatusCode::NOT_FOUND, "{}", write.text);
    let as_named = as_user(&h, "intruder", "anna", &[], Method::GET, &rules_path(&id), None).await?;
    assert_eq!(as_named.status, StatusCode::NOT_FOUND);
    assert_eq!(h.get("owner", &rules_path(&id)).await?.json, good_rules());
    let anonymous = h.call(None, Method::GET, &rules_path(&id), None).await?;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    Ok(())
}
