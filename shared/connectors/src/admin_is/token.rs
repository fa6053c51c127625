//! The `synetonToken`: `GET {office}/api/v1/token/{apiKey}` answers `{"TokenGuid": "…",
//! "TimeToLive": "<datetime>"}` (C). Cached per session, renewed [`TOKEN_RENEW_MARGIN`] before
//! `TimeToLive`, dropped when the API answers 401.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use tokio::sync::Mutex;

use super::assumptions::{FALLBACK_TOKEN_LIFETIME, TOKEN_RENEW_MARGIN, read_datetime};

/// A token in use; `generation` tells a stale token from its replacement. `Debug` shows no value.
#[derive(Clone)]
pub struct Token {
    pub value: SecretString,
    pub generation: u64,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token").field("generation", &self.generation).finish_non_exhaustive()
    }
}

/// The token answer: the value and when to renew it.
pub struct Issued {
    pub value: SecretString,
    pub renew_at: DateTime<Utc>,
}

/// Reads the token answer (keys in any case). `TimeToLive` that cannot be read, or that leaves
/// less than the renewal margin, gives [`FALLBACK_TOKEN_LIFETIME`] from `now`.
pub fn parse(body: &str, now: DateTime<Utc>) -> Result<Issued, String> {
    let value = serde_json::from_str::<Value>(body).map_err(|_| "the token answer is not JSON".to_string())?;
    let field = |name: &str| {
        value.as_object().and_then(|m| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
    };
    let token = field("TokenGuid")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| "the token answer has no TokenGuid".to_string())?;
    let margin = chrono::Duration::from_std(TOKEN_RENEW_MARGIN).unwrap_or_default();
    let fallback = now + chrono::Duration::from_std(FALLBACK_TOKEN_LIFETIME).unwrap_or_default();
    let renew_at = field("TimeToLive")
        .and_then(Value::as_str)
        .and_then(read_datetime)
        .map(|ttl| ttl - margin)
        .filter(|at| *at > now)
        .unwrap_or(fallback);
    Ok(Issued { value: SecretString::from(token.to_string()), renew_at })
}

struct Cached {
    token: Token,
    renew_at: DateTime<Utc>,
}

/// One session's token; the lock is held while fetching, so concurrent callers share one call.
#[derive(Default)]
pub struct TokenCache {
    slot: Mutex<Option<Cached>>,
    generations: std::sync::atomic::AtomicU64,
}

impl TokenCache {
    /// The cached token, or a fresh one from `fetch` when there is none or it is due.
    pub async fn get<F, Fut, E>(&self, now: DateTime<Utc>, fetch: F) -> Result<Token, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Issued, E>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref().filter(|c| now < c.renew_at) {
            return Ok(cached.token.clone());
        }
        *slot = None;
        let issued = fetch().await?;
        let generation = self.generations.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let token = Token { value: issued.value, generation };
        *slot = Some(Cached { token: token.clone(), renew_at: issued.renew_at });
        Ok(token)
    }

    /// Forgets the token of this generation (not a newer one).
    pub async fn invalidate(&self, generation: u64) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| c.token.generation == generation) {
            *slot = None;
        }
    }

    /// The current token's value, for scrubbing error texts.
    pub async fn current(&self) -> Option<String> {
        self.slot.lock().await.as_ref().map(|c| c.token.value.expose_secret().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn parses_the_answer_and_renews_30_s_early() {
        let issued = parse(r#"{"TokenGuid":"abc-123","TimeToLive":"2024-05-01T12:20:00"}"#, now());
        let Ok(issued) = issued else { panic!("parses") };
        assert_eq!(issued.value.expose_secret(), "abc-123");
        assert_eq!(issued.renew_at, now() + chrono::Duration::seconds(20 * 60 - 30));
        let lower = parse(r#"{"tokenguid":" x ","timetolive":"2024-05-01 12:10:00"}"#, now()).map(|i| i.renew_at);
        assert_eq!(lower.ok(), Some(now() + chrono::Duration::seconds(570)));
    }

    #[test]
    fn an_unreadable_or_past_lifetime_uses_the_fallback() {
        let fallback = now() + chrono::Duration::seconds(60);
        for body in [
            r#"{"TokenGuid":"t"}"#,
            r#"{"TokenGuid":"t","TimeToLive":"tomorrow"}"#,
            r#"{"TokenGuid":"t","TimeToLive":"2024-05-01T11:00:00"}"#,
            r#"{"TokenGuid":"t","TimeToLive":"2024-05-01T12:00:20"}"#,
        ] {
            assert_eq!(parse(body, now()).map(|i| i.renew_at).ok(), Some(fallback), "{body}");
        }
        for bad in [r#"{"TimeToLive":"2024-05-01T13:00:00"}"#, r#"{"TokenGuid":""}"#, "<html/>", "[]"] {
            assert!(parse(bad, now()).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn caches_renews_and_invalidates() {
        let cache = TokenCache::default();
        let issue = |v: &'static str, renew_at| {
            move || async move { Ok::<_, String>(Issued { value: SecretString::from(v), renew_at }) }
        };
        let later = now() + chrono::Duration::minutes(10);
        let first = cache.get(now(), issue("one", later)).await.map(|t| t.generation);
        assert_eq!(first, Ok(1));
        let cached = cache.get(now(), issue("two", later)).await.map(|t| t.value.expose_secret().to_string());
        assert_eq!(cached.as_deref(), Ok("one"));
        let renewed = cache.get(later, issue("three", later + chrono::Duration::minutes(10))).await;
        assert_eq!(renewed.map(|t| t.generation), Ok(2), "due at renew_at");
        cache.invalidate(1).await;
        assert_eq!(cache.current().await.as_deref(), Some("three"), "a stale generation does not drop the new token");
        cache.invalidate(2).await;
        assert_eq!(cache.current().await, None);
    }
}
