//! A webhook request from the provider: find the connection by the URL's hook id, let the
//! caller verify the request with that connection's secret, then apply the event once.

use chrono::Duration;
use secrecy::SecretString;
use serde::Serialize;

use super::apply;
use super::mirror::{self, MirrorContact};
use super::webhooks::HookRoute;
use crate::domain::catalog::WEBHOOK_TOKEN;
use crate::domain::connection::{Connection, ConnectionStatus};
use crate::domain::contact::normalise_email;
use crate::ports::bus::{DomainEvent, NEWSLETTER_BOUNCED};
use crate::ports::newsletter::{NewsletterEvent, NewsletterEventKind};
use crate::ports::secrets::Credentials;
use crate::ports::{Cond, StoreError};
use crate::usecases::connections;
use crate::{AppError, Deps, keys, repo};

/// How long an event id is remembered for de-duplication.
pub const DEDUPE_DAYS: i64 = 7;

pub struct Resolved {
    pub conn: Connection,
    pub token: SecretString,
}

fn unknown() -> AppError {
    AppError::NotFound("webhook (it may have been removed when its connection was deactivated)".into())
}

pub async fn resolve(deps: &Deps, hook_id: &str) -> Result<Resolved, AppError> {
    if hook_id.is_empty() || hook_id.len() > 64 || !hook_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(unknown());
    }
    let store = deps.store.as_ref();
    let (route, _) =
        repo::get::<HookRoute>(store, &keys::hook_pk(hook_id), keys::HOOK_SK).await?.ok_or_else(unknown)?;
    let conn = connections::load(store, &route.tenant_id, &route.connection_id).await.map_err(|_| unknown())?;
    let current = conn.newsletter.as_ref().and_then(|s| s.webhook.as_ref()).is_some_and(|w| w.hook_id == hook_id);
    if !current || conn.status != ConnectionStatus::Active {
        return Err(unknown());
    }
    let secret = match deps.secrets.get(&connections::secret_name(deps, &conn.tenant_id, &conn.id)).await {
        Ok(s) => s,
        Err(crate::ports::SecretsError::NotFound) => return Err(unknown()),
        Err(e) => return Err(e.into()),
    };
    let token = Credentials::from_secret_json(&secret)?.get(WEBHOOK_TOKEN).cloned().ok_or_else(unknown)?;
    Ok(Resolved { conn, token })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Applied {
    /// `applied`, `duplicate` or `ignored`.
    pub status: &'static str,
    pub detail: String,
}

pub async fn apply(deps: &Deps, conn: &Connection, event: NewsletterEvent) -> Result<Applied, AppError> {
    let store = deps.store.as_ref();
    let pk = keys::conn_pk(&conn.tenant_id, &conn.id);
    let sk = keys::webhook_event_sk(&event.event_id);
    let expires = (deps.clock.now() + Duration::days(DEDUPE_DAYS)).timestamp();
    let marker = repo::encode(&pk, &sk, &event, 1).with_expiry(expires);
    match store.put(marker, Cond::IfAbsent).await {
        Ok(()) => {}
        Err(StoreError::ConditionFailed) => {
            return Ok(Applied {
                status: "duplicate",
                detail: format!("event {} was already handled", event.event_id),
            });
        }
        Err(e) => return Err(e.into()),
    }
    let result = act(deps, conn, &event).await;
    if result.is_err() {
        // Let the provider's retry do it again.
        let _ = store.delete(&pk, &sk, Cond::None).await;
    }
    result
}

async fn act(deps: &Deps, conn: &Connection, event: &NewsletterEvent) -> Result<Applied, AppError> {
    let store = deps.store.as_ref();
    let now = deps.clock.now();
    match &event.kind {
        NewsletterEventKind::Unsubscribed { email } => {
            let n = apply::unsubscribe(store, conn, email, now, "Unsubscribed in Flexmail").await?;
            let key = normalise_email(email);
            let before = mirror::load(store, &conn.tenant_id, &conn.id, std::iter::once(key.as_str())).await?;
            let m = before.get(&key).cloned().unwrap_or_default();
            let next = MirrorContact { subscribed: false, ..m };
            store.batch_write(vec![mirror::write(&conn.tenant_id, &conn.id, &key, &next)]).await?;
            Ok(Applied { status: "applied", detail: format!("newsletter turned off on {n} contact(s)") })
        }
        NewsletterEventKind::Clicked { email, campaign, url } => {
            let n = apply::click(deps, conn, &event.event_id, email, campaign.clone(), url.clone()).await?;
            Ok(Applied { status: "applied", detail: format!("click recorded on {n} contact(s)") })
        }
        NewsletterEventKind::Bounced { email, reason } => {
            let notify = conn.newsletter.as_ref().and_then(|s| s.bounce_email.clone());
            let detail = serde_json::json!({
                "tenant_id": conn.tenant_id, "connection_id": conn.id, "email": normalise_email(email),
                "reason": reason, "notify": notify, "event_id": event.event_id,
            });
            deps.bus.publish(DomainEvent { detail_type: NEWSLETTER_BOUNCED.into(), detail }).await?;
            let who = if notify.is_some() { "the bounce address is notified" } else { "no bounce address is set" };
            Ok(Applied { status: "applied", detail: format!("bounce recorded; {who}") })
        }
        NewsletterEventKind::Other => {
            tracing::info!(connection = %conn.id, event = %event.event_name, "webhook event acknowledged, not handled");
            Ok(Applied { status: "ignored", detail: format!("event {:?} is not one Koppel acts on", event.event_name) })
        }
    }
}
