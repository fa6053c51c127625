//! The stand-in over HTTP: Brokercloud's OAuth token path issues tokens its API accepts, the
//! DataTables answer, and a file's round trip (upload, search, delete) with contents not kept.

use serde_json::Value;

use super::{BrokercloudConfig, BrokercloudSandbox, DEMO_ACCESS_TOKEN};
use crate::oauth::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json::<Value>().await.unwrap_or_default())
}

#[tokio::test]
async fn oauth_tokens_from_the_v2_path_open_the_api() {
    let Ok(bc) = BrokercloudSandbox::new(BrokercloudConfig { oauth: true, ..Default::default() }).start_local().await
    else {
        panic!("starts")
    };
    let Some(oauth) = bc.oauth() else { panic!("OAuth wired in") };
    let refresh = oauth.issue_tokens().refresh_token;
    let http = reqwest::Client::new();
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ];
    let Ok(answer) = http.post(format!("{}/oauth/v2/token", bc.base_url())).form(&form).send().await else {
        panic!("token call")
    };
    let (status, body) = json(answer).await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap_or_default().to_string();
    let list = format!("{}/api/v2/parties?draw=4&start=10&length=2", bc.base_url());
    let Ok(answer) = http.get(&list).bearer_auth(&access).send().await else { panic!("list") };
    let (status, body) = json(answer).await;
    assert_eq!((status, body["draw"].as_u64(), body["recordsTotal"].as_u64()), (200, Some(4), Some(400)));
    assert_eq!(body["data"].as_array().map(Vec::len), Some(2));
    let Ok(answer) = http.get(&list).send().await else { panic!("list") };
    let (status, body) = json(answer).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_grant")));
}

#[tokio::test]
async fn a_file_round_trip() {
    let config = BrokercloudConfig { keep_file_contents: false, ..Default::default() };
    let Ok(bc) = BrokercloudSandbox::new(config).start_local().await else { panic!("starts") };
    let http = reqwest::Client::new();
    let files = format!("{}/api/v2/parties/5001/files", bc.base_url());
    let body = "--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nKoppel ref: koppel-x\r\n\
                --b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
                Content-Type: application/pdf\r\n\r\n%PDF\r\n--b--\r\n";
    let upload = http
        .post(&files)
        .bearer_auth(DEMO_ACCESS_TOKEN)
        .header("content-type", "multipart/form-data; boundary=b")
        .body(body)
        .send()
        .await;
    let Ok(answer) = upload else { panic!("upload") };
    let (status, created) = json(answer).await;
    assert_eq!((status, created["filename"].as_str(), created["size"].as_u64()), (201, Some("a.pdf"), Some(4)));
    let id = created["id"].as_u64().unwrap_or_default();
    let kept: Vec<(usize, usize)> = bc.data().files().iter().map(|f| (f.bytes.len(), f.size)).collect();
    assert_eq!(kept, vec![(0, 4)], "without contents only the size is kept");
    let search = format!("{files}?search%5Bvalue%5D=koppel-x");
    let Ok(answer) = http.get(&search).bearer_auth(DEMO_ACCESS_TOKEN).send().await else { panic!("search") };
    let (_, found) = json(answer).await;
    assert_eq!(found["recordsFiltered"].as_u64(), Some(1));
    for expected in [204, 404] {
        let Ok(answer) = http.delete(format!("{files}/{id}")).bearer_auth(DEMO_ACCESS_TOKEN).send().await else {
            panic!("delete")
        };
        assert_eq!(answer.status().as_u16(), expected);
    }
    let stats = bc.stats();
    assert_eq!((stats.created, stats.deleted, stats.calls("DELETE /api/v2/parties/{id}/files/{file}")), (1, 1, 2));
}
