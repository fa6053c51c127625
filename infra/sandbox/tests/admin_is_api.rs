//! The Admin IS stand-in over HTTP: token from the key, the token header, API settings, paging
//! with `link` headers, filters, the change feed, the rate limit on its own clock, 414, faults,
//! read-only, and the binary's first line.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};
use koppel_sandbox::admin_is::{AdminIsConfig, AdminIsSandbox, FIRST_CUSTOMER_ID, RunningAdminIs, StandInClock};
use reqwest::StatusCode;
use serde_json::Value;

/// A clock the test moves by hand (milliseconds from a fixed start).
#[derive(Clone, Default)]
struct Hand(Arc<AtomicI64>);

impl Hand {
    fn start() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z").map(|d| d.with_timezone(&Utc)).unwrap_or_default()
    }
    fn now(&self) -> DateTime<Utc> {
        Self::start() + Duration::milliseconds(self.0.load(Ordering::SeqCst))
    }
    fn advance(&self, d: Duration) {
        self.0.fetch_add(d.num_milliseconds(), Ordering::SeqCst);
    }
    fn stand_in(&self) -> StandInClock {
        let me = self.clone();
        StandInClock::from_fn(move || me.now())
    }
}

async fn office(config: AdminIsConfig) -> (RunningAdminIs, Hand) {
    let hand = Hand::default();
    let config = AdminIsConfig { clock: hand.stand_in(), ..config };
    (AdminIsSandbox::new(config).start_local().await.expect("stand-in"), hand)
}

struct Answer {
    status: StatusCode,
    body: Value,
    link: Option<String>,
}

async fn get(office: &RunningAdminIs, path_and_query: &str, token: Option<&str>) -> Answer {
    let mut request = reqwest::Client::new()
        .get(format!("{}{path_and_query}", office.base_url()))
        .header("Content-Type", "application/json;charset=UTF-8");
    if let Some(t) = token {
        request = request.header("synetonToken", t);
    }
    let answer = request.send().await.expect("answer");
    let status = answer.status();
    let link = answer.headers().get("link").and_then(|v| v.to_str().ok()).map(str::to_string);
    Answer { status, body: answer.json().await.unwrap_or(Value::Null), link }
}

async fn token(office: &RunningAdminIs) -> String {
    let a = get(office, &format!("/api/v1/token/{}", office.api_key()), None).await;
    assert_eq!(a.status, StatusCode::OK);
    a.body["TokenGuid"].as_str().expect("TokenGuid").to_string()
}

fn rows(a: &Answer) -> Vec<u64> {
    a.body.as_array().map(|r| r.iter().filter_map(|x| x["CustomerId"].as_u64()).collect()).unwrap_or_default()
}

#[tokio::test]
async fn tokens_come_from_the_key_and_live_until_time_to_live() {
    let (office, hand) = office(AdminIsConfig { customers: 3, ..Default::default() }).await;
    let a = get(&office, &format!("/api/v1/token/{}", office.api_key()), None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["TimeToLive"], "2026-03-02T10:20:00", "now + 20 minutes, no zone");
    let token = a.body["TokenGuid"].as_str().expect("TokenGuid").to_string();
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&token)).await.status, StatusCode::OK);
    assert_eq!(get(&office, "/api/v1/apisettings", None).await.status, StatusCode::UNAUTHORIZED, "no header");
    assert_eq!(get(&office, "/api/v1/apisettings", Some("nope")).await.status, StatusCode::UNAUTHORIZED);
    hand.advance(Duration::minutes(20));
    let expired = get(&office, "/api/v1/apisettings", Some(&token)).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED, "expired at TimeToLive");
    assert!(expired.body["ErrorMessage"].as_str().is_some_and(|m| m.contains("token")));

    let fresh = self::token(&office).await;
    office.faults().expire_tokens();
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&fresh)).await.status, StatusCode::UNAUTHORIZED);

    let wrong = get(&office, "/api/v1/token/wrong-key", None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    office.faults().set_vendor_active(false);
    let inactive = get(&office, &format!("/api/v1/token/{}", office.api_key()), None).await;
    assert_eq!(inactive.status, StatusCode::FORBIDDEN);
    assert!(inactive.body["ErrorMessage"].as_str().is_some_and(|m| m.contains("not active")));
    let stats = office.stats();
    assert!(stats.recent.iter().all(|r| !r.path.contains(office.api_key())), "the key is not kept in the stats");
    assert_eq!(stats.token_calls, 4);
}

#[tokio::test]
async fn settings_and_paging_with_link_headers() {
    let (office, _) =
        office(AdminIsConfig { customers: 25, default_per_page: 4, max_per_page: 10, ..Default::default() }).await;
    let t = token(&office).await;
    let s = get(&office, "/api/v1/apisettings", Some(&t)).await.body;
    assert_eq!((s["DefaultRecordsPerPage"].as_u64(), s["MaxRecordsPerPage"].as_u64()), (Some(4), Some(10)));
    assert_eq!((s["RateLimit"].as_u64(), s["DurationToken"].as_u64()), (Some(120), Some(20)));

    assert_eq!(rows(&get(&office, "/api/v1/customers", Some(&t)).await).len(), 4, "the default page size");
    let first = get(&office, "/api/v1/customers?per_page=50", Some(&t)).await;
    assert_eq!(rows(&first).len(), 10, "per_page capped at MaxRecordsPerPage");
    let link = first.link.expect("link header");
    let base = office.base_url();
    assert!(link.contains(&format!("<{base}/api/v1/customers?per_page=10&page=2>; rel=\"next\"")), "{link}");
    assert!(link.contains("page=3>; rel=\"last\"") && !link.contains("rel=\"prev\""), "{link}");
    let last = get(&office, "/api/v1/customers?per_page=10&page=3", Some(&t)).await;
    assert_eq!(rows(&last), (FIRST_CUSTOMER_ID + 20..FIRST_CUSTOMER_ID + 25).collect::<Vec<_>>());
    assert!(last.link.is_some_and(|l| l.contains("rel=\"prev\"") && !l.contains("rel=\"next\"")));
    let beyond = get(&office, "/api/v1/customers?per_page=10&page=4", Some(&t)).await;
    assert_eq!((beyond.status, beyond.body["ErrorMessage"].as_str()), (StatusCode::NOT_FOUND, Some("Nothing found")));
    let c = &first.body[0];
    for field in
        ["CustomerId", "Name", "Firstname", "IsCompany", "VATNr", "Email", "CustCode", "IsActive", "Newsletter"]
    {
        assert!(c.get(field).is_some(), "{field} in {c}");
    }
    assert!(c.get("City").is_none(), "addresses come from customeraddresses");
}

#[tokio::test]
async fn filters_for_ids_and_the_change_feed() {
    let (office, hand) = office(AdminIsConfig { customers: 30, max_per_page: 50, ..Default::default() }).await;
    let t = token(&office).await;
    let ids = get(&office, "/api/v1/customers?Filter=CustomerId%20in%20(1003,%201001,%209999)", Some(&t)).await;
    assert_eq!(rows(&ids), vec![1001, 1003]);
    let paged =
        get(&office, "/api/v1/customers?Filter=CustomerId%20in%20(1001,1002,1003,1004,1005,1006)&per_page=5", Some(&t))
            .await;
    let next = paged.link.unwrap_or_default();
    assert!(next.contains("Filter=CustomerId%20in%20(1001,1002,1003,1004,1005,1006)&per_page=5&page=2"), "{next}");
    let addresses = get(&office, "/api/v1/customeraddresses?Filter=CustomerId%20in%20(1002)", Some(&t)).await;
    assert!(addresses.body[0]["RegisteredOffice"].as_bool().unwrap_or(false) && addresses.body[0]["City"].is_string());
    let bad = get(&office, "/api/v1/customers?Filter=Colour%20eq%201", Some(&t)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let feed = "/api/v1/customer/changes?Filter=TableName%20in%20(%27CUSTOMER%27)%20and%20DateAction%20ge%20%272026-03-02%2010:00:00%27";
    assert_eq!(get(&office, feed, Some(&t)).await.status, StatusCode::NOT_FOUND, "nothing since now");
    hand.advance(Duration::seconds(90));
    assert!(office.data().update(1004, |c| c.name = "Nieuwe Naam".into()));
    assert!(office.data().delete(1005));
    let changes = get(&office, feed, Some(&t)).await.body;
    let got: Vec<(String, u64, String)> = changes
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    (
                        r["ActionType"].as_str().unwrap_or_default().to_string(),
                        r["Id"].as_u64().unwrap_or_default(),
                        r["DateAction"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let at = "2026-03-02T10:01:30".to_string();
    assert_eq!(got, vec![("UPDATE".into(), 1004, at.clone()), ("DELETE".into(), 1005, at)]);
    let all = get(&office, "/api/v1/customer/changes?per_page=500", Some(&t)).await;
    assert_eq!(all.body.as_array().map(Vec::len), Some(32), "30 INSERTs dated before now, then the two");
}

#[tokio::test]
async fn the_rate_limit_runs_on_the_stand_ins_clock() {
    let (office, hand) = office(AdminIsConfig { customers: 3, rate_limit: 3, ..Default::default() }).await;
    let t = token(&office).await;
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&t)).await.status, StatusCode::OK);
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&t)).await.status, StatusCode::OK);
    let refused = get(&office, "/api/v1/apisettings", Some(&t)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "the fourth call of the minute");
    assert!(
        refused.body["ErrorMessage"]
            .as_str()
            .is_some_and(|m| m.to_lowercase().contains("you are throttling the system"))
    );
    hand.advance(Duration::seconds(60));
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&t)).await.status, StatusCode::OK, "a new minute");
    office.faults().set_rate_limit(None);
    for _ in 0..5 {
        assert_eq!(get(&office, "/api/v1/apisettings", Some(&t)).await.status, StatusCode::OK);
    }
    assert_eq!(office.stats().throttled, 1);
}

#[tokio::test]
async fn long_addresses_writes_and_faults() {
    let (office, _) = office(AdminIsConfig { customers: 3, max_url_len: 60, ..Default::default() }).await;
    let t = token(&office).await;
    let long = get(&office, "/api/v1/customers?Filter=CustomerId%20in%20(1001,1002,1003,1004)", Some(&t)).await;
    assert_eq!(long.status, StatusCode::URI_TOO_LONG);
    let write = reqwest::Client::new()
        .post(format!("{}/api/v1/customers", office.base_url()))
        .header("synetonToken", &t)
        .send()
        .await;
    assert_eq!(write.map(|r| r.status()).ok(), Some(StatusCode::METHOD_NOT_ALLOWED));
    assert_eq!(office.stats().writes, 1);

    office.faults().server_error(1, 503);
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&t)).await.status, StatusCode::SERVICE_UNAVAILABLE);
    office.faults().no_permission(1, "/api/v1/customers");
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&t)).await.status, StatusCode::OK, "another path");
    let denied = get(&office, "/api/v1/customers", Some(&t)).await;
    assert!(denied.body["ErrorMessage"].as_str().is_some_and(|m| m.contains("no valid configuration for token")));
    office.faults().throttle(1);
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&t)).await.status, StatusCode::FORBIDDEN);
    office.faults().unauthorized(1);
    assert_eq!(
        get(&office, &format!("/api/v1/token/{}", office.api_key()), None).await.status,
        StatusCode::OK,
        "401 faults spare the token call"
    );
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&t)).await.status, StatusCode::UNAUTHORIZED);
    office.faults().slow(1, std::time::Duration::from_millis(150));
    let started = std::time::Instant::now();
    assert_eq!(get(&office, "/api/v1/apisettings", Some(&t)).await.status, StatusCode::OK);
    assert!(started.elapsed() >= std::time::Duration::from_millis(150), "answered late");
    assert!(office.faults().pending().is_empty());
}

#[tokio::test]
async fn the_binary_prints_its_address_first() {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_koppel-adminis-sandbox"))
        .args(["--port", "0", "--customers", "5"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let first = tokio::io::BufReader::new(stdout).lines().next_line().await.ok().flatten().unwrap_or_default();
    let base = first.strip_prefix("ADMINIS_BASE_URL=").expect("first line").to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let answer = reqwest::get(format!("{base}/api/v1/token/sandbox-adminis-api-key")).await.expect("token call");
    assert_eq!(answer.status(), StatusCode::OK);
    let _ = child.kill().await;
}
