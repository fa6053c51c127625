//! Webhooks: register (checked), list, delete; fired events reach a receiver on 127.0.0.1
//! with the verification header and the contract's body.

mod flexmail_common;

use flexmail_common::{Api, flexmail, items, receiver};
use koppel_sandbox::flexmail::FIRST_CONTACT_ID;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn register_fire_and_receive_with_the_verification_header() {
    let sb = flexmail(5).await;
    let api = Api::new(&sb);
    let hook = receiver(200).await;
    let body =
        json!({"event_name": "contact.unsubscribed", "target_url": hook.url, "verification_token": "s3cret-token"});
    let registered = api.post("/webhooks", body).await;
    assert_eq!(registered.status, StatusCode::CREATED);
    assert_eq!(registered.body["event_name"], "contact.unsubscribed");
    assert_eq!(registered.body["target_url"], hook.url.as_str());
    assert_eq!(registered.body["enabled"], true);
    assert_eq!(registered.body.get("verification_token"), None, "the token is never printed");
    let listed = api.get("/webhooks").await;
    assert_eq!(items(&listed.body).len(), 1);

    assert_eq!(
        sb.fire_webhook("contact.unsubscribed", "contact2@example.be", json!({"campaign": "Mei"})).await,
        Ok(200)
    );
    let got = hook.all();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].token.as_deref(), Some("s3cret-token"));
    assert!(got[0].content_type.as_deref().is_some_and(|c| c.starts_with("application/json")));
    let event = &got[0].body;
    assert_eq!(event["event_name"], "contact.unsubscribed");
    assert_eq!(event["contact"], json!({"id": FIRST_CONTACT_ID + 1, "email": "contact2@example.be"}));
    assert_eq!(event["data"], json!({"campaign": "Mei"}));
    assert!(event["id"].as_str().is_some_and(|id| !id.is_empty()));
    let created_at = event["created_at"].as_str().unwrap_or_default();
    assert!(chrono::DateTime::parse_from_rfc3339(created_at).is_ok(), "{created_at}");
    assert_eq!(sb.data().contact_by_email("contact2@example.be").map(|c| c.subscribed), Some(false));

    assert!(sb.fire_webhook("contact.clicked", "contact2@example.be", json!({})).await.is_err(), "nothing registered");
    assert!(sb.fire_webhook("contact.unsubscribed", "nobody@x.be", json!({})).await.is_err());
    let id = registered.body["id"].as_u64().unwrap_or_default();
    assert_eq!(api.delete(&format!("/webhooks/{id}")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(api.delete(&format!("/webhooks/{id}")).await.status, StatusCode::NOT_FOUND);
    let empty = api.get("/webhooks").await;
    assert_eq!((empty.body["total"].clone(), empty.body.get("_embedded")), (json!(0), None));
    assert_eq!(sb.stats().webhooks_fired, 1);
}

#[tokio::test]
async fn every_webhook_for_the_event_gets_it_and_statuses_come_back() {
    let sb = flexmail(2).await;
    let api = Api::new(&sb);
    let (ok, failing) = (receiver(204).await, receiver(500).await);
    for url in [&ok.url, &failing.url] {
        let body = json!({"event_name": "contact.bounced", "target_url": url, "verification_token": "t"});
        assert_eq!(api.post("/webhooks", body).await.status, StatusCode::CREATED);
    }
    let deliveries = sb.fire_webhooks("contact.bounced", "contact1@example.be", json!({"reason": "hard"})).await;
    let Ok(deliveries) = deliveries else { panic!("fired") };
    let statuses: Vec<Option<u16>> = deliveries.iter().map(|d| d.status).collect();
    assert_eq!(statuses, [Some(204), Some(500)]);
    assert_eq!(deliveries[0].event_id, deliveries[1].event_id, "one event, two deliveries");
    assert_eq!((ok.all().len(), failing.all().len()), (1, 1));
    assert_eq!(failing.all()[0].body["data"]["reason"], "hard");
    assert_eq!(
        sb.data().contact_by_email("contact1@example.be").map(|c| c.subscribed),
        Some(true),
        "a bounce does not unsubscribe"
    );

    let admin = format!("{}/_admin/fire", sb.base_url());
    let fired = reqwest::Client::new()
        .post(&admin)
        .json(&json!({"event_name": "contact.bounced", "email": "contact1@example.be", "data": {"reason": "soft"}}))
        .send()
        .await;
    let Ok(fired) = fired else { panic!("admin fire") };
    assert_eq!(fired.status(), StatusCode::OK);
    let body: serde_json::Value = fired.json().await.unwrap_or_default();
    assert_eq!(body["status"], 500);
    assert_eq!(body["deliveries"].as_array().map(Vec::len), Some(2));
    assert_eq!(ok.all().len(), 2);
    let unknown = reqwest::Client::new()
        .post(&admin)
        .json(&json!({"event_name": "contact.bounced", "email": "x@y.be"}))
        .send()
        .await
        .map(|r| r.status());
    assert_eq!(unknown.ok(), Some(StatusCode::NOT_FOUND));
    assert_eq!(sb.stats().total, 2, "admin calls are not counted");
}

#[tokio::test]
async fn registration_is_checked() {
    let sb = flexmail(1).await;
    let api = Api::new(&sb);
    let cases = [
        (json!({"event_name": "contact.exploded", "target_url": "https://x.be/h"}), "event_name"),
        (json!({"event_name": "contact.clicked", "target_url": "ftp://x.be/h"}), "target_url"),
        (json!({"event_name": "contact.clicked", "target_url": "not a url"}), "target_url"),
        (json!({"event_name": "contact.clicked"}), "target_url"),
        (
            json!({"event_name": "contact.clicked", "target_url": "https://x.be/h", "verification_token": 5}),
            "verification_token",
        ),
    ];
    for (body, field) in cases {
        let answer = api.post("/webhooks", body.clone()).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(answer.body["errors"][0]["field"], field, "{body}");
    }
    let ok = api
        .post(
            "/webhooks",
            json!({"event_name": "contact.clicked", "target_url": "https://koppel.example/hooks/flexmail"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let id = ok.body["id"].as_u64().unwrap_or_default();
    assert_eq!(api.get(&format!("/webhooks/{id}")).await.body["event_name"], "contact.clicked");
    assert_eq!(sb.data().webhooks().first().map(|w| w.verification_token.clone()), Some(None));
}
