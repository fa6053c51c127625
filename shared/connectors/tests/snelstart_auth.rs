//! Token, headers, the 401 rule and the probe, against wiremock.

mod common;

use common::*;
use koppel_core::ports::source::{ConnectorError, SourceFactory, SourceSession};
use serde_json::json;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn probe_fetches_one_token_then_echo_and_company_info() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    fx.api("/echo/koppel", TOKEN_1, 200, json!("koppel"), 1).await;
    fx.api("/companyInfo", TOKEN_1, 200, json!({"administratieNaam": "Demo BV 2024", "bedrijfsnaam": "Demo BV"}), 1)
        .await;
    let session = fx.session();
    let info = session.probe().await;
    assert_eq!(info.map(|i| i.account), Ok(Some("Demo BV 2024".to_string())));
    assert_eq!(session.api_calls(), 3, "token + echo + companyInfo");
}

#[tokio::test]
async fn company_info_failure_does_not_fail_the_probe() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    fx.api("/echo/koppel", TOKEN_1, 200, json!("koppel"), 1).await;
    fx.api("/companyInfo", TOKEN_1, 403, json!({"message": "scope settings:read ontbreekt"}), 1).await;
    let info = fx.session().probe().await;
    assert_eq!(info.map(|i| i.account), Ok(None));
}

#[tokio::test]
async fn the_token_is_cached_between_calls() {
    let fx = Fixture::new().await;
    fx.token(TOKEN_1, 1).await;
    fx.api("/relaties", TOKEN_1, 200, json!([relatie(1)]), 3).await;
    let session = fx.session();
    for _ in 0..3 {
        let page = session.fetch_page(&page_request()).await;
        assert_eq!(page.map(|p| p.raw_len), Ok(1));
    }
    assert_eq!(session.api_calls(), 4);
}

#[tokio::test]
async fn a_401_renews_the_token_exactly_once() {
    let fx = Fixture::new().await;
    token_mock(TOKEN_1).up_to_n_times(1).expect(1).mount(&fx.server).await;
    token_mock(TOKEN_2).expect(1).mount(&fx.server).await;
    fx.api("/relaties", TOKEN_1, 401, json!({"message": "Authorization has been denied for this request."}), 1).await;
    fx.api("/relaties", TOKEN_2, 200, json!([relatie(1), relatie(2)]), 2).await;
    let session = fx.session();
    assert_eq!(session.fetch_page(&page_request()).await.map(|p| p.raw_len), Ok(2));
    assert_eq!(session.fetch_page(&page_request()).await.map(|p| p.raw_len), Ok(2), "new token is kept");
    assert_eq!(session.api_calls(), 5, "token, 401, token, 200, 200");
}

#[tokio::test]
async fn a_second_401_blames_the_subscription_key() {
    let fx = Fixture::new().await;
    token_mock(TOKEN_1).up_to_n_times(1).expect(1).mount(&fx.server).await;
    token_mock(TOKEN_2).expect(1).mount(&fx.server).await;
    let apim = json!({"statusCode": 401, "message": "Access denied due to invalid subscription key."});
    fx.api("/echo/koppel", TOKEN_1, 401, apim.clone(), 1).await;
    fx.api("/echo/koppel", TOKEN_2, 401, apim, 1).await;
    let err = fx.session().probe().await.err();
    let Some(ConnectorError::Unauthorized { what, hint, .. }) = &err else {
        panic!("expected Unauthorized, got {err:?}")
    };
    assert!(what.contains("subscription key"), "{what}");
    assert!(hint.contains("subscription"), "{hint}");
}

#[tokio::test]
async fn a_refused_token_request_blames_the_connection_key() {
    for status in [400u16, 401] {
        let fx = Fixture::new().await;
        let refusal = ResponseTemplate::new(status).set_body_json(json!({"error": "invalid_grant"}));
        token_request().respond_with(refusal).expect(1).mount(&fx.server).await;
        let session = fx.session();
        let err = session.probe().await.err();
        let Some(ConnectorError::Unauthorized { what, hint, .. }) = &err else { panic!("{status}: got {err:?}") };
        assert!(what.contains("connection key"), "{what}");
        assert!(hint.contains("case-sensitive") && hint.contains("Koppelingen"), "{hint}");
        assert_eq!(session.api_calls(), 1, "a refused key is not retried");
    }
}

#[tokio::test]
async fn missing_or_blank_credentials_are_reported_by_name() {
    let fx = Fixture::new().await;
    let cases = [
        (credentials("", CONN_KEY), "subscription_key"),
        (credentials(SUB_KEY, "  "), "connection_key"),
        (koppel_core::ports::secrets::Credentials::new(), "subscription_key"),
    ];
    for (creds, field) in cases {
        let err = fx.factory.open("snelstart", creds).err();
        assert_eq!(err, Some(ConnectorError::MissingCredential(field.into())));
    }
    assert!(matches!(
        fx.factory.open("flexmail", credentials(SUB_KEY, CONN_KEY)).err(),
        Some(ConnectorError::Rejected { .. })
    ));
    let err = fx.factory.open("snelstart", credentials("line\nbreak", CONN_KEY)).err();
    assert!(matches!(err, Some(ConnectorError::Unauthorized { what, .. }) if what.contains("subscription key")));
}

fn page_request() -> koppel_core::ports::source::PageRequest {
    koppel_core::ports::source::PageRequest {
        stream: koppel_core::domain::stream::StreamKind::Customers,
        start_date: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        modified_after: None,
        skip: 0,
        top: 500,
        token: None,
    }
}
