//! Shortcuts for push tests: meeting connections as a user sets them up (tested, active), and
//! meetings with reports, notes and to-dos.

use base64::Engine;
use chrono::{DateTime, Utc};
use koppel_core::domain::connection::{Connection, ConnectionStatus};
use koppel_core::domain::meeting::Meeting;
use koppel_core::domain::oauth::AuthStatus;
use koppel_core::push::input::MeetingInput;
use koppel_core::push::meetings;
use koppel_core::usecases::create_connection::CreateConnection;
use koppel_core::usecases::push_setup::PushForm;
use koppel_core::usecases::{activation, connections, create_connection, test_connection};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::harness::{Harness, TENANT};

/// An Odoo connection (address, database, key), tested and active.
pub async fn odoo(h: &Harness) -> Connection {
    let form = CreateConnection {
        provider: "odoo".into(),
        name: "Odoo kantoor".into(),
        api_key: Some(SecretString::from("0123456789abcdef0123456789abcdef01234567".to_string())),
        push: PushForm {
            server_url: Some("https://firm.odoo.example".into()),
            database: Some("firm".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let conn = create_connection::create(&h.deps, TENANT, form).await.expect("create odoo");
    activate(h, &conn.id).await
}

/// An OAuth meeting connection (`zoho`, `silverfin`, `brokercloud`) as after a successful
/// sign-in: authorized, tested, active.
pub async fn signed_in(h: &Harness, provider: &str) -> Connection {
    let form =
        CreateConnection { provider: provider.into(), name: format!("{provider} kantoor"), ..Default::default() };
    let mut conn = create_connection::create(&h.deps, TENANT, form).await.expect("create oauth connection");
    if let Some(o) = conn.oauth.as_mut() {
        o.status = AuthStatus::Authorized;
        o.expires_at = Some(at() + chrono::Duration::days(3650));
    }
    let mut creds = koppel_core::ports::secrets::Credentials::new();
    creds.insert("access_token", SecretString::from("test-access-token".to_string()));
    creds.insert("expires_at", SecretString::from((at() + chrono::Duration::days(3650)).to_rfc3339()));
    h.deps
        .secrets
        .put(&connections::secret_name(&h.deps, TENANT, &conn.id), creds.to_secret_json())
        .await
        .expect("tokens");
    connections::save(h.deps.store.as_ref(), &mut conn).await.expect("save");
    activate(h, &conn.id).await
}

async fn activate(h: &Harness, id: &str) -> Connection {
    let result = test_connection::test(&h.deps, TENANT, id).await.expect("test");
    assert!(result.ok, "test failed: {}", result.message);
    let conn = activation::activate(&h.deps, TENANT, id).await.expect("activate");
    assert_eq!(conn.status, ConnectionStatus::Active);
    conn
}

pub fn at() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T14:00:00Z").map(|d| d.with_timezone(&Utc)).unwrap_or_default()
}

/// The meeting as JSON: 2 reports, 1 note, 2 to-dos; `targets` as (connection, target kind, id).
pub fn meeting_json(targets: &[(&str, &str, &str)]) -> Value {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
    let targets: serde_json::Map<String, Value> =
        targets.iter().map(|(c, k, id)| (c.to_string(), json!({"kind": k, "id": id}))).collect();
    json!({
        "title": "Jaarbespreking 2026",
        "starts_at": at(),
        "summary": "Jaarrekening en planning besproken.",
        "reports": [
            {"id": "r1", "title": "Verslag", "file_name": "verslag.pdf", "content_base64": b64("%PDF-1.4 verslag")},
            {"id": "r2", "title": "Bijlage", "file_name": "bijlage.pdf", "content_base64": b64("%PDF-1.4 bijlage")}
        ],
        "notes": [{"id": "n1", "title": "Notitie", "text": "Klant wil maandelijks rapport."}],
        "todos": [
            {"id": "t1", "title": "Offerte sturen", "due": "2026-11-27"},
            {"id": "t2", "title": "Btw-aangifte nakijken", "text": "Q4", "done": true}
        ],
        "targets": targets
    })
}

pub async fn put_meeting(h: &Harness, id: &str, body: Value) -> Meeting {
    let input: MeetingInput = serde_json::from_value(body).expect("meeting json");
    meetings::put(&h.deps, TENANT, id, input).await.expect("put meeting")
}
