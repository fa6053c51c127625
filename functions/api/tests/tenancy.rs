//! Identity on every route: no token is a 401, another tenant's connection or customer is a 404,
//! and API Gateway's verified claims are accepted.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use koppel_core::ports::Scheduler;
use serde_json::{Value, json};

/// Every route that takes a connection id, with a body that would be valid for its owner.
fn connection_routes(id: &str) -> Vec<(Method, String, Option<Value>)> {
    let c = format!("/connections/{id}");
    vec![
        (Method::GET, c.clone(), None),
        (Method::PATCH, c.clone(), Some(json!({"interval_minutes": 30}))),
        (Method::POST, format!("{c}/activate"), None),
        (Method::POST, format!("{c}/deactivate"), None),
        (Method::POST, format!("{c}/test"), None),
        (Method::POST, format!("{c}/sync"), Some(json!({"streams": ["all"]}))),
        (Method::GET, format!("{c}/runs"), None),
        (Method::GET, format!("{c}/runs/01RUN"), None),
        (Method::GET, format!("{c}/runs/01RUN/logs"), None),
        (Method::GET, format!("{c}/unmatched"), None),
        (Method::POST, format!("{c}/links"), Some(json!({"remote_id": "R1", "customer_id": "cus_1"}))),
        (Method::DELETE, format!("{c}/links/R1"), None),
        (Method::DELETE, c, None),
    ]
}

#[tokio::test]
async fn another_tenants_connection_is_404_on_every_route_and_stays_untouched() -> TestResult {
    let h = harness()?;
    let id = h.tested_connection("owner").await?;
    let active = h.call(Some("owner"), Method::POST, &format!("/connections/{id}/activate"), None).await?;
    assert_eq!(active.status, StatusCode::OK, "{}", active.text);
    let before = h.get("owner", &format!("/connections/{id}")).await?.json;

    for (method, path, body) in connection_routes(&id) {
        let a = h.call(Some("intruder"), method.clone(), &path, body).await?;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{method} {path}: {}", a.text);
        assert_eq!(a.json["error"], "not_found", "{method} {path}");
        assert!(a.json["message"].as_str().unwrap_or_default().contains("connection"), "{method} {path}: {}", a.text);
    }
    assert_eq!(h.get("intruder", "/connections").await?.json["items"], json!([]));
    assert_eq!(h.get("owner", &format!("/connections/{id}")).await?.json, before, "another tenant changed it");
    assert!(h.scheduler.get(&format!("sync-{id}")).await?.is_some(), "another tenant removed the schedule");
    assert!(h.bus.published().is_empty(), "another tenant requested a sync");
    Ok(())
}

#[tokio::test]
async fn another_tenants_customer_is_404() -> TestResult {
    let h = harness()?;
    let created = h.post("owner", "/customers", json!({"name": "Bakkerij de Vries"})).await?;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let cus = created.json["id"].as_str().ok_or("no id")?;
    for path in
        [format!("/customers/{cus}"), format!("/customers/{cus}/invoices"), format!("/customers/{cus}/payments")]
    {
        let a = h.get("intruder", &path).await?;
        assert_eq!((a.status, &a.json["error"]), (StatusCode::NOT_FOUND, &json!("not_found")), "{path}");
    }
    let mine = h.post("intruder", "/customers", json!({"name": "Mine"})).await?;
    let merge = json!({"keep_id": mine.json["id"], "duplicate_id": cus});
    assert_eq!(h.post("intruder", "/customers/merge", merge).await?.status, StatusCode::NOT_FOUND);
    assert_eq!(h.get("intruder", "/customers").await?.json["items"].as_array().map(Vec::len), Some(1));
    Ok(())
}

#[tokio::test]
async fn every_route_but_the_document_needs_a_token() -> TestResult {
    let h = harness()?;
    let mut routes = connection_routes("01ANY");
    routes.extend([
        (Method::GET, "/connectors".to_string(), None),
        (Method::GET, "/connections".to_string(), None),
        (Method::POST, "/connections".to_string(), Some(valid_form())),
        (Method::GET, "/customers".to_string(), None),
        (Method::POST, "/customers".to_string(), Some(json!({"name": "x"}))),
        (Method::GET, "/customers/cus_1".to_string(), None),
        (Method::POST, "/customers/merge".to_string(), Some(json!({"keep_id": "a", "duplicate_id": "b"}))),
        (Method::GET, "/customers/cus_1/invoices".to_string(), None),
        (Method::GET, "/customers/cus_1/payments".to_string(), None),
    ]);
    for (method, path, body) in routes {
        let a = h.call(None, method.clone(), &path, body).await?;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{method} {path}: {}", a.text);
        assert_eq!(a.json["error"], "unauthorized", "{method} {path}");
    }
    assert!(h.get("t1", "/connections").await?.json["items"].as_array().is_some_and(Vec::is_empty));
    assert_eq!(h.call(None, Method::GET, "/openapi.json", None).await?.status, StatusCode::OK);
    Ok(())
}

/// An API Gateway HTTP API (payload 2.0) request whose JWT authorizer passed with `claims`.
fn gateway_request(method: &str, path: &str, body: Option<Value>, claims: Value) -> TestResult<lambda_http::Request> {
    let event = json!({
        "version": "2.0", "routeKey": format!("{method} {path}"), "rawPath": path, "rawQueryString": "",
        "headers": {"host": "api.example.test", "content-type": "application/json"},
        "requestContext": {
            "routeKey": format!("{method} {path}"), "accountId": "123456789012", "stage": "$default",
            "requestId": "r1", "apiId": "api", "domainName": "api.example.test",
            "time": "21/Nov/2026:12:00:00 +0000", "timeEpoch": 0,
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"},
            "authorizer": {"jwt": {"claims": claims, "scopes": null}}
        },
        "body": body.map(|b| b.to_string()),
        "isBase64Encoded": false
    });
    Ok(lambda_http::request::from_str(&event.to_string())?)
}

#[tokio::test]
async fn api_gateway_claims_identify_the_tenant() -> TestResult {
    let h = harness()?;
    let req = gateway_request("POST", "/connections", Some(valid_form()), json!({"tenant_id": "gw-tenant"}))?;
    let res = tower::ServiceExt::oneshot(h.app.clone(), req).await?;
    assert_eq!(res.status(), StatusCode::CREATED);
    let listed = h.get("gw-tenant", "/connections").await?;
    assert_eq!(listed.json["items"].as_array().map(Vec::len), Some(1), "{}", listed.text);

    let req = gateway_request("GET", "/connections", None, json!({"sub": "no-tenant"}))?;
    let res = tower::ServiceExt::oneshot(h.app.clone(), req).await?;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    Ok(())
}
