//! The Flexmail stand-in over HTTP: auth, HAL paging, e-mail search, contacts, validation
//! errors, interest subscriptions.

mod flexmail_common;

use flexmail_common::{Api, flexmail, items};
use koppel_sandbox::flexmail::{DEMO_ACCOUNT_ID, DEMO_TOKEN, FIRST_CONTACT_ID};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn basic_auth_is_required_on_every_route() {
    let sb = flexmail(5).await;
    for (user, password) in [(DEMO_ACCOUNT_ID, "wrong"), ("999", DEMO_TOKEN), ("", ""), (DEMO_ACCOUNT_ID, "")] {
        let api = Api::with(&sb, user, password);
        for path in ["/sources?limit=1", "/contacts", "/custom-fields", "/webhooks", "/contacts/10001"] {
            let answer = api.get(path).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{user}:{password} {path}");
            assert!(answer.body["message"].as_str().is_some_and(|m| !m.contains(DEMO_TOKEN)), "{}", answer.body);
            assert_eq!(answer.body["errors"], json!([]));
        }
    }
    let no_header = reqwest::Client::new().get(format!("{}/sources", sb.base_url())).send().await;
    assert_eq!(no_header.map(|r| r.status()).ok(), Some(StatusCode::UNAUTHORIZED));
    let bearer = reqwest::Client::new().get(format!("{}/sources", sb.base_url())).bearer_auth(DEMO_TOKEN).send().await;
    assert_eq!(bearer.map(|r| r.status()).ok(), Some(StatusCode::UNAUTHORIZED));

    let api = Api::new(&sb);
    let probe = api.get("/sources?limit=1").await;
    assert_eq!(probe.status, StatusCode::OK);
    assert_eq!(probe.body["total"], 1);
    assert_eq!(items(&probe.body)[0]["id"], 1);
    assert_eq!(items(&probe.body)[0]["name"], "Koppel");
    let stats = sb.stats();
    assert_eq!(stats.by_status.get(&401), Some(&22));
    assert_eq!(stats.calls("GET /sources"), 7);
    assert_eq!(stats.calls("GET /contacts/{id}"), 4);
    assert_eq!(stats.served, 1);
}

#[tokio::test]
async fn contacts_page_with_total_and_no_embedded_when_empty() {
    let sb = flexmail(1_234).await;
    let api = Api::new(&sb);
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = api.get(&format!("/contacts?limit=500&offset={offset}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!((page.body["total"].clone(), page.body["limit"].clone()), (json!(1_234), json!(500)));
        let rows = items(&page.body);
        seen.extend(rows.iter().map(|r| r["id"].as_u64().unwrap_or_default()));
        offset += 500;
        if rows.len() < 500 {
            break;
        }
    }
    assert_eq!(seen.len(), 1_234);
    assert_eq!(seen.first(), Some(&FIRST_CONTACT_ID));
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "id order, no repeats");

    let first = api.get("/contacts?limit=2").await;
    let rows = items(&first.body);
    assert_eq!(rows.len(), 2);
    let row = &rows[0];
    assert_eq!(row["email"], "contact1@example.be");
    assert!(row["subscribed"].is_boolean() && row["language"].is_string());
    let fields = row["custom_fields"].as_object().cloned().unwrap_or_default();
    let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(keys, ["acc_software", "city", "company", "customer_number"]);
    assert_eq!(row["_links"]["self"]["href"], format!("/contacts/{FIRST_CONTACT_ID}"));

    let past_end = api.get("/contacts?limit=500&offset=5000").await;
    assert_eq!(past_end.status, StatusCode::OK);
    assert_eq!(past_end.body["total"], 1_234);
    assert_eq!(past_end.body.get("_embedded"), None, "no _embedded on an empty page");
    let empty = flexmail(0).await;
    let answer = Api::new(&empty).get("/contacts?limit=500&offset=0").await;
    assert_eq!((answer.body["total"].clone(), answer.body.get("_embedded")), (json!(0), None));
}

#[tokio::test]
async fn limit_above_500_and_bad_paging_are_refused() {
    let sb = flexmail(3).await;
    let api = Api::new(&sb);
    let answer = api.get("/contacts?limit=501").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.body["message"].as_str().is_some_and(|m| m.contains("500")), "{}", answer.body);
    assert_eq!(answer.body["errors"][0]["field"], "limit");
    for path in
        ["/contacts?limit=0", "/contacts?limit=x", "/contacts?offset=-1", "/interests?limit=9999", "/sources?limit=501"]
    {
        assert_eq!(api.get(path).await.status, StatusCode::BAD_REQUEST, "{path}");
    }
    assert_eq!(api.get("/contacts?limit=500").await.status, StatusCode::OK);
    let default = api.get("/contacts").await;
    assert_eq!(default.body["limit"], 20);
}

#[tokio::test]
async fn email_search_is_exact_and_case_insensitive() {
    let sb = flexmail(50).await;
    let api = Api::new(&sb);
    let found = api.get("/contacts?email=CONTACT7%40Example.BE").await;
    assert_eq!(found.body["total"], 1);
    let rows = items(&found.body);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["email"], "contact7@example.be");
    assert_eq!(rows[0]["id"], FIRST_CONTACT_ID + 6);
    for missing in ["contact7%40example", "ontact7%40example.be", "nobody%40example.be"] {
        let answer = api.get(&format!("/contacts?email={missing}")).await;
        assert_eq!((answer.status, answer.body["total"].clone()), (StatusCode::OK, json!(0)), "{missing}");
        assert_eq!(answer.body.get("_embedded"), None);
    }
}

#[tokio::test]
async fn catalogues_have_the_documented_shapes() {
    let sb = flexmail(1).await;
    let api = Api::new(&sb);
    let fields = api.get("/custom-fields").await;
    let rows = items(&fields.body);
    let pairs: Vec<(Value, Value)> = rows.iter().map(|f| (f["name"].clone(), f["placeholder"].clone())).collect();
    assert!(pairs.contains(&(json!("acc_software"), json!("acc_software"))));
    assert!(pairs.contains(&(json!("Bedrijf"), json!("company"))));
    assert!(pairs.contains(&(json!("Stad"), json!("city"))));
    assert!(rows.iter().all(|f| f["id"].is_string() && f["type"].is_string()));
    let interests = api.get("/interests?limit=500&offset=0").await;
    let rows = items(&interests.body);
    let labels: Vec<&str> = rows.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["nieuwsbrief", "fiscaal", "events"]);
    assert_eq!(rows[0]["name"], "Nieuwsbrief");
    assert!(rows.iter().all(|i| i["id"].is_string() && i["visibility"].is_string() && i["description"].is_string()));
    let events = api.get("/webhook-events").await;
    assert_eq!(events.body["events"], json!(["contact.unsubscribed", "contact.clicked", "contact.bounced"]));
}

#[tokio::test]
async fn create_patch_and_validation_errors() {
    let sb = flexmail(3).await;
    let api = Api::new(&sb);
    let new = json!({"email": "Nieuw@Klant.be", "first_name": "Nele", "name": "Claes", "language": "nl", "source": 1,
                     "custom_fields": {"company": "Claes BV", "customer_number": 42}});
    let created = api.post("/contacts", new).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_u64().unwrap_or_default();
    assert_eq!(id, FIRST_CONTACT_ID + 3);
    assert_eq!(created.location.as_deref(), Some(format!("/contacts/{id}").as_str()));
    assert_eq!(created.body["custom_fields"]["company"], "Claes BV");
    assert_eq!(created.body["custom_fields"]["city"], Value::Null);
    assert_eq!(created.body["subscribed"], true);

    let again = api.post("/contacts", json!({"email": "nieuw@klant.BE", "language": "fr", "source": 1})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body["message"].as_str().is_some_and(|m| m.contains("already exists")));

    let invalid = api.post("/contacts", json!({"email": "not-an-email", "language": "es", "source": 2})).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        invalid.body["errors"].as_array().into_iter().flatten().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["email", "language", "source"]);
    assert!(invalid.body["message"].is_string());
    let missing = api.post("/contacts", json!({"email": "x@y.be", "language": "nl"})).await;
    assert_eq!(
        (missing.status, missing.body["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("source"))
    );
    let unknown_field = api
        .post("/contacts", json!({"email": "x@y.be", "language": "nl", "source": 1, "custom_fields": {"vat": "x"}}))
        .await;
    assert_eq!(unknown_field.body["errors"][0]["field"], "custom_fields.vat");
    let not_json = api.call(reqwest::Method::POST, "/contacts", Some(json!("text"))).await;
    assert_eq!(not_json.status, StatusCode::UNPROCESSABLE_ENTITY);

    let patched = api
        .patch(
            &format!("/contacts/{id}"),
            json!({"first_name": "Nelle", "language": "FR", "custom_fields": {"company": null, "city": "Gent"}}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::NO_CONTENT);
    let row = api.get(&format!("/contacts/{id}")).await.body;
    assert_eq!(
        (row["first_name"].clone(), row["name"].clone(), row["language"].clone()),
        (json!("Nelle"), json!("Claes"), json!("fr"))
    );
    assert_eq!(
        (row["custom_fields"]["company"].clone(), row["custom_fields"]["city"].clone()),
        (Value::Null, json!("Gent"))
    );
    assert_eq!(row["custom_fields"]["customer_number"], 42);
    let bad_patch = api.patch(&format!("/contacts/{id}"), json!({"language": "xx"})).await;
    assert_eq!(bad_patch.status, StatusCode::UNPROCESSABLE_ENTITY);
    let taken = api.patch(&format!("/contacts/{id}"), json!({"email": "contact1@example.be"})).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(api.patch("/contacts/1", json!({"name": "x"})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(api.get("/contacts/abc").await.status, StatusCode::NOT_FOUND);
    assert_eq!(sb.data().contact(id).map(|c| c.first_name), Some(Some("Nelle".to_string())));
}

#[tokio::test]
async fn interest_subscriptions_subscribe_and_unsubscribe() {
    let sb = flexmail(2).await;
    let api = Api::new(&sb);
    let created = api.post("/contacts", json!({"email": "i@x.be", "language": "nl", "source": 1})).await;
    let id = created.body["id"].as_u64().unwrap_or_default();
    let Some(fiscaal) = sb.data().interest_by_label("fiscaal") else { panic!("fiscaal exists") };
    let path = format!("/contacts/{id}/interest-subscriptions");
    let first = api.post(&path, json!({"interest_id": fiscaal.id})).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(api.post(&path, json!({"interest_id": fiscaal.id})).await.status, StatusCode::CONFLICT);
    assert_eq!(api.post(&path, json!({"interest_id": "nope"})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        api.post("/contacts/5/interest-subscriptions", json!({"interest_id": fiscaal.id})).await.status,
        StatusCode::NOT_FOUND
    );
    let list = api.get(&path).await;
    assert_eq!(items(&list.body)[0]["interest_id"], json!(fiscaal.id));
    assert_eq!(sb.data().contact(id).map(|c| c.interests), Some(vec![fiscaal.id.clone()]));
    let delete = format!("{path}/{}", fiscaal.id);
    assert_eq!(api.delete(&delete).await.status, StatusCode::NO_CONTENT);
    assert_eq!(api.delete(&delete).await.status, StatusCode::NOT_FOUND, "already gone");
    assert_eq!(sb.data().contact(id).map(|c| c.interests), Some(Vec::new()));
    let empty = api.get(&path).await;
    assert_eq!((empty.body["total"].clone(), empty.body.get("_embedded")), (json!(0), None));
    assert_eq!(api.post(&format!("/contacts/{id}/unsubscribe"), json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(api.get(&format!("/contacts/{id}")).await.body["subscribed"], false);
}
