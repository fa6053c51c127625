//! The meeting-push routes and event handler on the embedded adapters, with a scripted provider.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use koppel_runtime::http::{AppState, AuthConfig, dev_token};
use koppel_tests::fake_meetings::FakeMeetings;
use koppel_tests::fake_source::FakeSources;
use koppel_tests::harness::{Harness, TENANT};
use koppel_tests::push::{meeting_json, odoo};
use secrecy::SecretString;
use serde_json::{Value, json};
use tower::ServiceExt;

const SECRET: &str = "dev-secret-for-meeting-push-tests";

struct Api {
    h: Harness,
    fake: FakeMeetings,
    app: axum::Router,
}

fn api(targets: usize) -> Api {
    let fake = FakeMeetings::new(targets);
    let h = Harness::new(Arc::new(FakeSources::default())).with_meetings(Arc::new(fake.clone()));
    let auth = AuthConfig { tenant_claim: "tenant_id".into(), dev_secret: Some(SecretString::from(SECRET)) };
    let app = meeting_push::router(AppState::new(h.deps.clone(), auth));
    Api { h, fake, app }
}

impl Api {
    async fn call(&self, tenant: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let token = dev_token(&SecretString::from(SECRET), tenant, 300);
        let mut req =
            Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let res = self.app.clone().oneshot(req.body(body).expect("request")).await.expect("answer");
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.expect("body");
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn a_wrong_meeting_is_refused_field_by_field_and_nothing_is_stored() {
    let a = api(5);
    let conn = odoo(&a.h).await;
    let mut body = meeting_json(&[(&conn.id, "relation", "T001"), ("nope", "partner", "T001")]);
    body["reports"][1]["id"] = "r1".into();
    body["reports"][0]["content_base64"] = "not base64!".into();
    let (status, json) = a.call(TENANT, Method::PUT, "/meetings/m1", Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    let fields: Vec<&str> =
        json["problems"].as_array().expect("problems").iter().filter_map(|p| p["field"].as_str()).collect();
    assert!(fields.contains(&"reports[0].content_base64"), "{fields:?}");
    assert!(fields.contains(&"reports[1].id"), "{fields:?}");
    assert!(fields.contains(&format!("targets.{}", conn.id).as_str()), "relation is not an Odoo target: {fields:?}");
    assert!(fields.contains(&"targets.nope"), "{fields:?}");
    let (status, _) = a.call(TENANT, Method::GET, "/meetings/m1", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn send_afterwards_picks_a_target_sends_and_a_resend_creates_nothing() {
    let a = api(5);
    let conn = odoo(&a.h).await;
    let (status, _) = a.call(TENANT, Method::PUT, "/meetings/m1", Some(meeting_json(&[]))).await;
    assert_eq!(status, StatusCode::OK);

    let (status, json) = a.call(TENANT, Method::POST, "/meetings/m1/send", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert!(json["hint"].as_str().unwrap_or_default().contains("Pick one"), "{json}");
    let (status, json) =
        a.call(TENANT, Method::POST, "/meetings/m1/send", Some(json!({"connections": [conn.id]}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert!(json["message"].as_str().unwrap_or_default().contains("no Odoo target"), "{json}");

    let (_, pushes) = a.call(TENANT, Method::GET, "/meetings/m1/pushes", None).await;
    assert_eq!(pushes["connections"][0]["can_receive"], false, "{pushes}");

    let path = format!("/meetings/m1/targets/{}", conn.id);
    let (status, json) =
        a.call(TENANT, Method::PUT, &path, Some(json!({"kind": "partner", "id": "T002", "name": "Klant 002"}))).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let (status, json) = a.call(TENANT, Method::POST, "/meetings/m1/send", None).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["results"][0]["counts"]["created"], 5, "{json}");
    let (_, json) = a.call(TENANT, Method::POST, "/meetings/m1/send", Some(json!({}))).await;
    assert_eq!(json["results"][0]["counts"]["unchanged"], 5, "{json}");
    assert_eq!(json["results"][0]["counts"]["created"], 0);
    assert_eq!(a.fake.with(|s| s.items.len()), 5);

    let (_, pushes) = a.call(TENANT, Method::GET, "/meetings/m1/pushes", None).await;
    let items = pushes["connections"][0]["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|i| i["state"] == "sent" && i["remote"]["remote_id"].is_string()), "{pushes}");

    // Another tenant sees nothing of it.
    let (status, _) = a.call("tenant-b", Method::GET, "/meetings/m1", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = a.call("tenant-b", Method::POST, "/meetings/m1/send", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn target_lists_are_cached_searched_and_refreshed_on_demand() {
    let a = api(130);
    let conn = odoo(&a.h).await;
    let path = format!("/connections/{}/targets", conn.id);
    let (status, json) = a.call(TENANT, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["kind"], "partner");
    assert_eq!(json["targets"].as_array().map(Vec::len), Some(50));
    assert_eq!(json["more"], true);
    assert_eq!(json["complete"], true);
    let pages = a.fake.count_calls("targets");
    assert_eq!(pages, 4, "130 targets in pages of 40");

    let (_, json) = a.call(TENANT, Method::GET, &format!("{path}?q=klant%2012&page=0"), None).await;
    let names: Vec<&str> =
        json["targets"].as_array().expect("targets").iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "Klant 120",
            "Klant 121",
            "Klant 122",
            "Klant 123",
            "Klant 124",
            "Klant 125",
            "Klant 126",
            "Klant 127",
            "Klant 128",
            "Klant 129"
        ]
    );
    assert_eq!(a.fake.count_calls("targets"), pages, "a search reads the cache");

    a.call(TENANT, Method::GET, &format!("{path}?refresh=true"), None).await;
    assert_eq!(a.fake.count_calls("targets"), 2 * pages);

    let (status, json) = a.call(TENANT, Method::GET, &format!("{path}?kind=folder"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    assert!(json["problems"][0]["message"].as_str().unwrap_or_default().contains("partner, event"), "{json}");
}

#[tokio::test]
async fn push_settings_and_a_bad_body_are_answered_plainly() {
    let a = api(5);
    let conn = odoo(&a.h).await;
    let path = format!("/connections/{}/push-settings", conn.id);
    let (status, json) =
        a.call(TENANT, Method::PUT, &path, Some(json!({"reports": false, "notes": true, "todos": true}))).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["push"]["reports"], false);
    a.call(TENANT, Method::PUT, "/meetings/m1", Some(meeting_json(&[(&conn.id, "partner", "T001")]))).await;
    let (_, json) = a.call(TENANT, Method::POST, "/meetings/m1/send", None).await;
    assert_eq!(json["results"][0]["counts"]["created"], 3, "no reports: {json}");

    let token = dev_token(&SecretString::from(SECRET), TENANT, 300);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/meetings/m1/send")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .expect("request");
    let res = a.app.clone().oneshot(req).await.expect("answer");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_completed_event_sends_to_every_picked_target_and_a_redelivery_duplicates_nothing() {
    let a = api(5);
    let conn = odoo(&a.h).await;
    a.call(TENANT, Method::PUT, "/meetings/m1", Some(meeting_json(&[(&conn.id, "partner", "T003")]))).await;
    let event = json!({"version": "0", "detail-type": "meeting.completed", "source": "platform",
        "detail": {"tenant_id": TENANT, "meeting_id": "m1"}});
    let out = meeting_push::event::handle(&a.h.deps, event.clone()).await.expect("handled");
    assert_eq!(out["sent"][0]["counts"]["created"], 5, "{out}");
    let again = meeting_push::event::handle(&a.h.deps, event).await.expect("handled again");
    assert_eq!(again["sent"][0]["counts"]["unchanged"], 5, "{again}");
    assert_eq!(a.fake.held("T003", koppel_core::ports::meeting::ItemKind::Todo).len(), 2);
    let (_, pushes) = a.call(TENANT, Method::GET, "/meetings/m1/pushes", None).await;
    assert_eq!(pushes["completed"], true);

    let other = json!({"detail-type": "meeting.completed", "detail": {"tenant_id": TENANT, "meeting_id": "missing"}});
    let dropped = meeting_push::event::handle(&a.h.deps, other).await.expect("dropped, not retried");
    assert!(dropped["dropped"].is_string());
}
