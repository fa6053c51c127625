//! The sandbox over HTTP: auth rules, OData answers and errors, admin faults and stats.

use koppel_sandbox::{DEMO_CLIENT_KEY, DEMO_SUBSCRIPTION_KEY, RunningSandbox, SandboxConfig, SnelStartSandbox};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn sandbox() -> RunningSandbox {
    let config = SandboxConfig { customers: 120, invoices: 300, ..SandboxConfig::default() };
    match SnelStartSandbox::new(config).start_local().await {
        Ok(s) => s,
        Err(e) => panic!("sandbox starts: {e}"),
    }
}

async fn token(http: &reqwest::Client, sb: &RunningSandbox) -> String {
    let answer = http
        .post(format!("{}/b2b/token", sb.auth_base()))
        .form(&[("grant_type", "clientkey"), ("clientkey", DEMO_CLIENT_KEY)])
        .send()
        .await;
    let Ok(answer) = answer else { panic!("token call") };
    assert_eq!(answer.status(), StatusCode::OK);
    let body: Value = answer.json().await.unwrap_or_default();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3599);
    body["access_token"].as_str().unwrap_or_default().to_string()
}

async fn get(
    http: &reqwest::Client,
    sb: &RunningSandbox,
    path: &str,
    token: &str,
) -> (StatusCode, Value, Option<String>) {
    let answer = http
        .get(format!("{}{path}", sb.api_base()))
        .header("Ocp-Apim-Subscription-Key", DEMO_SUBSCRIPTION_KEY)
        .bearer_auth(token)
        .send()
        .await;
    let Ok(answer) = answer else { panic!("GET {path}") };
    let status = answer.status();
    let retry_after = answer.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
    (status, answer.json().await.unwrap_or(Value::Null), retry_after)
}

#[tokio::test]
async fn token_endpoint_accepts_only_the_koppelsleutel() {
    let sb = sandbox().await;
    let http = reqwest::Client::new();
    assert!(!token(&http, &sb).await.is_empty());
    let cases = [
        (vec![("grant_type", "clientkey"), ("clientkey", "Sandbox-Koppelsleutel")], "invalid_grant"),
        (vec![("grant_type", "clientkey")], "invalid_grant"),
        (vec![("grant_type", "password"), ("clientkey", DEMO_CLIENT_KEY)], "unsupported_grant_type"),
    ];
    for (form, error) in cases {
        let answer = http.post(format!("{}/b2b/token", sb.auth_base())).form(&form).send().await;
        let Ok(answer) = answer else { panic!("token call") };
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        assert_eq!(answer.json::<Value>().await.ok(), Some(json!({"error": error})));
    }
    assert_eq!((sb.stats().token_calls, sb.stats().tokens_issued), (4, 1));
}

#[tokio::test]
async fn v2_needs_the_subscription_key_and_a_live_token() {
    let sb = sandbox().await;
    let http = reqwest::Client::new();
    let token = token(&http, &sb).await;
    let url = format!("{}/relaties", sb.api_base());
    let no_key = http.get(&url).bearer_auth(&token).send().await.map(|r| r.status());
    assert_eq!(no_key.ok(), Some(StatusCode::UNAUTHORIZED));
    let wrong_key = http.get(&url).header("Ocp-Apim-Subscription-Key", "nope").bearer_auth(&token).send().await;
    let Ok(wrong_key) = wrong_key else { panic!("call") };
    let body: Value = wrong_key.json().await.unwrap_or_default();
    assert_eq!(body["statusCode"], 401);
    assert!(body["message"].as_str().unwrap_or_default().contains("invalid subscription key"));
    let (status, body, _) = get(&http, &sb, "/relaties", "made-up").await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, json!({"message": "Authorization has been denied for this request."}))
    );
    let (status, body, _) = get(&http, &sb, "/echo/hallo", &token).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"echo": "hallo"})));
    let (status, body, _) = get(&http, &sb, "/companyInfo", &token).await;
    assert_eq!((status, body["administratieNaam"].clone()), (StatusCode::OK, json!("Demo Administratie B.V.")));
    sb.faults().expire_tokens();
    let (status, _, _) = get(&http, &sb, "/echo/hallo", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn lists_page_and_filter_and_refuse_bad_queries() {
    let sb = sandbox().await;
    let http = reqwest::Client::new();
    let token = token(&http, &sb).await;
    let (_, all, _) = get(&http, &sb, "/relaties?$top=500", &token).await;
    let all = all.as_array().cloned().unwrap_or_default();
    assert_eq!(all.len(), 120);
    let (_, page, _) = get(&http, &sb, "/relaties?%24top=10&%24skip=20", &token).await;
    assert_eq!(page.as_array().map(|p| p.as_slice()), Some(&all[20..30]));
    let first = all[0]["modifiedOn"].as_str().unwrap_or_default();
    assert!(!first.ends_with('Z'), ".NET style, no zone: {first}");
    let filter = format!("/relaties?$filter=ModifiedOn%20gt%20{}Z", all[99]["modifiedOn"].as_str().unwrap_or_default());
    let (_, newer, _) = get(&http, &sb, &filter, &token).await;
    assert_eq!(newer.as_array().map(|p| p.as_slice()), Some(&all[100..]));
    let (_, invoices, _) =
        get(&http, &sb, "/verkoopfacturen?$filter=factuurdatum%20ge%202024-01-01T00:00:00Z", &token).await;
    let invoices = invoices.as_array().cloned().unwrap_or_default();
    assert!(!invoices.is_empty() && invoices.len() < 300);
    assert!(invoices.iter().all(|i| i["factuurdatum"].as_str().unwrap_or_default() >= "2024-01-01"));

    let bad = [
        ("/relaties?$top=501", "modelState"),
        ("/relaties?$skip=x", "modelState"),
        ("/relaties?$filter=ModifiedOn%20gt%20gisteren", "message"),
        ("/relaties?$filter=factuurdatum%20ge%202020-01-01", "errorCode"),
    ];
    for (path, shape) in bad {
        let (status, body, _) = get(&http, &sb, path, &token).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(body.to_string().contains(shape), "{path}: {body}");
    }
}

#[tokio::test]
async fn garbage_queries_never_break_the_server() {
    let sb = sandbox().await;
    let http = reqwest::Client::new();
    let token = token(&http, &sb).await;
    let garbage = [
        "$filter=%",
        "$filter=%%%",
        "$top=%FF",
        "$filter=ModifiedOn",
        "$filter=and",
        "$filter=ModifiedOn%20gt%202020-01-01%20and",
        "$skip=18446744073709551616",
        "$skip=18446744073709551615",
        "&&==&&",
        "$filter=ModifiedOn%20gt%202020-13-45",
        "$filter=%E2%82%AC%20gt%201",
    ];
    for query in garbage {
        let (status, _, _) = get(&http, &sb, &format!("/verkoopfacturen?{query}"), &token).await;
        assert!(status == StatusCode::OK || status == StatusCode::BAD_REQUEST, "{query}: {status}");
    }
    let (status, _, _) = get(&http, &sb, "/relaties", &token).await;
    assert_eq!(status, StatusCode::OK, "still serving");
}

#[tokio::test]
async fn admin_faults_and_stats_over_http() {
    let sb = sandbox().await;
    let http = reqwest::Client::new();
    let token = token(&http, &sb).await;
    let admin = |path: &str| format!("{}/__admin/{path}", sb.base_url());
    let fault = json!({"kind": "rate_limit", "retry_after_secs": 2, "count": 1, "path_prefix": "/v2/relaties"});
    let posted = http.post(admin("faults")).json(&fault).send().await.map(|r| r.status());
    assert_eq!(posted.ok(), Some(StatusCode::OK));
    let (status, _, _) = get(&http, &sb, "/verkoopfacturen", &token).await;
    assert_eq!(status, StatusCode::OK, "other paths are not hit");
    let (status, body, retry_after) = get(&http, &sb, "/relaties", &token).await;
    assert_eq!((status, retry_after.as_deref()), (StatusCode::TOO_MANY_REQUESTS, Some("2")));
    assert_eq!(body["statusCode"], 429);
    let (status, _, _) = get(&http, &sb, "/relaties", &token).await;
    assert_eq!(status, StatusCode::OK);

    let _ = http.post(admin("faults")).json(&json!({"kind": "server_error", "status": 503, "count": 1})).send().await;
    let (status, _, _) = get(&http, &sb, "/relaties", &token).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let _ = http.post(admin("faults")).json(&json!({"kind": "expire_tokens"})).send().await;
    let (status, _, _) = get(&http, &sb, "/relaties", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let bad = http.post(admin("faults")).body("{").send().await.map(|r| r.status());
    assert_eq!(bad.ok(), Some(StatusCode::BAD_REQUEST));

    let stats: Value = match http.get(admin("stats")).send().await {
        Ok(r) => r.json().await.unwrap_or_default(),
        Err(e) => panic!("stats: {e}"),
    };
    assert_eq!(stats["by_path"]["/v2/relaties"], 4);
    assert_eq!(stats["token_calls"], 1);
    assert_eq!(stats["faults_served"], 2);
    assert_eq!(stats["by_status"]["429"], 1);
}

#[tokio::test]
async fn admin_data_hooks_over_http() {
    let sb = sandbox().await;
    let http = reqwest::Client::new();
    let admin = |path: &str| format!("{}/__admin/{path}", sb.base_url());
    let touched: Value = match http.post(admin("touch")).json(&json!({"resource": "relaties", "count": 3})).send().await
    {
        Ok(r) => r.json().await.unwrap_or_default(),
        Err(e) => panic!("touch: {e}"),
    };
    let ids = touched["ids"].as_array().cloned().unwrap_or_default();
    assert_eq!(ids.len(), 3);
    let order = sb.data().ids_in_order(koppel_sandbox::Resource::Relaties);
    assert!(ids.iter().all(|id| order[117..].contains(&id.as_str().unwrap_or_default().to_string())));
    let id = ids[0].as_str().unwrap_or_default();
    let set = json!({"resource": "relaties", "id": id, "field": "naam", "value": "Nieuwe Naam B.V."});
    assert_eq!(http.post(admin("set")).json(&set).send().await.map(|r| r.status()).ok(), Some(StatusCode::NO_CONTENT));
    let row: Value = match http.get(admin(&format!("records/relaties/{id}"))).send().await {
        Ok(r) => r.json().await.unwrap_or_default(),
        Err(e) => panic!("record: {e}"),
    };
    assert_eq!(row["naam"], "Nieuwe Naam B.V.");
    let added =
        http.post(admin("add")).json(&json!({"resource": "invoices", "count": 2})).send().await.map(|r| r.status());
    assert_eq!(added.ok(), Some(StatusCode::OK));
    assert_eq!(sb.data().len(koppel_sandbox::Resource::Verkoopfacturen), 302);
    let unknown =
        http.post(admin("touch")).json(&json!({"resource": "boekingen", "count": 1})).send().await.map(|r| r.status());
    assert_eq!(unknown.ok(), Some(StatusCode::BAD_REQUEST));
}
