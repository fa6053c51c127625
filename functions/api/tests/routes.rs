//! The remaining routes are wired to their use-cases: sync now, runs, links, customers, the
//! catalog, /openapi.json, and JSON / query-string errors in the common shape.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use koppel_core::domain::records::{Address, RemoteCustomer};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::bus::SYNC_REQUESTED;
use koppel_core::sync::mirror::{LinkKind, Mirror};
use serde_json::json;

#[tokio::test]
async fn sync_now_queues_a_run_and_publishes_the_request() -> TestResult {
    let h = harness()?;
    let id = h.create_connection("t1").await?;
    let untested = h.post("t1", &format!("/connections/{id}/sync"), json!({"streams": ["all"]})).await?;
    assert_eq!(untested.status, StatusCode::CONFLICT, "{}", untested.text);
    h.call(Some("t1"), Method::POST, &format!("/connections/{id}/test"), None).await?;
    let unknown = h.post("t1", &format!("/connections/{id}/sync"), json!({"streams": ["orders"]})).await?;
    assert_eq!((unknown.status, &unknown.json["problems"][0]["field"]), (StatusCode::BAD_REQUEST, &json!("streams")));
    assert!(h.bus.published().is_empty());

    let queued = h.post("t1", &format!("/connections/{id}/sync"), json!({"streams": ["all"]})).await?;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", queued.text);
    let run_id = queued.json["run_id"].as_str().ok_or("no run_id")?.to_string();
    assert_eq!((&queued.json["id"], &queued.json["status"]), (&json!(run_id), &json!("queued")));
    let location = format!("/connections/{id}/runs/{run_id}");
    assert_eq!(queued.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some(location.as_str()));

    let events = h.bus.published();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].detail_type, SYNC_REQUESTED);
    let d = &events[0].detail;
    assert_eq!((&d["tenant_id"], &d["connection_id"], &d["run_id"]), (&json!("t1"), &json!(id), &json!(run_id)));
    assert_eq!((&d["streams"], &d["trigger"]), (&json!(["customers", "invoices", "payments"]), &json!("manual")));

    let runs = h.get("t1", &format!("/connections/{id}/runs?limit=5")).await?;
    assert_eq!((&runs.json["items"][0]["id"], &runs.json["next_page_token"]), (&json!(run_id), &json!(null)));
    let run = h.get("t1", &location).await?;
    assert_eq!((run.status, &run.json["id"]), (StatusCode::OK, &json!(run_id)));
    let logs = h.get("t1", &format!("{location}/logs?limit=10")).await?;
    assert_eq!((logs.status, &logs.json), (StatusCode::OK, &json!({"items": [], "next_page_token": null})));
    let missing = h.get("t1", &format!("/connections/{id}/runs/01NOSUCHRUN")).await?;
    assert_eq!(
        (missing.status, missing.json["message"].as_str()),
        (StatusCode::NOT_FOUND, Some("run 01NOSUCHRUN not found"))
    );
    Ok(())
}

/// A provider customer as the sync leaves it when it could not be matched.
async fn seed_remote_customer(h: &Harness, tenant: &str, conn: &str, remote_id: &str) -> TestResult {
    let remote = RemoteCustomer {
        contact_person: None,
        remote_id: remote_id.into(),
        modified_on: None,
        customer_number: Some("1001".into()),
        name: "Bakkerij de Vries".into(),
        email: None,
        vat_number: None,
        coc_number: None,
        phone: None,
        address: Address::default(),
        is_customer: true,
        inactive: false,
    };
    let mirror = Mirror {
        remote_id: remote_id.into(),
        hash: "h".into(),
        local_id: None,
        link: LinkKind::None,
        customer_remote_id: None,
        owner_id: None,
        modified_on: None,
        data: serde_json::to_value(&remote)?,
        seq: 0,
    };
    h.state.deps.store.batch_write(vec![mirror.to_write(tenant, conn, StreamKind::Customers)]).await?;
    Ok(())
}

#[tokio::test]
async fn link_unlink_unmatched_and_merge_are_wired() -> TestResult {
    let h = harness()?;
    let id = h.create_connection("t1").await?;
    let cus = h.post("t1", "/customers", json!({"name": "Bakkerij de Vries", "customer_number": "1001"})).await?;
    assert_eq!(cus.status, StatusCode::CREATED, "{}", cus.text);
    let cus_id = cus.json["id"].as_str().ok_or("no id")?.to_string();

    let not_synced =
        h.post("t1", &format!("/connections/{id}/links"), json!({"remote_id": "R1", "customer_id": cus_id})).await?;
    assert_eq!(not_synced.status, StatusCode::NOT_FOUND, "{}", not_synced.text);
    seed_remote_customer(&h, "t1", &id, "R1").await?;
    let linked =
        h.post("t1", &format!("/connections/{id}/links"), json!({"remote_id": "R1", "customer_id": cus_id})).await?;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.text);
    assert_eq!(linked.json, json!({"remote_id": "R1", "customer_id": cus_id, "attached": 0}));

    let unlinked = h.call(Some("t1"), Method::DELETE, &format!("/connections/{id}/links/R1"), None).await?;
    assert_eq!(unlinked.status, StatusCode::OK, "{}", unlinked.text);
    assert_eq!(unlinked.json, json!({"remote_id": "R1", "customer_id": null, "attached": 0}));
    let waiting = h.get("t1", &format!("/connections/{id}/unmatched")).await?;
    assert_eq!(waiting.json["items"][0]["remote_id"], "R1", "{}", waiting.text);
    assert_eq!(waiting.json["next_page_token"], json!(null));

    let dup = h.post("t1", "/customers", json!({"name": "Bakkerij De Vries BV", "email": "info@devries.nl"})).await?;
    let dup_id = dup.json["id"].as_str().ok_or("no id")?;
    let itself = h.post("t1", "/customers/merge", json!({"keep_id": cus_id, "duplicate_id": cus_id})).await?;
    assert_eq!(itself.status, StatusCode::BAD_REQUEST);
    let merged = h.post("t1", "/customers/merge", json!({"keep_id": cus_id, "duplicate_id": dup_id})).await?;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.text);
    assert_eq!((&merged.json["id"], &merged.json["email"]), (&json!(cus_id), &json!("info@devries.nl")));
    let gone = h.get("t1", &format!("/customers/{dup_id}")).await?;
    assert_eq!(gone.json["merged_into"], json!(cus_id));
    Ok(())
}

#[tokio::test]
async fn customers_are_paged_and_their_records_listed() -> TestResult {
    let h = harness()?;
    for name in ["A", "B", "C"] {
        assert_eq!(h.post("t1", "/customers", json!({"name": name})).await?.status, StatusCode::CREATED);
    }
    let bad = h.post("t1", "/customers", json!({"name": " ", "email": "nope"})).await?;
    assert_eq!(bad.json["problems"].as_array().map(Vec::len), Some(2), "{}", bad.text);

    let first = h.get("t1", "/customers?limit=2").await?;
    assert_eq!(first.json["items"].as_array().map(Vec::len), Some(2), "{}", first.text);
    let token = first.json["next_page_token"].as_str().ok_or("no next page")?;
    let rest = h.get("t1", &format!("/customers?limit=2&page_token={token}")).await?;
    assert_eq!(rest.json["items"].as_array().map(Vec::len), Some(1), "{}", rest.text);
    let bad_token = h.get("t1", "/customers?page_token=forged").await?;
    assert_eq!(
        (bad_token.status, &bad_token.json["problems"][0]["field"]),
        (StatusCode::BAD_REQUEST, &json!("page_token"))
    );
    let bad_limit = h.get("t1", "/customers?limit=many").await?;
    assert_eq!((bad_limit.status, &bad_limit.json["error"]), (StatusCode::BAD_REQUEST, &json!("invalid_input")));
    assert!(bad_limit.json["message"].as_str().unwrap_or_default().contains("limit"), "{}", bad_limit.text);

    let id = first.json["items"][0]["id"].as_str().ok_or("no id")?;
    for kind in ["invoices", "payments"] {
        let a = h.get("t1", &format!("/customers/{id}/{kind}")).await?;
        assert_eq!((a.status, &a.json), (StatusCode::OK, &json!({"items": [], "next_page_token": null})), "{kind}");
    }
    let catalog = h.get("t1", "/connectors").await?;
    assert_eq!(catalog.json["items"][0]["provider"], "snelstart", "{}", catalog.text);
    Ok(())
}

#[tokio::test]
async fn malformed_bodies_are_400_in_the_error_shape_and_change_nothing() -> TestResult {
    let h = harness()?;
    let raw = |content_type: Option<&str>, body: &str| {
        let mut req = Request::post("/connections").header(header::AUTHORIZATION, format!("Bearer {}", token("t1")));
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        req.body(Body::from(body.to_string()))
    };
    let cases = [
        (
            raw(Some("application/json"), "{\"name\": }")?,
            "invalid_json",
            "the body is not valid JSON: expected value at line 1 column 10",
        ),
        (raw(Some("application/json"), "{\"provider\": \"snelstart\"}")?, "invalid_input", "missing field `name`"),
        (raw(Some("text/plain"), "{}")?, "invalid_json", "Content-Type must be application/json"),
        (raw(None, "")?, "invalid_json", "Content-Type must be application/json"),
    ];
    for (req, code, message) in cases {
        let a = h.send(req).await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
        assert_eq!((a.json["error"].as_str(), a.json["message"].as_str()), (Some(code), Some(message)), "{}", a.text);
    }
    assert_eq!(h.get("t1", "/connections").await?.json["items"], json!([]));
    Ok(())
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_error_shape() -> TestResult {
    let h = harness()?;
    let a = h.get("t1", "/nope").await?;
    assert_eq!((a.status, &a.json["error"]), (StatusCode::NOT_FOUND, &json!("not_found")));
    let a = h.call(Some("t1"), Method::PUT, "/connections", None).await?;
    assert_eq!((a.status, &a.json["error"]), (StatusCode::METHOD_NOT_ALLOWED, &json!("method_not_allowed")));
    Ok(())
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_with_bearer_security() -> TestResult {
    let h = harness()?;
    let doc = h.call(None, Method::GET, "/openapi.json", None).await?;
    assert_eq!(doc.status, StatusCode::OK);
    let paths = doc.json["paths"].as_object().ok_or("no paths")?;
    let expected = [
        ("/openapi.json", "get"),
        ("/connectors", "get"),
        ("/connections", "get"),
        ("/connections", "post"),
        ("/connections/{id}", "get"),
        ("/connections/{id}", "patch"),
        ("/connections/{id}", "delete"),
        ("/connections/{id}/activate", "post"),
        ("/connections/{id}/deactivate", "post"),
        ("/connections/{id}/test", "post"),
        ("/connections/{id}/sync", "post"),
        ("/connections/{id}/runs", "get"),
        ("/connections/{id}/runs/{run}", "get"),
        ("/connections/{id}/runs/{run}/logs", "get"),
        ("/connections/{id}/unmatched", "get"),
        ("/connections/{id}/links", "post"),
        ("/connections/{id}/links/{remote_id}", "delete"),
        ("/customers", "get"),
        ("/customers", "post"),
        ("/customers/merge", "post"),
        ("/customers/{id}", "get"),
        ("/customers/{id}/invoices", "get"),
        ("/customers/{id}/payments", "get"),
        ("/contacts", "get"),
        ("/contacts/{id}", "get"),
        ("/contacts/{id}", "put"),
        ("/contacts/{id}/communications", "get"),
        ("/webhooks/flexmail/{hook}", "post"),
        ("/imports/customers/preview", "post"),
        ("/imports/customers", "post"),
        ("/imports", "get"),
        ("/imports/{id}", "get"),
        ("/connections/{id}/oauth/start", "post"),
        ("/oauth/callback", "get"),
        ("/meetings/{id}", "put"),
        ("/meetings/{id}", "get"),
        ("/meetings/{id}/targets/{connection}", "put"),
        ("/meetings/{id}/pushes", "get"),
        ("/meetings/{id}/send", "post"),
        ("/connections/{id}/targets", "get"),
        ("/connections/{id}/push-settings", "put"),
        ("/connections/{id}/link-rules", "get"),
        ("/connections/{id}/link-rules", "put"),
    ];
    for (path, method) in expected {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not documented");
    }
    let operations: usize = paths.values().filter_map(|p| p.as_object()).map(|p| p.len()).sum();
    assert_eq!(operations, expected.len(), "undocumented extras or missing routes");
    let mut ids: Vec<&str> = paths
        .values()
        .filter_map(|p| p.as_object())
        .flat_map(|p| p.values())
        .filter_map(|o| o["operationId"].as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), expected.len(), "operation ids are missing or not unique: {ids:?}");
    assert_eq!(doc.json["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(doc.json["security"], json!([{"bearer": []}]));
    let create = &paths["/connections"]["post"];
    assert!(create["responses"]["201"].is_object() && create["responses"]["401"].is_object(), "{create}");
    let webhook = &paths["/webhooks/flexmail/{hook}"]["post"];
    assert_eq!(webhook["security"], json!([{}]), "webhooks carry no bearer token: {webhook}");
    assert!(webhook["responses"]["401"].is_object() && webhook["responses"]["500"].is_null(), "{webhook}");
    let callback = &paths["/oauth/callback"]["get"];
    assert_eq!(callback["security"], json!([{}]), "the provider's redirect carries no bearer token: {callback}");
    for schema in ["Connection", "CreateConnection", "ErrorBody", "TestResult", "FieldProblem", "SyncQueued", "Contact"]
    {
        assert!(doc.json["components"]["schemas"][schema].is_object(), "schema {schema} is missing");
    }
    Ok(())
}
