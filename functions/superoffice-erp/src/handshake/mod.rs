//! SuperOffice Online's handshake with an ERP Sync Connector (C SO-1 `online/example-api.md`,
//! S SO-2 `SuperOfficeJwksTokenValidator.cs`, `IntegrationServiceAuthentication.cs`):
//!
//! 1. SuperOffice sends `Authenticate{SignedToken}`: an RS256 JWT, issuer `SuperOffice AS`,
//!    audience `spn:{client_id}` (compared case-insensitively), a `nonce` claim, the tenant's
//!    context id in `http://schemas.superoffice.net/identity/ctx` (else `sub`), ~5 minutes valid.
//!    [`Handshake::authenticate`] checks it against the keys SuperOffice publishes
//!    (`{base}/.well-known/openid-configuration` → `jwks_uri`, for each of `sod`, `qaonline`,
//!    `online`), cached, fetched again once when a token names a key id not in the cache.
//! 2. Koppel answers `{nonce}.{UTC yyyyMMddHHmm}.{base64(RSA-SHA256(PKCS#1 v1.5) of
//!    "{nonce}.{yyyyMMddHHmm}")}` signed with the app's private key ([`Handshake::reply_token`];
//!    the format of SuperOffice's database-mirroring sample, assumed the same for ERP: U).
//!
//! Errors are [`HandshakeError`]s; [`HandshakeError::reason`] is the text safe to send back in
//! `AuthenticationResponse.Reason`. No token, key or signature is ever logged or put in an error.

mod config;
mod jwks;
mod key;
mod reply;
mod verify;

pub use config::{DEFAULT_OIDC_BASES, HandshakeConfig, SECRET_CLIENT_ID, SECRET_PRIVATE_KEY, secret_name};
pub use key::{AppKey, KeyError};
pub use reply::{REPLY_TIME_FORMAT, signing_input};

use std::sync::Arc;

use koppel_core::ports::Clock;

/// Issuer of SuperOffice's tokens. (S SO-2.)
pub const ISSUER: &str = "SuperOffice AS";
/// Claim holding the tenant's context id (`Cust12345`). (C SO-7, S SO-5.)
pub const CONTEXT_CLAIM: &str = "http://schemas.superoffice.net/identity/ctx";
/// Clock skew tolerated on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECS: i64 = 60;

/// The handshake: validates SuperOffice's tokens and signs Koppel's answers.
pub struct Handshake {
    config: HandshakeConfig,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    keys: jwks::KeyCache,
}

impl std::fmt::Debug for Handshake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handshake").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Handshake {
    /// `http` should have a short timeout and redirects off (the metadata and JWKS calls).
    pub fn new(config: HandshakeConfig, http: reqwest::Client, clock: Arc<dyn Clock>) -> Self {
        Self { config, http, clock, keys: jwks::KeyCache::default() }
    }

    pub fn config(&self) -> &HandshakeConfig {
        &self.config
    }
}

/// A token that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The SuperOffice tenant (`Cust12345`).
    pub context_id: String,
    /// To sign in the answer.
    pub nonce: String,
}

/// The handshake's answer (`AuthenticationResponse`). `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthAnswer {
    pub succeeded: bool,
    pub signed_application_token: String,
    /// Empty when `succeeded`.
    pub reason: String,
}

impl AuthAnswer {
    pub fn success(signed_application_token: String) -> Self {
        Self { succeeded: true, signed_application_token, reason: String::new() }
    }
    pub fn failure(reason: impl Into<String>) -> Self {
        Self { succeeded: false, signed_application_token: String::new(), reason: reason.into() }
    }
}

impl std::fmt::Debug for AuthAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthAnswer")
            .field("succeeded", &self.succeeded)
            .field(
                "signed_application_token",
                &if self.signed_application_token.is_empty() { "" } else { "<redacted>" },
            )
            .field("reason", &self.reason)
            .finish()
    }
}

/// Why the handshake failed. `Display` is for logs (no token or key material); [`Self::reason`]
/// is for SuperOffice.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeError {
    #[error("the signed token is not a readable JWT")]
    Malformed,
    #[error("the signed token is not signed with RS256")]
    WrongAlgorithm,
    #[error("the signed token's key id is not among SuperOffice's published keys")]
    UnknownKey,
    #[error("the signed token's signature is not valid")]
    BadSignature,
    #[error("the signed token was not issued by {ISSUER}")]
    WrongIssuer,
    #[error("the signed token's audience is not this application (spn:{{client_id}})")]
    WrongAudience,
    #[error("the signed token has expired")]
    Expired,
    #[error("the signed token is not valid yet")]
    NotYetValid,
    #[error("the signed token carries no nonce")]
    MissingNonce,
    #[error("the signed token lacks the {0} claim")]
    MissingClaim(&'static str),
    #[error("SuperOffice's signing keys could not be fetched: {0}")]
    KeysUnavailable(String),
    #[error("the SuperOffice app is not configured: {0}")]
    Config(String),
    #[error("the application token could not be signed")]
    Signing,
}

impl HandshakeError {
    /// The text for `AuthenticationResponse.Reason`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::WrongAudience => "Wrong audience, mismatch on application identifier",
            Self::MissingNonce => "Failed to retrieve nonce from the token",
            Self::Expired | Self::NotYetValid => "The signed token is expired or not yet valid",
            Self::KeysUnavailable(_) => "The connector could not load SuperOffice's signing keys; try again later",
            Self::Config(_) | Self::Signing => "The connector is not configured for SuperOffice Online",
            _ => "Failed to validate authentication request",
        }
    }
}
