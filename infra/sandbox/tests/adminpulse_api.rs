//! The AdminPulse stand-in over HTTP: Bearer rules (API keys, another authority, revoked keys),
//! page math, the rate limit and "not ready yet" on a clock the test moves, faults, admin calls.

use chrono::{DateTime, Utc};
use koppel_sandbox::adminpulse::{
    AdminPulseConfig, AdminPulseSandbox, DEMO_API_KEY, NOT_READY_STATUS, RunningAdminPulse, SandboxClock,
};
use koppel_sandbox::bearer::{BearerAuthority, StaticKeys};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// A clock the test moves by hand.
#[derive(Clone, Default)]
struct Manual(Arc<AtomicI64>);

impl Manual {
    fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
    fn clock(&self) -> SandboxClock {
        let at = self.0.clone();
        SandboxClock::from_fn(move || {
            DateTime::<Utc>::from_timestamp(1_800_000_000 + at.load(Ordering::SeqCst), 0).unwrap_or_default()
        })
    }
}

async fn start(config: AdminPulseConfig) -> RunningAdminPulse {
    match AdminPulseSandbox::new(config).start_local().await {
        Ok(s) => s,
        Err(e) => panic!("stand-in starts: {e}"),
    }
}

struct Answer {
    status: StatusCode,
    body: Value,
    retry_after: Option<String>,
}

async fn get_with(ap: &RunningAdminPulse, path: &str, bearer: Option<&str>) -> Answer {
    let mut request = reqwest::Client::new().get(format!("{}{path}", ap.base_url()));
    if let Some(b) = bearer {
        request = request.bearer_auth(b);
    }
    let Ok(response) = request.send().await else { panic!("GET {path} answered") };
    let status = response.status();
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = response.json().await.unwrap_or(Value::Null);
    Answer { status, body, retry_after }
}

async fn get(ap: &RunningAdminPulse, path: &str) -> Answer {
    get_with(ap, path, Some(DEMO_API_KEY)).await
}

#[tokio::test]
async fn pages_are_0_based_with_page_count_and_a_400_maximum() {
    let ap = start(AdminPulseConfig { relations: 1_001, rate_limit_per_minute: None, ..Default::default() }).await;
    let first = get(&ap, "/relations?page=0&pageSize=400").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["results"].as_array().map(Vec::len), Some(400));
    assert_eq!((&first.body["pageCount"], &first.body["totalCount"]), (&json!(3), &json!(1_001)));
    let last = get(&ap, "/relations?page=2&pageSize=400").await;
    assert_eq!(last.body["results"].as_array().map(Vec::len), Some(201));
    let past = get(&ap, "/relations?page=3&pageSize=400").await;
    assert_eq!((past.status, past.body["results"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
    let big = get(&ap, "/relations?pageSize=1000").await;
    assert_eq!((&big.body["pageSize"], &big.body["pageCount"]), (&json!(400), &json!(3)), "lowered to 400");
    let second = get(&ap, "/relations?page=1&pageSize=400").await;
    let ids: std::collections::HashSet<String> = [&first, &second, &last]
        .iter()
        .flat_map(|a| a.body["results"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 1_001, "every relation on exactly one page");
    let one = get(&ap, "/relations?pageSize=1").await;
    let r = &one.body["results"][0];
    for field in ["id", "uniqueIdentifier", "name", "commercialName", "vatNumber", "email", "phone", "address"] {
        assert!(r.get(field).is_some(), "{field} in {r}");
    }
    for bad in ["/relations?page=-1", "/relations?pageSize=0", "/relations?pageSize=abc"] {
        let a = get(&ap, bad).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(a.body["message"].is_string(), "{bad}: {}", a.body);
    }
    assert_eq!(get(&ap, "/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bearers_are_checked_and_can_be_revoked() {
    let ap = start(AdminPulseConfig { relations: 3, ..Default::default() }).await;
    assert_eq!(get_with(&ap, "/relations", None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(get_with(&ap, "/relations", Some("wrong")).await.status, StatusCode::UNAUTHORIZED);
    let oauth: Arc<dyn BearerAuthority> = Arc::new(StaticKeys(vec!["access-token-1".into()]));
    ap.add_authority(oauth);
    assert_eq!(get_with(&ap, "/relations", Some("access-token-1")).await.status, StatusCode::OK);
    ap.faults().revoke(DEMO_API_KEY);
    let refused = get(&ap, "/relations").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body["message"].as_str().is_some_and(|m| m.contains("scope")), "{}", refused.body);
    assert_eq!(get_with(&ap, "/relations", Some("access-token-1")).await.status, StatusCode::OK, "only that key");
    ap.faults().restore(DEMO_API_KEY);
    assert_eq!(get(&ap, "/relations").await.status, StatusCode::OK);
    ap.faults().revoke_all();
    assert_eq!(get_with(&ap, "/relations", Some("access-token-1")).await.status, StatusCode::UNAUTHORIZED);
    ap.faults().restore_all();
    assert_eq!(get(&ap, "/relations").await.status, StatusCode::OK);
    assert_eq!(ap.stats().unauthorized, 4);
}

#[tokio::test]
async fn a_merged_router_and_authority_are_served_on_the_same_address() {
    let extra = axum::Router::new().route("/oauth/token", axum::routing::get(|| async { "token endpoint" }));
    let sandbox = AdminPulseSandbox::new(AdminPulseConfig { relations: 1, ..Default::default() })
        .with_authority(Arc::new(StaticKeys(vec!["from-oauth".into()])))
        .merge(extra);
    let Ok(ap) = sandbox.start_local().await else { panic!("starts") };
    let text = reqwest::get(format!("{}/oauth/token", ap.base_url())).await.map(|r| r.status());
    assert_eq!(text.ok(), Some(StatusCode::OK));
    assert_eq!(get_with(&ap, "/relations", Some("from-oauth")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn more_than_the_limit_in_a_rolling_minute_is_429_with_retry_after() {
    let time = Manual::default();
    let config =
        AdminPulseConfig { relations: 2, rate_limit_per_minute: Some(3), clock: time.clock(), ..Default::default() };
    let ap = start(config).await;
    for _ in 0..3 {
        assert_eq!(get(&ap, "/relations").await.status, StatusCode::OK);
    }
    time.advance(20);
    let refused = get(&ap, "/relations").await;
    assert_eq!((refused.status, refused.retry_after.as_deref()), (StatusCode::TOO_MANY_REQUESTS, Some("40")));
    time.advance(40);
    assert_eq!(get(&ap, "/relations").await.status, StatusCode::OK, "the minute rolled on");
    let stats = ap.stats();
    assert_eq!((stats.throttled, stats.served, stats.total), (1, 4, 5));
    ap.faults().set_rate_limit(None);
    for _ in 0..5 {
        assert_eq!(get(&ap, "/relations").await.status, StatusCode::OK, "limit off");
    }
}

#[tokio::test]
async fn not_ready_for_a_period_after_the_first_call_of_each_key() {
    let time = Manual::default();
    let config = AdminPulseConfig {
        relations: 2,
        api_keys: vec!["key-a".into(), "key-b".into()],
        not_ready_after_first_use: Some(Duration::from_secs(300)),
        clock: time.clock(),
        ..Default::default()
    };
    let ap = start(config).await;
    let early = get_with(&ap, "/relations", Some("key-a")).await;
    assert_eq!(early.status.as_u16(), NOT_READY_STATUS);
    assert_eq!(early.retry_after.as_deref(), Some("300"));
    assert!(early.body["message"].as_str().is_some_and(|m| m.contains("few minutes")), "{}", early.body);
    time.advance(299);
    assert_eq!(get_with(&ap, "/relations", Some("key-a")).await.status.as_u16(), NOT_READY_STATUS);
    assert_eq!(get_with(&ap, "/relations", Some("key-b")).await.status.as_u16(), NOT_READY_STATUS, "b just started");
    time.advance(1);
    assert_eq!(get_with(&ap, "/relations", Some("key-a")).await.status, StatusCode::OK);
    assert_eq!(ap.stats().not_ready, 3);
    assert_eq!(get_with(&ap, "/relations", Some("nope")).await.status, StatusCode::UNAUTHORIZED, "auth comes first");
}

#[tokio::test]
async fn faults_and_readiness_on_demand() {
    let ap = start(AdminPulseConfig { relations: 2, ..Default::default() }).await;
    ap.faults().rate_limit(1, 7);
    let a = get(&ap, "/relations").await;
    assert_eq!((a.status, a.retry_after.as_deref()), (StatusCode::TOO_MANY_REQUESTS, Some("7")));
    ap.faults().server_error(1, 503);
    assert_eq!(get(&ap, "/relations").await.status, StatusCode::SERVICE_UNAVAILABLE);
    ap.faults().not_ready_calls(2);
    assert_eq!(get(&ap, "/relations").await.status.as_u16(), NOT_READY_STATUS);
    assert_eq!(get(&ap, "/relations").await.status.as_u16(), NOT_READY_STATUS);
    assert_eq!(get(&ap, "/relations").await.status, StatusCode::OK);
    ap.faults().not_ready_for(Duration::from_secs(3600));
    assert_eq!(get(&ap, "/relations").await.status.as_u16(), NOT_READY_STATUS);
    ap.faults().ready();
    assert_eq!(get(&ap, "/relations").await.status, StatusCode::OK);
    let stats = ap.stats();
    assert_eq!((stats.faults_served, stats.calls("GET /relations")), (2, 7));
}

#[tokio::test]
async fn admin_calls_change_data_and_read_stats_without_being_counted() {
    let ap = start(AdminPulseConfig { relations: 3, ..Default::default() }).await;
    let id = ap.data().relations()[0].id.clone();
    let http = reqwest::Client::new();
    let admin = |path: &str| format!("{}/_admin/{path}", ap.base_url());
    let renamed = http.post(admin("rename")).json(&json!({"id": id, "name": "Nieuw BV"})).send().await;
    assert_eq!(renamed.map(|r| r.status()).ok(), Some(StatusCode::NO_CONTENT));
    assert_eq!(ap.data().relation(&id).map(|r| r.name), Some("Nieuw BV".into()));
    let unknown = http.post(admin("rename")).json(&json!({"id": "x", "name": "y"})).send().await;
    assert_eq!(unknown.map(|r| r.status()).ok(), Some(StatusCode::NOT_FOUND));
    let fault =
        http.post(admin("faults")).json(&json!({"kind": "server_error", "status": 502, "count": 1})).send().await;
    assert_eq!(fault.map(|r| r.status()).ok(), Some(StatusCode::OK));
    let ready = http.post(admin("not-ready")).json(&json!({"calls": 1})).send().await;
    assert_eq!(ready.map(|r| r.status()).ok(), Some(StatusCode::NO_CONTENT));
    assert_eq!(get(&ap, "/relations").await.status, StatusCode::BAD_GATEWAY);
    assert_eq!(get(&ap, "/relations").await.status.as_u16(), NOT_READY_STATUS);
    let stats: Value = match http.get(admin("stats")).send().await {
        Ok(r) => r.json().await.unwrap_or_default(),
        Err(e) => panic!("stats: {e}"),
    };
    assert_eq!((&stats["total"], &stats["not_ready"]), (&json!(2), &json!(1)), "{stats}");
    let reset = http.post(admin("stats/reset")).send().await;
    assert_eq!(reset.map(|r| r.status()).ok(), Some(StatusCode::NO_CONTENT));
    assert_eq!(ap.stats().total, 0);
    let bad = http.post(admin("faults")).body("not json").send().await;
    assert_eq!(bad.map(|r| r.status()).ok(), Some(StatusCode::BAD_REQUEST));
}

#[tokio::test]
async fn with_oauth_on_the_access_tokens_of_the_oauth_stand_in_are_accepted() {
    let ap = start(AdminPulseConfig { relations: 2, oauth: true, ..Default::default() }).await;
    let Some(oauth) = ap.oauth() else { panic!("OAuth is wired in") };
    let pair = oauth.issue_tokens();
    assert_eq!(get_with(&ap, "/relations", Some(&pair.access_token)).await.status, StatusCode::OK);
    assert_eq!(get(&ap, "/relations").await.status, StatusCode::OK, "the API key still works");
    let Some((_, token_url)) = ap.oauth_urls() else { panic!("urls") };
    let refresh = reqwest::Client::new()
        .post(&token_url)
        .basic_auth(koppel_sandbox::oauth::DEMO_CLIENT_ID, Some(koppel_sandbox::oauth::DEMO_CLIENT_SECRET))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", pair.refresh_token.as_str())])
        .send()
        .await;
    let Ok(refresh) = refresh else { panic!("token endpoint answered") };
    assert_eq!(refresh.status(), StatusCode::OK, "the token endpoint is served on the same address");
    let body: Value = refresh.json().await.unwrap_or_default();
    let Some(fresh) = body["access_token"].as_str() else { panic!("a new access token: {body}") };
    assert_eq!(get_with(&ap, "/relations", Some(fresh)).await.status, StatusCode::OK);
    oauth.expire_access_tokens();
    assert_eq!(get_with(&ap, "/relations", Some(fresh)).await.status, StatusCode::UNAUTHORIZED);
    let plain = start(AdminPulseConfig { relations: 1, ..Default::default() }).await;
    assert!(plain.oauth().is_none() && plain.oauth_urls().is_none());
    assert_eq!(get_with(&plain, "/relations", Some(&pair.access_token)).await.status, StatusCode::UNAUTHORIZED);
}
