//! The bearer token: fetched from `POST {auth_base}/b2b/token` with `grant_type=clientkey`,
//! cached per session, renewed before it expires, dropped when the API refuses it.

use chrono::{DateTime, Utc};
use koppel_core::ports::source::ConnectorError;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

use super::assumptions::{DEFAULT_TOKEN_LIFETIME, TOKEN_REFUSED_STATUSES};
use super::fields::lower_keys;
use super::{DISPLAY_NAME, errors, hints};
use crate::http::HttpSeam;

/// Renew this long before the token expires (at most half its lifetime).
pub const RENEW_MARGIN: Duration = Duration::from_secs(60);

/// A token as issued: the value stays secret, `Debug` shows no value.
pub struct Issued {
    pub value: SecretString,
    pub lifetime: Duration,
}

/// A token in use; `generation` tells a stale token from its replacement.
#[derive(Clone)]
pub struct Token {
    pub value: SecretString,
    pub generation: u64,
}

struct Cached {
    token: Token,
    refresh_at: DateTime<Utc>,
}

/// One session's token. Holding the lock while fetching makes concurrent callers share one
/// token call.
#[derive(Default)]
pub struct TokenCache {
    slot: Mutex<Option<Cached>>,
    generations: AtomicU64,
}

impl TokenCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The cached token, or a fresh one from `fetch` when there is none or it is due.
    pub async fn get<F, Fut>(&self, now: DateTime<Utc>, fetch: F) -> Result<Token, ConnectorError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Issued, ConnectorError>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref().filter(|c| now < c.refresh_at) {
            return Ok(cached.token.clone());
        }
        *slot = None;
        let issued = fetch().await?;
        let generation = self.generations.fetch_add(1, Ordering::Relaxed) + 1;
        let token = Token { value: issued.value, generation };
        *slot = Some(Cached { token: token.clone(), refresh_at: refresh_at(now, issued.lifetime) });
        Ok(token)
    }

    /// Forgets the token of this generation (not a newer one another caller already got).
    pub async fn invalidate(&self, generation: u64) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| c.token.generation == generation) {
            *slot = None;
        }
    }
}

/// When to renew: `RENEW_MARGIN` early, or halfway for very short lifetimes.
pub fn refresh_at(now: DateTime<Utc>, lifetime: Duration) -> DateTime<Utc> {
    let margin = RENEW_MARGIN.min(lifetime / 2);
    let usable = chrono::Duration::from_std(lifetime - margin).unwrap_or(chrono::Duration::zero());
    now + usable
}

/// Exchanges the koppelsleutel for a token.
pub async fn request(
    seam: &HttpSeam,
    auth_base: &str,
    connection_key: &SecretString,
    secrets: &[&str],
) -> Result<Issued, ConnectorError> {
    let url = format!("{auth_base}/b2b/token");
    let reply = seam
        .send("POST /b2b/token", || {
            seam.client()
                .post(&url)
                .header(reqwest::header::ACCEPT, "application/json")
                .form(&[("grant_type", "clientkey"), ("clientkey", connection_key.expose_secret())])
        })
        .await
        .map_err(|e| e.into_connector_error(DISPLAY_NAME))?;
    if reply.is_success() {
        return parse(&reply.body).map_err(|message| ConnectorError::Parse { provider: DISPLAY_NAME.into(), message });
    }
    if TOKEN_REFUSED_STATUSES.contains(&reply.status) {
        tracing::warn!(status = reply.status, "SnelStart refused the connection key");
        return Err(hints::connection_key_refused());
    }
    Err(errors::from_status(reply.status, &reply.body, secrets))
}

/// `{"access_token": "…", "token_type": "bearer", "expires_in": 3599}`, keys in any case.
pub fn parse(body: &str) -> Result<Issued, String> {
    let value =
        serde_json::from_str::<Value>(body).map(lower_keys).map_err(|_| "the token answer is not JSON".to_string())?;
    let token = value
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| "the token answer has no access_token".to_string())?;
    let lifetime = match value.get("expires_in") {
        Some(Value::Number(n)) => n.as_u64().map(Duration::from_secs),
        Some(Value::String(s)) => s.trim().parse().ok().map(Duration::from_secs),
        _ => None,
    }
    .unwrap_or(DEFAULT_TOKEN_LIFETIME);
    Ok(Issued { value: SecretString::from(token.trim().to_string()), lifetime })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 1, 12, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn parses_the_token_answer() {
        let issued = parse(r#"{"Access_Token":"abc","token_type":"bearer","expires_in":3599}"#);
        assert!(matches!(&issued, Ok(i) if i.value.expose_secret() == "abc" && i.lifetime.as_secs() == 3599));
        let issued = parse(r#"{"access_token":"abc","expires_in":"120"}"#);
        assert!(matches!(&issued, Ok(i) if i.lifetime.as_secs() == 120));
        let issued = parse(r#"{"access_token":"abc"}"#);
        assert!(matches!(&issued, Ok(i) if i.lifetime == DEFAULT_TOKEN_LIFETIME));
        assert!(parse(r#"{"token_type":"bearer"}"#).is_err());
        assert!(parse(r#"{"access_token":""}"#).is_err());
        assert!(parse("<html/>").is_err());
    }

    #[test]
    fn renews_a_minute_early_or_halfway() {
        assert_eq!(refresh_at(now(), Duration::from_secs(3599)), now() + chrono::Duration::seconds(3539));
        assert_eq!(refresh_at(now(), Duration::from_secs(10)), now() + chrono::Duration::seconds(5));
        assert_eq!(refresh_at(now(), Duration::ZERO), now());
    }

    #[tokio::test]
    async fn caches_renews_and_invalidates() {
        let cache = TokenCache::new();
        let issue = |v: &str| {
            let v = v.to_string();
            move || async move { Ok(Issued { value: SecretString::from(v), lifetime: Duration::from_secs(3599) }) }
        };
        let first = cache.get(now(), issue("one")).await.map(|t| (t.value.expose_secret().to_string(), t.generation));
        assert_eq!(first.ok(), Some(("one".to_string(), 1)));
        let cached = cache.get(now(), issue("two")).await.map(|t| t.value.expose_secret().to_string());
        assert_eq!(cached.ok().as_deref(), Some("one"), "cached token reused");
        let later = now() + chrono::Duration::seconds(3540);
        let renewed =
            cache.get(later, issue("three")).await.map(|t| (t.value.expose_secret().to_string(), t.generation));
        assert_eq!(renewed.ok(), Some(("three".to_string(), 2)), "renewed a minute early");
        cache.invalidate(1).await;
        let kept = cache.get(later, issue("four")).await.map(|t| t.value.expose_secret().to_string());
        assert_eq!(kept.ok().as_deref(), Some("three"), "a stale generation does not drop the new token");
        cache.invalidate(2).await;
        let fresh = cache.get(later, issue("five")).await.map(|t| t.value.expose_secret().to_string());
        assert_eq!(fresh.ok().as_deref(), Some("five"));
    }
}
