//! No key or token ever reaches a log line, an error message or a `Debug` print — even when
//! the provider echoes one back in an error body.

mod common;

use chrono::NaiveDate;
use common::*;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::{PageRequest, SourceSession};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};
use wiremock::ResponseTemplate;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        self.0.lock().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
    }
}

#[tokio::test]
async fn a_full_session_with_errors_logs_no_secret() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let fx = Fixture::new().await;
    token_mock(TOKEN_1).up_to_n_times(1).expect(1).mount(&fx.server).await;
    token_mock(TOKEN_2).expect(1).mount(&fx.server).await;
    fx.api("/echo/koppel", TOKEN_1, 200, json!("koppel"), 1).await;
    fx.api("/companyInfo", TOKEN_1, 200, json!({"administratieNaam": "Demo"}), 1).await;
    // 429 then a 401 (token renewal), then a 400 whose body echoes every secret.
    api_mock("/relaties", TOKEN_1)
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&fx.server)
        .await;
    fx.api("/relaties", TOKEN_1, 401, json!({"message": "Authorization has been denied for this request."}), 1).await;
    let echo = format!("bad key {SUB_KEY} / {CONN_KEY} / {TOKEN_2}");
    fx.api("/relaties", TOKEN_2, 400, json!([{"errorCode": "X", "message": echo}]), 1).await;

    let session = fx.session();
    let probe = session.probe().await;
    assert!(probe.is_ok(), "{probe:?}");
    let request = PageRequest {
        stream: StreamKind::Customers,
        start_date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        modified_after: None,
        skip: 0,
        top: 500,
        token: None,
    };
    let err = session.fetch_page(&request).await.err();
    let Some(err) = err else { panic!("the 400 is an error") };
    tracing::error!(error = %err, debug = ?err, session = ?session, factory = ?fx.factory, "what a caller might log");

    let logs = capture.text();
    assert!(logs.contains("GET /relaties"), "the capture works: {logs}");
    assert!(err.to_string().contains("bad key ***"), "{err}");
    for secret in [SUB_KEY, CONN_KEY, TOKEN_1, TOKEN_2] {
        assert!(!logs.contains(secret), "a secret leaked into the logs");
        assert!(!format!("{err} {err:?} {session:?}").contains(secret), "a secret leaked into an error or Debug");
    }
}
