//! The rate limit (60 calls per rolling minute → 429 + `Retry-After`), injected faults,
//! token revocation, the admin surface, and 100,000 contacts in pages of 500.

mod flexmail_common;

use flexmail_common::{Api, flexmail, items, start};
use koppel_sandbox::flexmail::FlexmailConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

#[tokio::test]
async fn the_61st_call_in_a_minute_is_refused_with_retry_after() {
    let sb = start(FlexmailConfig { contacts: 5, ..FlexmailConfig::default() }).await;
    let api = Api::new(&sb);
    for i in 0..60 {
        assert_eq!(api.get("/contacts?limit=1").await.status, StatusCode::OK, "call {i}");
    }
    let refused = api.get("/contacts?limit=1").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = refused.retry_after.as_deref().and_then(|s| s.parse().ok()).unwrap_or_default();
    assert!((55..=60).contains(&retry_after), "{retry_after}");
    assert!(refused.body["message"].is_string());
    assert_eq!(api.get("/sources").await.status, StatusCode::TOO_MANY_REQUESTS, "per account, every route");
    let stats = sb.stats();
    assert_eq!((stats.total, stats.served, stats.rate_limited, stats.throttled), (62, 60, 2, 2));
    assert_eq!(stats.calls("GET /contacts"), 61);
    assert_eq!(stats.by_status.get(&429), Some(&2));

    let wrong = Api::with(&sb, "100200", "wrong").get("/contacts").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "auth comes before the limit");
    let admin = reqwest::Client::new().get(format!("{}/_admin/stats", sb.base_url())).send().await;
    assert_eq!(admin.map(|r| r.status()).ok(), Some(StatusCode::OK), "admin is never limited");
    sb.faults().set_rate_limit(None);
    assert_eq!(api.get("/contacts").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_window_rolls_and_refused_calls_do_not_count() {
    let config = FlexmailConfig {
        contacts: 1,
        rate_limit_per_minute: Some(3),
        rate_window: Duration::from_millis(1_500),
        ..FlexmailConfig::default()
    };
    let sb = start(config).await;
    let api = Api::new(&sb);
    for _ in 0..3 {
        assert_eq!(api.get("/sources").await.status, StatusCode::OK);
    }
    for _ in 0..5 {
        let refused = api.get("/sources").await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(matches!(refused.retry_after.as_deref(), Some("1" | "2")), "{:?}", refused.retry_after);
    }
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    for _ in 0..3 {
        assert_eq!(api.get("/sources").await.status, StatusCode::OK, "a fresh window, the 429s did not count");
    }
    assert_eq!(api.get("/sources").await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn injected_faults_and_token_revocation() {
    let sb = flexmail(3).await;
    let api = Api::new(&sb);
    let faults = sb.faults();
    faults.rate_limit(2, 7);
    for _ in 0..2 {
        let answer = api.get("/contacts").await;
        assert_eq!((answer.status, answer.retry_after.as_deref()), (StatusCode::TOO_MANY_REQUESTS, Some("7")));
    }
    faults.server_error(1, 500);
    faults.server_error(1, 503);
    assert_eq!(api.get("/contacts").await.status, StatusCode::INTERNAL_SERVER_ERROR);
    let unavailable = api.get("/contacts").await;
    assert_eq!(unavailable.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(unavailable.body["message"].is_string());
    assert_eq!(api.get("/contacts").await.status, StatusCode::OK, "faults are used up");

    faults.slow(1, Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(api.get("/contacts").await.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));

    faults.inject(koppel_sandbox::Fault::server_error(1, 502).on_path("/webhooks"));
    assert_eq!(api.get("/contacts").await.status, StatusCode::OK, "other paths are not hit");
    assert_eq!(api.get("/webhooks").await.status, StatusCode::BAD_GATEWAY);

    faults.revoke_token();
    assert_eq!(api.get("/contacts").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.post("/contacts", json!({})).await.status, StatusCode::UNAUTHORIZED);
    faults.restore_token();
    assert_eq!(api.get("/contacts").await.status, StatusCode::OK);
    let stats = sb.stats();
    assert_eq!((stats.faults_served, stats.rate_limited, stats.throttled), (6, 2, 0));
    assert!(faults.pending().is_empty());
}

#[tokio::test]
async fn admin_faults_stats_and_unsubscribe_over_http() {
    let sb = flexmail(4).await;
    let api = Api::new(&sb);
    let http = reqwest::Client::new();
    let admin = |path: &str| format!("{}/_admin/{path}", sb.base_url());
    let post = |path: &str, body: Value| http.post(admin(path)).json(&body).send();

    let fault = json!({"kind": "rate_limit", "retry_after_secs": 3, "count": 1, "path_prefix": "/contacts"});
    assert_eq!(post("faults", fault).await.map(|r| r.status()).ok(), Some(StatusCode::OK));
    assert_eq!(api.get("/sources").await.status, StatusCode::OK);
    let limited = api.get("/contacts").await;
    assert_eq!((limited.status, limited.retry_after.as_deref()), (StatusCode::TOO_MANY_REQUESTS, Some("3")));
    let _ = post("faults", json!({"kind": "server_error", "status": 500, "count": 1})).await;
    assert_eq!(api.get("/contacts").await.status, StatusCode::INTERNAL_SERVER_ERROR);
    let _ = post("faults", json!({"kind": "revoke_token"})).await;
    assert_eq!(api.get("/contacts").await.status, StatusCode::UNAUTHORIZED);
    let _ = post("faults", json!({"kind": "restore_token"})).await;
    assert_eq!(api.get("/contacts").await.status, StatusCode::OK);
    assert_eq!(
        post("faults", json!({"kind": "nonsense"})).await.map(|r| r.status()).ok(),
        Some(StatusCode::BAD_REQUEST)
    );

    let unsubscribed = post("unsubscribe", json!({"email": "Contact2@example.be"})).await;
    assert_eq!(unsubscribed.map(|r| r.status()).ok(), Some(StatusCode::OK));
    let row = api.get("/contacts?email=contact2%40example.be").await;
    assert_eq!(items(&row.body)[0]["subscribed"], false);
    let missing = post("unsubscribe", json!({"email": "nobody@x.be"})).await;
    assert_eq!(missing.map(|r| r.status()).ok(), Some(StatusCode::NOT_FOUND));

    let stats: Value = match http.get(admin("stats")).send().await {
        Ok(r) => r.json().await.unwrap_or_default(),
        Err(e) => panic!("stats: {e}"),
    };
    assert_eq!(stats["by_endpoint"]["GET /contacts"], 5);
    assert_eq!(stats["by_endpoint"]["GET /sources"], 1);
    assert_eq!(
        (stats["total"].clone(), stats["rate_limited"].clone(), stats["faults_served"].clone()),
        (json!(6), json!(1), json!(2))
    );
    let reset = http.post(admin("stats/reset")).send().await.map(|r| r.status());
    assert_eq!(reset.ok(), Some(StatusCode::NO_CONTENT));
    assert_eq!(sb.stats().total, 0);

    let limit = post("rate-limit", json!({"per_minute": 1, "reset": true})).await;
    assert_eq!(limit.map(|r| r.status()).ok(), Some(StatusCode::OK));
    assert_eq!(api.get("/sources").await.status, StatusCode::OK);
    assert_eq!(api.get("/sources").await.status, StatusCode::TOO_MANY_REQUESTS);
    let summary: Value = match http.get(format!("{}/__admin/summary", sb.base_url())).send().await {
        Ok(r) => r.json().await.unwrap_or_default(),
        Err(e) => panic!("summary: {e}"),
    };
    assert_eq!((summary["contacts"].clone(), summary["rate_limit_per_minute"].clone()), (json!(4), json!(1)));
}

#[tokio::test]
async fn a_hundred_thousand_contacts_in_pages_of_500() {
    let started = Instant::now();
    let sb = flexmail(100_000).await;
    let generated = started.elapsed();
    let api = Api::new(&sb);
    let (mut offset, mut rows, mut last_id, mut calls) = (0, 0usize, 0u64, 0);
    loop {
        let page = api.get(&format!("/contacts?limit=500&offset={offset}")).await;
        calls += 1;
        assert_eq!((page.status, page.body["total"].clone()), (StatusCode::OK, json!(100_000)));
        let items = items(&page.body);
        for item in &items {
            let id = item["id"].as_u64().unwrap_or_default();
            assert!(id > last_id);
            last_id = id;
        }
        rows += items.len();
        offset += 500;
        if items.len() < 500 || offset >= 100_000 {
            break;
        }
    }
    let elapsed = started.elapsed();
    assert_eq!((rows, calls), (100_000, 200));
    assert_eq!(sb.stats().calls("GET /contacts"), 200);
    assert!(elapsed < Duration::from_secs(60), "generated in {generated:?}, pulled in {elapsed:?}");
    println!("100k contacts: generated in {generated:?}, generated + pulled in {elapsed:?}");
}
