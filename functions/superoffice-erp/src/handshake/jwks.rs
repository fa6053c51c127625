//! SuperOffice's signing keys: `{base}/.well-known/openid-configuration` → `jwks_uri` → JWKS,
//! for every configured base. Cached for a day; fetched again (at most every
//! [`MIN_REFETCH_SECS`]) when a token names a key id the cache lacks. One unreachable base does
//! not block the keys of the others.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, PublicKeyUse};
use serde_json::Value;
use tokio::sync::Mutex;

use super::config::allowed_url;
use super::{Handshake, HandshakeError};

/// Keys older than this are fetched again before use.
pub const MAX_AGE_SECS: i64 = 24 * 3600;
/// Fewest seconds between two fetches (an unknown key id cannot make Koppel hammer SuperOffice).
pub const MIN_REFETCH_SECS: i64 = 30;
/// Largest metadata or JWKS document read.
const MAX_DOC_BYTES: usize = 1 << 20;

#[derive(Default)]
pub(super) struct KeyCache {
    inner: Mutex<Cached>,
}

#[derive(Default)]
struct Cached {
    /// `(kid, key)`; keys without a kid are tried for tokens without one.
    keys: Vec<(Option<String>, DecodingKey)>,
    fetched_at: Option<DateTime<Utc>>,
    attempted_at: Option<DateTime<Utc>>,
}

impl Cached {
    fn lookup(&self, kid: Option<&str>) -> Vec<DecodingKey> {
        self.keys.iter().filter(|(k, _)| kid.is_none() || k.as_deref() == kid).map(|(_, key)| key.clone()).collect()
    }
    fn may_fetch(&self, now: DateTime<Utc>) -> bool {
        self.attempted_at.is_none_or(|t| now - t >= Duration::seconds(MIN_REFETCH_SECS))
    }
}

impl Handshake {
    /// The keys a token signed with key `kid` may verify against (all keys when it names none).
    pub(super) async fn signing_keys(&self, kid: Option<&str>) -> Result<Vec<DecodingKey>, HandshakeError> {
        let now = self.clock.now();
        let mut cache = self.keys.inner.lock().await;
        let stale = cache.fetched_at.is_none_or(|t| now - t > Duration::seconds(MAX_AGE_SECS));
        let mut fetched = false;
        if stale && cache.may_fetch(now) {
            self.refresh(&mut cache, now).await?;
            fetched = true;
        }
        let found = cache.lookup(kid);
        if !found.is_empty() {
            return Ok(found);
        }
        if !fetched && cache.may_fetch(now) {
            self.refresh(&mut cache, now).await?;
            let found = cache.lookup(kid);
            if !found.is_empty() {
                return Ok(found);
            }
        }
        if cache.keys.is_empty() {
            return Err(HandshakeError::KeysUnavailable("no key has been fetched yet".into()));
        }
        Err(HandshakeError::UnknownKey)
    }

    /// Fetches every base's keys; keeps the cached keys of a base that fails.
    async fn refresh(&self, cache: &mut Cached, now: DateTime<Utc>) -> Result<(), HandshakeError> {
        cache.attempted_at = Some(now);
        let mut fresh: Vec<(Option<String>, DecodingKey)> = Vec::new();
        let mut failures = Vec::new();
        for base in &self.config.oidc_bases {
            match self.fetch_base(base).await {
                Ok(keys) => fresh.extend(keys),
                Err(e) => {
                    tracing::warn!(base = %base, error = %e, "SuperOffice signing keys not fetched");
                    failures.push(format!("{base}: {e}"));
                }
            }
        }
        if fresh.is_empty() && !failures.is_empty() {
            if cache.keys.is_empty() {
                return Err(HandshakeError::KeysUnavailable(failures.join("; ")));
            }
            return Ok(()); // keep the stale keys rather than none
        }
        if !failures.is_empty() {
            // Keep old keys of the failing bases too (their kids may still sign tokens).
            for (kid, key) in cache.keys.drain(..) {
                if !fresh.iter().any(|(k, _)| *k == kid) {
                    fresh.push((kid, key));
                }
            }
        }
        cache.keys = fresh;
        cache.fetched_at = Some(now);
        Ok(())
    }

    async fn fetch_base(&self, base: &str) -> Result<Vec<(Option<String>, DecodingKey)>, String> {
        let metadata = self.fetch_json(&format!("{base}/.well-known/openid-configuration")).await?;
        let jwks_uri = metadata.get("jwks_uri").and_then(Value::as_str).ok_or("the metadata has no jwks_uri")?;
        if !allowed_url(jwks_uri) {
            return Err("the metadata's jwks_uri is not https".into());
        }
        let jwks = self.fetch_json(jwks_uri).await?;
        let keys = jwks.get("keys").and_then(Value::as_array).ok_or("the JWKS has no keys")?;
        let usable: Vec<_> = keys.iter().filter_map(usable_key).collect();
        if usable.is_empty() {
            return Err("the JWKS has no RSA signing key".into());
        }
        Ok(usable)
    }

    async fn fetch_json(&self, url: &str) -> Result<Value, String> {
        let mut response = self.http.get(url).send().await.map_err(|e| format!("{url} unreachable ({e})"))?;
        if !response.status().is_success() {
            return Err(format!("{url} answered {}", response.status().as_u16()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| format!("{url} broke off ({e})"))? {
            if body.len() + chunk.len() > MAX_DOC_BYTES {
                return Err(format!("{url} answered more than {MAX_DOC_BYTES} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body).map_err(|_| format!("{url} did not answer JSON"))
    }
}

/// An RSA key meant for signatures (`use` absent or `sig`, `alg` absent or RS256).
fn usable_key(raw: &Value) -> Option<(Option<String>, DecodingKey)> {
    let jwk: Jwk = serde_json::from_value(raw.clone()).ok()?;
    if !matches!(jwk.algorithm, AlgorithmParameters::RSA(_)) {
        return None;
    }
    if matches!(jwk.common.public_key_use, Some(ref u) if *u != PublicKeyUse::Signature) {
        return None;
    }
    if raw.get("alg").and_then(Value::as_str).is_some_and(|alg| alg != "RS256") {
        return None;
    }
    let key = DecodingKey::from_jwk(&jwk).ok()?;
    Some((jwk.common.key_id.clone(), key))
}
