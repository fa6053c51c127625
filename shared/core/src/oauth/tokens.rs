//! Tokens in the connection's secret: `access_token`, `refresh_token` and `expires_at`
//! (RFC 3339) beside whatever else the secret holds.

use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};

use super::refresh_margin;
use crate::domain::catalog::{ACCESS_TOKEN_FIELD, EXPIRES_AT_FIELD, REFRESH_TOKEN_FIELD};
use crate::ports::oauth::TokenSet;
use crate::ports::secrets::Credentials;

/// Whether a refresh token absent from a token answer is kept (refresh, RFC 6749 §6) or
/// dropped (a new authorization: the old one belongs to the old grant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OldRefresh {
    Keep,
    Drop,
}

/// `existing` with the new tokens; returns the new expiry too.
pub fn apply(
    existing: &Credentials,
    set: TokenSet,
    now: DateTime<Utc>,
    old: OldRefresh,
) -> (Credentials, Option<DateTime<Utc>>) {
    let mut out = without_tokens(existing);
    out.insert(ACCESS_TOKEN_FIELD, set.access_token);
    let refresh = set.refresh_token.or_else(|| match old {
        OldRefresh::Keep => existing.get(REFRESH_TOKEN_FIELD).cloned(),
        OldRefresh::Drop => None,
    });
    if let Some(r) = refresh {
        out.insert(REFRESH_TOKEN_FIELD, r);
    }
    let expires_at = set.expires_in.and_then(|d| Duration::from_std(d).ok()).map(|d| now + d);
    if let Some(at) = expires_at {
        out.insert(EXPIRES_AT_FIELD, SecretString::from(at.to_rfc3339()));
    }
    (out, expires_at)
}

/// Every field but the three OAuth ones.
pub fn without_tokens(creds: &Credentials) -> Credentials {
    let mut out = Credentials::new();
    for name in creds.names() {
        if ![ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD, EXPIRES_AT_FIELD].contains(&name)
            && let Some(v) = creds.get(name)
        {
            out.insert(name, v.clone());
        }
    }
    out
}

/// What a connector gets: the secret without the refresh token (it never needs it).
pub fn for_connector(creds: &Credentials) -> Credentials {
    let mut out = without_tokens(creds);
    for name in [ACCESS_TOKEN_FIELD, EXPIRES_AT_FIELD] {
        if let Some(v) = creds.get(name) {
            out.insert(name, v.clone());
        }
    }
    out
}

/// When the stored access token expires: `None` = the provider did not say; an unreadable
/// value counts as expired.
pub fn expires_at(creds: &Credentials) -> Option<DateTime<Utc>> {
    creds.get(EXPIRES_AT_FIELD).map(|v| {
        DateTime::parse_from_rfc3339(v.expose_secret())
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    })
}

/// An access token is there and good for more than the refresh margin (or of unknown expiry).
pub fn is_fresh(creds: &Credentials, now: DateTime<Utc>) -> bool {
    creds.get(ACCESS_TOKEN_FIELD).is_some()
        && expires_at(creds).is_none_or(|at| at.checked_sub_signed(refresh_margin()).is_some_and(|t| t > now))
}

/// The access token is there and has not expired yet (it may be within the margin).
pub fn is_usable(creds: &Credentials, now: DateTime<Utc>) -> bool {
    creds.get(ACCESS_TOKEN_FIELD).is_some() && expires_at(creds).is_none_or(|at| at > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> SecretString {
        SecretString::from(v.to_string())
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn refresh_keeps_the_old_refresh_token_when_none_comes_back() {
        let old = Credentials::new().with(ACCESS_TOKEN_FIELD, s("a1")).with(REFRESH_TOKEN_FIELD, s("r1"));
        let set = TokenSet {
            access_token: s("a2"),
            refresh_token: None,
            expires_in: Some(std::time::Duration::from_secs(3600)),
            extra: Default::default(),
        };
        let (new, at) = apply(&old, set, now(), OldRefresh::Keep);
        assert_eq!(new.get(REFRESH_TOKEN_FIELD).map(|r| r.expose_secret().to_string()).as_deref(), Some("r1"));
        assert_eq!(at, Some(now() + Duration::hours(1)));
        assert!(is_fresh(&new, now()));
        assert!(!is_fresh(&new, now() + Duration::minutes(46)), "inside the 15-minute margin");
        assert!(is_usable(&new, now() + Duration::minutes(46)));
        let set = TokenSet { access_token: s("a3"), refresh_token: None, expires_in: None, extra: Default::default() };
        let (new, at) = apply(&old, set, now(), OldRefresh::Drop);
        assert!(new.get(REFRESH_TOKEN_FIELD).is_none());
        assert_eq!(at, None);
        assert!(is_fresh(&new, now()), "unknown expiry: used until refused");
        assert!(for_connector(&old).get(REFRESH_TOKEN_FIELD).is_none());
    }

    #[test]
    fn unreadable_expiry_counts_as_expired() {
        let creds = Credentials::new().with(ACCESS_TOKEN_FIELD, s("a")).with(EXPIRES_AT_FIELD, s("soon"));
        assert!(!is_fresh(&creds, now()));
        assert!(!is_usable(&creds, now()));
    }
}
