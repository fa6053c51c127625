//! The OAuth client port: authorize URL + PKCE, code exchange, refresh (adapter:
//! `koppel_connectors::oauth`, on the `oauth2` crate with Koppel's reqwest client).
//!
//! The use-cases in [`crate::oauth`] decide what to do with the answers; this port only speaks
//! the protocol (RFC 6749 §4.1 authorization code grant, §6 refresh, RFC 7636 PKCE S256).

use std::time::Duration;

use async_trait::async_trait;
use secrecy::SecretString;

/// One provider's OAuth app as a deployment registered it (secret `koppel/{env}/oauth-apps/{provider}`,
/// read by [`crate::oauth::app`]). `Debug` hides the client secret.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    /// The provider it signs in to (`adminpulse`).
    pub provider: String,
    pub client_id: String,
    pub client_secret: SecretString,
    pub authorize_url: String,
    pub token_url: String,
    pub scopes: Vec<String>,
    /// Send a PKCE S256 challenge (RFC 7636). On unless the provider cannot take it.
    pub pkce: bool,
    /// Koppel's callback as registered at the provider (exact match): `https://…/oauth/callback`.
    pub redirect_url: String,
    /// How the client authenticates at the token endpoint.
    pub client_auth: ClientAuth,
}

/// RFC 6749 §2.3.1: HTTP Basic (`client_secret_basic`, the default) or form fields (`client_secret_post`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    #[default]
    Basic,
    RequestBody,
}

/// Where to send the browser, and the PKCE verifier to keep until the callback.
#[derive(Debug)]
pub struct AuthorizeRequest {
    pub url: String,
    /// Present when the app uses PKCE; needed for the code exchange.
    pub pkce_verifier: Option<SecretString>,
}

/// What a token endpoint answered (RFC 6749 §5.1).
#[derive(Debug)]
pub struct TokenSet {
    pub access_token: SecretString,
    /// Absent when the provider keeps the old one valid (keep it) or gives none.
    pub refresh_token: Option<SecretString>,
    /// `expires_in`; absent when the provider does not say.
    pub expires_in: Option<Duration>,
}

/// Why a token call failed. Error descriptions come from the provider and never hold a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    /// `invalid_grant` (RFC 6749 §5.2): the code or refresh token is expired, revoked or already
    /// used. Final: only a new authorization helps.
    #[error("the provider refused the grant (invalid_grant){}", suffix(.description))]
    InvalidGrant { description: Option<String> },
    /// Any other OAuth error answer (`invalid_client`, `unauthorized_client`, `invalid_scope`,
    /// `invalid_request`, …): Koppel's app registration or request is wrong; retrying will not help.
    #[error("the provider refused the request ({code}){}", suffix(.description))]
    Rejected { code: String, description: Option<String> },
    /// No usable answer: transport error, timeout, 429, 5xx, or a body that is not OAuth JSON.
    /// A later attempt may succeed.
    #[error("the provider's token endpoint could not be used: {0}")]
    Transient(String),
    /// The app registration is unusable (e.g. a URL that does not parse).
    #[error("the OAuth app registration is not usable: {0}")]
    Config(String),
}

fn suffix(description: &Option<String>) -> String {
    description.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
}

#[async_trait]
pub trait OAuthClient: Send + Sync {
    /// The authorize URL for `state` (with the app's scopes, redirect URL and, when the app
    /// uses PKCE, a fresh S256 challenge whose verifier is returned).
    fn authorize(&self, app: &OAuthApp, state: &str) -> Result<AuthorizeRequest, OAuthError>;
    /// Exchange an authorization code (RFC 6749 §4.1.3), with the PKCE verifier when one was sent.
    async fn exchange_code(
        &self,
        app: &OAuthApp,
        code: &SecretString,
        pkce_verifier: Option<&SecretString>,
    ) -> Result<TokenSet, OAuthError>;
    /// Use a refresh token (RFC 6749 §6).
    async fn refresh(&self, app: &OAuthApp, refresh_token: &SecretString) -> Result<TokenSet, OAuthError>;
}

/// For processes that never sign in with OAuth (benchmarks, tests of other parts): every
/// call answers `Config`.
pub struct NoOAuthClient;

#[async_trait]
impl OAuthClient for NoOAuthClient {
    fn authorize(&self, _: &OAuthApp, _: &str) -> Result<AuthorizeRequest, OAuthError> {
        Err(OAuthError::Config("OAuth is not available in this process".into()))
    }
    async fn exchange_code(
        &self,
        _: &OAuthApp,
        _: &SecretString,
        _: Option<&SecretString>,
    ) -> Result<TokenSet, OAuthError> {
        Err(OAuthError::Config("OAuth is not available in this process".into()))
    }
    async fn refresh(&self, _: &OAuthApp, _: &SecretString) -> Result<TokenSet, OAuthError> {
        Err(OAuthError::Config("OAuth is not available in this process".into()))
    }
}
