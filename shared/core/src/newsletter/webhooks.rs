//! Koppel's webhooks at the provider: registered when a newsletter connection is activated,
//! removed when it is deactivated. The URL carries an opaque hook id; the route item
//! `HOOK#{hook}` says which tenant and connection it belongs to.

use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use super::calls;
use crate::domain::catalog::WEBHOOK_TOKEN;
use crate::domain::connection::Connection;
use crate::domain::newsletter::WebhookState;
use crate::ports::Cond;
use crate::{AppError, Deps, keys, repo};

/// The events Koppel acts on (their provider names are connector assumptions, see
/// `koppel_connectors::flexmail::assumptions`).
pub const EVENTS: [&str; 3] = ["contact.unsubscribed", "contact.clicked", "contact.bounced"];

/// Where a webhook request goes: the route item's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookRoute {
    pub tenant_id: String,
    pub connection_id: String,
}

pub fn target_url(deps: &Deps, hook_id: &str) -> String {
    format!("{}/webhooks/flexmail/{hook_id}", deps.public_url.trim_end_matches('/'))
}

/// Register the webhooks (idempotent: already registered ones are kept).
pub async fn register(deps: &Deps, conn: &mut Connection) -> Result<(), AppError> {
    let opened = calls::open(deps, conn).await?;
    let token = opened
        .creds
        .get(WEBHOOK_TOKEN)
        .ok_or_else(|| AppError::conflict("the connection has no webhook secret", "Create the connection again."))?
        .clone();
    let mut caller = calls::caller(deps, conn, opened.api.as_ref()).await?;
    let settings = conn.newsletter.as_mut().ok_or_else(|| AppError::Corrupt("no settings".into()))?;
    let mut state = settings.webhook.clone().unwrap_or_else(|| {
        let hook_id = deps.ids.new_id().to_lowercase();
        WebhookState { target_url: target_url(deps, &hook_id), hook_id, registered: Vec::new() }
    });
    let route = HookRoute { tenant_id: conn.tenant_id.clone(), connection_id: conn.id.clone() };
    deps.store.put(repo::encode(&keys::hook_pk(&state.hook_id), keys::HOOK_SK, &route, 1), Cond::None).await?;
    let offered = caller.call(|a| a.webhook_events()).await.map_err(calls::stop_error);
    let offered = match offered {
        Ok(o) => o,
        Err(e) => {
            caller.save(deps.store.as_ref()).await?;
            return Err(e);
        }
    };
    let mut warnings = Vec::new();
    let mut outcome = Ok(());
    for event in EVENTS {
        if state.registered.iter().any(|(_, e)| e == event) {
            continue;
        }
        if !offered.iter().any(|o| o == event) {
            warnings.push(format!("Flexmail does not offer the webhook event {event:?}; the reconciliation covers it"));
            continue;
        }
        let url = state.target_url.clone();
        match caller.call(|a| a.register_webhook(event, &url, token.expose_secret())).await {
            Ok(w) => state.registered.push((w.id, event.to_string())),
            Err(s) => {
                outcome = Err(calls::stop_error(s));
                break;
            }
        }
    }
    caller.save(deps.store.as_ref()).await?;
    settings.webhook = Some(state);
    conn.warnings.retain(|w| !w.contains("webhook event"));
    conn.warnings.extend(warnings);
    outcome
}

/// Remove the webhooks; problems become warnings on the connection (deactivation goes on).
pub async fn remove(deps: &Deps, conn: &mut Connection) {
    let Some(state) = conn.newsletter.as_ref().and_then(|s| s.webhook.clone()) else { return };
    let mut left = Vec::new();
    match calls::open(deps, conn).await {
        Ok(opened) => match calls::caller(deps, conn, opened.api.as_ref()).await {
            Ok(mut caller) => {
                for (id, event) in &state.registered {
                    if caller.call(|a| a.delete_webhook(id)).await.is_err() {
                        left.push((id.clone(), event.clone()));
                    }
                }
                if let Err(e) = caller.save(deps.store.as_ref()).await {
                    tracing::warn!(error = %e, "could not save the call budget");
                }
            }
            Err(_) => left = state.registered.clone(),
        },
        Err(_) => left = state.registered.clone(),
    }
    if let Err(e) = deps.store.delete(&keys::hook_pk(&state.hook_id), keys::HOOK_SK, Cond::None).await {
        tracing::warn!(error = %e, "could not remove the webhook route");
    }
    if !left.is_empty() {
        conn.warnings.push(format!(
            "{} webhook(s) could not be removed from Flexmail; their requests are refused (unknown webhook)",
            left.len()
        ));
    }
    if let Some(s) = conn.newsletter.as_mut() {
        s.webhook = None;
    }
}
