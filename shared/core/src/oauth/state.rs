//! The `state` of a sign-in and the attempt item it points to.
//!
//! `state = <tenant, base64url>.<attempt id>.<secret>`: the callback has no identity (the browser
//! comes from the provider), so `state` names the tenant and the attempt, which sits in the
//! tenant's own partition (`T#{tenant}` / `OAUTH#{attempt}`). Only the secret part (32 random
//! bytes, base64url) proves the request; the item keeps its SHA-256, compared in constant time,
//! so a leaked table item cannot be replayed. The item is deleted with a conditional delete when
//! used (single use, also under races) and has a TTL.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::keys;

/// Sort-key prefix of sign-in attempts under `T#{tenant}`.
pub const ATTEMPT_PREFIX: &str = "OAUTH#";
/// Random bytes in the secret part of `state` (256 bits).
pub const SECRET_BYTES: usize = 32;
/// How long an expired attempt stays readable, so the callback can say "expired" rather than
/// "unknown"; the store's TTL removes it after that.
pub const KEEP_EXPIRED_MINUTES: i64 = 60;
/// Longest `state` the callback reads (a 128-character tenant id comes to about 250).
pub const MAX_STATE_LEN: usize = 512;

pub fn attempt_pk(tenant: &str) -> String {
    keys::tenant(tenant)
}

pub fn attempt_sk(attempt: &str) -> String {
    format!("{ATTEMPT_PREFIX}{attempt}")
}

/// A started sign-in, as stored. The PKCE verifier is kept here (the table is encrypted at rest,
/// the item lives minutes, and the verifier is useless without the code sent to the browser).
#[derive(Clone, Serialize, Deserialize)]
pub struct Attempt {
    pub connection_id: String,
    pub provider: String,
    /// Hex SHA-256 of the secret part of `state`.
    pub secret_sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pkce_verifier: Option<String>,
    pub redirect_url: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Attempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attempt")
            .field("connection_id", &self.connection_id)
            .field("provider", &self.provider)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Attempt {
    /// Unix seconds after which the store drops the item.
    pub fn store_expiry(&self) -> i64 {
        (self.expires_at + Duration::minutes(KEEP_EXPIRED_MINUTES)).timestamp()
    }
    pub fn secret_matches(&self, secret: &SecretString) -> bool {
        let presented = hash(secret);
        presented.as_bytes().ct_eq(self.secret_sha256.as_bytes()).into()
    }
}

/// The three parts of a `state`.
pub struct StateToken {
    pub tenant: String,
    pub attempt: String,
    pub secret: SecretString,
}

impl std::fmt::Debug for StateToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateToken").field("tenant", &self.tenant).field("attempt", &self.attempt).finish()
    }
}

impl StateToken {
    /// A new state for an attempt of `tenant` (secret from the OS-seeded CSPRNG).
    pub fn new(tenant: &str, attempt: &str) -> Self {
        let mut bytes = [0u8; SECRET_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self {
            tenant: tenant.to_string(),
            attempt: attempt.to_string(),
            secret: SecretString::from(URL_SAFE_NO_PAD.encode(bytes)),
        }
    }

    /// The `state` parameter (itself a secret: it ends in the secret part).
    pub fn encode(&self) -> SecretString {
        let tenant = URL_SAFE_NO_PAD.encode(self.tenant.as_bytes());
        SecretString::from(format!("{tenant}.{}.{}", self.attempt, self.secret.expose_secret()))
    }

    /// Read a `state` from the callback; `None` when it is not one Koppel made.
    pub fn parse(raw: &str) -> Option<Self> {
        if raw.len() > MAX_STATE_LEN {
            return None;
        }
        let mut parts = raw.split('.');
        let (tenant, attempt, secret) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let tenant = String::from_utf8(URL_SAFE_NO_PAD.decode(tenant).ok()?).ok()?;
        let secret_ok = URL_SAFE_NO_PAD.decode(secret).is_ok_and(|b| b.len() == SECRET_BYTES);
        if !valid_tenant(&tenant) || !valid_attempt(attempt) || !secret_ok {
            return None;
        }
        Some(Self { tenant, attempt: attempt.to_string(), secret: SecretString::from(secret.to_string()) })
    }

    pub fn secret_sha256(&self) -> String {
        hash(&self.secret)
    }
}

fn hash(secret: &SecretString) -> String {
    hex::encode(Sha256::digest(secret.expose_secret().as_bytes()))
}

/// The rule the API applies to tenant ids (they become part of keys and secret names).
fn valid_tenant(t: &str) -> bool {
    (1..=128).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric() || "_.@-".contains(c))
}

/// Attempt ids are Koppel's ids (ULIDs); anything else is not ours.
fn valid_attempt(a: &str) -> bool {
    (1..=64).contains(&a.len()) && a.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_secret_check() {
        let token = StateToken::new("tenant-a", "01JATTEMPT");
        let encoded = token.encode();
        let parsed = StateToken::parse(encoded.expose_secret()).expect("parses");
        assert_eq!((parsed.tenant.as_str(), parsed.attempt.as_str()), ("tenant-a", "01JATTEMPT"));
        assert_eq!(parsed.secret_sha256(), token.secret_sha256());
        assert_ne!(StateToken::new("tenant-a", "x").secret_sha256(), token.secret_sha256(), "random");
        assert!(!format!("{parsed:?}").contains(token.secret.expose_secret()));
    }

    #[test]
    fn tampered_or_foreign_states_are_refused() {
        let encoded = StateToken::new("tenant-a", "01JATTEMPT").encode();
        let good = encoded.expose_secret().to_string();
        let (_, rest) = good.split_once('.').unwrap_or_default();
        let foreign_tenant = format!("{}.{rest}", URL_SAFE_NO_PAD.encode("a#b"));
        for bad in [
            "",
            "abc",
            &good[..good.len() - 2],
            &format!("{good}.x"),
            &good.replacen('.', ".bad!.", 1),
            &foreign_tenant,
            &"a".repeat(MAX_STATE_LEN + 1),
        ] {
            assert!(StateToken::parse(bad).is_none(), "{bad}");
        }
    }
}
