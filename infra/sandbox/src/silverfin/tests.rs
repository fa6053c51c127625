//! The stand-in over HTTP: Silverfin's error shapes, paging to an empty array, a multipart upload
//! read back, a stall after store, and the admin routes. (The connector's own tests are in
//! `tests/tests/silverfin_push*.rs`.)

use serde_json::{Value, json};
use std::time::Duration;

use super::{DEMO_ACCESS_TOKEN, RunningSilverfin, SilverfinConfig, SilverfinSandbox};

async fn start() -> RunningSilverfin {
    let config =
        SilverfinConfig { companies: 3, other_firms: vec![("77".into(), "Other".into())], ..Default::default() };
    match SilverfinSandbox::new(config).start_local().await {
        Ok(sf) => sf,
        Err(e) => panic!("starts: {e}"),
    }
}

async fn call(sf: &RunningSilverfin, method: reqwest::Method, path: &str, token: Option<&str>) -> (u16, Value) {
    let client = reqwest::Client::new();
    let mut request = client.request(method, format!("{}{path}", sf.base_url()));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    match request.send().await {
        Ok(r) => (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null)),
        Err(e) => panic!("{path}: {e}"),
    }
}

#[tokio::test]
async fn error_shapes_and_paging_are_silverfins() {
    let sf = start().await;
    let get = reqwest::Method::GET;
    let t = Some(DEMO_ACCESS_TOKEN);
    let (status, body) = call(&sf, get.clone(), "/api/v4/f/4242/user/firm", None).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_token")));
    sf.faults().expire(DEMO_ACCESS_TOKEN);
    let (status, body) = call(&sf, get.clone(), "/api/v4/f/4242/user/firm", t).await;
    assert_eq!((status, body["error_description"].as_str()), (401, Some("The access token expired")));
    sf.faults().restore_all();
    assert_eq!(call(&sf, get.clone(), "/api/v4/f/9/user/firm", t).await.0, 404);
    let (status, body) = call(&sf, get.clone(), "/api/v4/f/77/user/firm", t).await;
    assert_eq!((status, body), (200, json!({"id": 77, "name": "Other"})));
    let (_, page) = call(&sf, get.clone(), "/api/v4/f/4242/companies?page=1&per_page=2", t).await;
    assert_eq!(page.as_array().map(Vec::len), Some(2));
    let (_, last) = call(&sf, get.clone(), "/api/v4/f/4242/companies?page=2&per_page=2", t).await;
    let (_, past) = call(&sf, get.clone(), "/api/v4/f/4242/companies?page=3&per_page=2", t).await;
    assert_eq!((last.as_array().map(Vec::len), past), (Some(1), json!([])));
    let (status, body) = call(&sf, get.clone(), "/api/v4/f/77/companies/10001/periods", t).await;
    assert_eq!((status, body), (404, json!({"error": "Company not found"})));
    let stats = sf.stats();
    assert_eq!((stats.unauthorized, stats.calls("GET /api/v4/f/{firm}/companies")), (2, 3));
}

#[tokio::test]
async fn remarks_documents_and_a_stall_after_store() {
    let sf = start().await;
    let client = reqwest::Client::new();
    let base = format!("{}/api/v4/f/4242/companies/10001", sf.base_url());
    let blank = client
        .post(format!("{base}/periods/1000104/remarks"))
        .bearer_auth(DEMO_ACCESS_TOKEN)
        .json(&json!({"text": " "}));
    let answer = blank.send().await.ok();
    assert_eq!(answer.map(|r| r.status().as_u16()), Some(422));

    sf.faults().stall_after_store(1, Duration::from_secs(30));
    let form = "--B\r\nContent-Disposition: form-data; name=\"parent_id\"\r\n\r\n0\r\n--B\r\nContent-Disposition: form-data; \
name=\"content\"; filename=\"r.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--B--\r\n";
    let upload = reqwest::Client::builder().timeout(Duration::from_millis(300)).build().unwrap_or_default();
    let sent = upload
        .post(format!("{base}/permanent_documents"))
        .bearer_auth(DEMO_ACCESS_TOKEN)
        .header("content-type", "multipart/form-data; boundary=B")
        .body(form)
        .send()
        .await;
    assert!(sent.is_err_and(|e| e.is_timeout()), "the client gave up");
    let docs = sf.data().documents(10001);
    assert_eq!(
        docs.iter().map(|d| (d.name.as_str(), d.content.as_slice())).collect::<Vec<_>>(),
        vec![("r.pdf", &b"%PDF"[..])]
    );
    let (_, folder) =
        call(&sf, reqwest::Method::GET, "/api/v4/f/4242/companies/10001/permanent_folders/0", Some(DEMO_ACCESS_TOKEN))
            .await;
    assert_eq!(folder["children"][0]["name"], "r.pdf");

    let admin = client
        .post(format!("{}/_admin/faults", sf.base_url()))
        .json(&json!({"kind":"rate_limit","retry_after_secs":3,"count":1}));
    assert_eq!(admin.send().await.ok().map(|r| r.status().as_u16()), Some(200));
    let limited = client.get(format!("{base}/periods")).bearer_auth(DEMO_ACCESS_TOKEN).send().await.ok();
    let retry_after =
        limited.as_ref().and_then(|r| r.headers().get("retry-after")).and_then(|v| v.to_str().ok()).map(str::to_string);
    assert_eq!((limited.map(|r| r.status().as_u16()), retry_after.as_deref()), (Some(429), Some("3")));
    let items: Value = match client.get(format!("{}/_admin/companies/10001/items", sf.base_url())).send().await {
        Ok(r) => r.json().await.unwrap_or(Value::Null),
        Err(e) => panic!("items: {e}"),
    };
    assert_eq!(
        (items["documents"].as_array().map(Vec::len), items["remarks"].as_array().map(Vec::len)),
        (Some(1), Some(0))
    );
    assert_eq!((sf.stats().stalls, sf.stats().documents_created), (1, 1));
}
