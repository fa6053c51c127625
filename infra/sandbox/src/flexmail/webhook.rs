//! Webhook deliveries: an event for a contact is POSTed to every enabled webhook registered
//! for its name, with `X-Flexmail-Verification-Token` and the body of the wire contract.
//! `contact.unsubscribed` also marks the contact unsubscribed first (as Flexmail would have).

use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::config::VERIFICATION_HEADER;
use super::state::Shared;
use crate::rng::guid_text;
use crate::state::{lock, write};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FireError {
    #[error("no contact with e-mail {0}")]
    UnknownContact(String),
    #[error("no enabled webhook is registered for {0}")]
    NoWebhook(String),
}

/// One POST to one webhook: the receiver's status, or why there was none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookDelivery {
    pub webhook_id: u64,
    pub target_url: String,
    pub event_id: String,
    pub status: Option<u16>,
    pub error: Option<String>,
}

struct Target {
    id: u64,
    url: String,
    token: Option<String>,
}

pub async fn fire(
    shared: &Shared,
    event_name: &str,
    email: &str,
    data: Value,
) -> Result<Vec<WebhookDelivery>, FireError> {
    let (targets, body) = {
        let mut store = write(&shared.store);
        let index = store.index_by_email(email).ok_or_else(|| FireError::UnknownContact(email.to_string()))?;
        let targets: Vec<Target> = store
            .webhooks
            .iter()
            .filter(|w| w.enabled && w.event_name == event_name)
            .map(|w| Target { id: w.id, url: w.target_url.clone(), token: w.verification_token.clone() })
            .collect();
        if targets.is_empty() {
            return Err(FireError::NoWebhook(event_name.to_string()));
        }
        if event_name == "contact.unsubscribed" {
            store.set_subscribed(index, false);
        }
        let (id, email) = store.get(index).map(|c| (c.id, c.email.clone())).unwrap_or_default();
        let body = json!({
            "id": guid_text(rand::random::<u128>()),
            "event_name": event_name,
            "created_at": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            "contact": {"id": id, "email": email},
            "data": if data.is_null() { json!({}) } else { data },
        });
        (targets, body)
    };
    let event_id = body["id"].as_str().unwrap_or_default().to_string();
    let mut deliveries = Vec::with_capacity(targets.len());
    for target in targets {
        lock(&shared.stats).webhook_fired();
        let mut request = shared.http.post(&target.url).json(&body);
        if let Some(token) = &target.token {
            request = request.header(VERIFICATION_HEADER, token);
        }
        let (status, error) = match request.send().await {
            Ok(answer) => (Some(answer.status().as_u16()), None),
            Err(e) => (None, Some(without_url(&e))),
        };
        tracing::debug!(webhook = target.id, event_name, ?status, "webhook delivered");
        deliveries.push(WebhookDelivery {
            webhook_id: target.id,
            target_url: target.url,
            event_id: event_id.clone(),
            status,
            error,
        });
    }
    Ok(deliveries)
}

fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    format!("delivery {kind}")
}

/// One status for a whole fire: the highest status among the deliveries; an error when
/// nothing could be delivered to some webhook.
pub fn summary(deliveries: &[WebhookDelivery]) -> Result<u16, String> {
    let mut worst = 0;
    for d in deliveries {
        match (d.status, &d.error) {
            (Some(status), _) => worst = worst.max(status),
            (None, error) => {
                let error = error.as_deref().unwrap_or("delivery failed");
                return Err(format!("webhook {} ({}): {error}", d.webhook_id, d.target_url));
            }
        }
    }
    Ok(worst)
}
