//! Shortcuts for the meeting-only OAuth providers (Zoho, Silverfin, Brokercloud): outcomes,
//! "nothing changed", and what a connector would get.

use std::collections::BTreeMap;

use koppel_core::domain::catalog::ACCESS_TOKEN_FIELD;
use koppel_core::domain::connection::{Connection, ConnectionStatus};
use koppel_core::domain::oauth::AuthStatus;
use koppel_core::ports::bus::SYNC_REQUESTED;
use koppel_core::usecases::connections;
use secrecy::ExposeSecret;

use super::{Answer, Kit, TestResult};

/// `reason` and `message` of an error outcome (fails the test on another outcome).
pub fn refusal(answer: &Answer) -> (String, String) {
    let outcome = answer.outcome();
    assert_eq!(outcome.get("outcome").map(String::as_str), Some("error"), "{outcome:?}");
    (outcome.get("reason").cloned().unwrap_or_default(), outcome.get("message").cloned().unwrap_or_default())
}

/// A `connected` outcome without a first sync (meeting-only providers).
pub fn assert_connected_without_sync(k: &Kit, answer: &Answer, conn: &Connection) {
    let outcome = answer.outcome();
    assert_eq!(outcome.get("outcome").map(String::as_str), Some("connected"), "{outcome:?}");
    assert_eq!(outcome.get("connection"), Some(&conn.id));
    assert_eq!(outcome.get("run"), None, "no first sync for a provider that only receives meetings");
    assert_eq!(sync_requests(k), 0);
}

pub fn sync_requests(k: &Kit) -> usize {
    k.h.bus.published().into_iter().filter(|e| e.detail_type == SYNC_REQUESTED).count()
}

/// Connection, secret, bus and provider as before the refused callback; no token call was made.
pub async fn assert_untouched(k: &Kit, before: &Connection) {
    let stored = k.h.reload(before).await;
    assert_eq!(stored.version, before.version, "the connection was saved");
    assert_eq!(stored.settings, before.settings, "settings changed");
    assert_eq!(stored.status, ConnectionStatus::Draft);
    assert_eq!(stored.oauth.map(|o| o.status), Some(AuthStatus::AwaitingAuthorization));
    assert!(k.h.secret_fields(before).await.iter().all(|(n, _)| n != ACCESS_TOKEN_FIELD), "tokens stored");
    assert!(k.h.bus.published().is_empty(), "something was published");
}

/// The non-token fields a connector opening this connection gets (its settings).
pub async fn connector_settings(k: &Kit, conn: &Connection) -> TestResult<BTreeMap<String, String>> {
    let stored = k.h.reload(conn).await;
    let creds = connections::credentials(&k.h.deps, &stored).await?;
    Ok(creds
        .names()
        .filter(|n| !n.ends_with("_token") && *n != "expires_at")
        .filter_map(|n| creds.get(n).map(|v| (n.to_string(), v.expose_secret().to_string())))
        .collect())
}
