//! The OAuth client port: authorize URL + PKCE, code exchange, refresh (adapter:
//! `koppel_connectors::oauth`, on the `oauth2` crate with Koppel's reqwest client).
//!
//! The use-cases in [`crate::oauth`] decide what to do with the answers; this port only speaks
//! the protocol (RFC 6749 §4.1 authorization code grant, §6 refresh, RFC 7636 PKCE S256).

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use secrecy::SecretString;

/// One provider's OAuth app as a deployment registered it (secret `koppel/{env}/oauth-apps/{provider}`,
/// read by [`crate::oauth::app`]), ready for one call. `Debug` hides the client secret.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    /// The provider it signs in to (`adminpulse`).
    pub provider: String,
    pub client_id: String,
    pub client_secret: SecretString,
    pub authorize_url: String,
    /// The token endpoint, concrete: a registration's `{setting}` placeholders are filled by
    /// [`crate::oauth::app::Registration::app`] before a token call. [`OAuthClient::authorize`]
    /// does not use it.
    pub token_url: String,
    /// The `scope` values, each sent as given (joined by spaces, RFC 6749 §3.3). A provider with
    /// another separator (Zoho: commas) gets one pre-joined value.
    pub scopes: Vec<String>,
    /// Fixed extra query parameters of the authorize URL (Zoho: `access_type=offline`,
    /// `prompt=consent`). Never one of the protocol's own parameters.
    pub authorize_params: BTreeMap<String, String>,
    /// Send `redirect_uri` with refresh requests too (Silverfin documents it).
    pub refresh_redirect_uri: bool,
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
pub struct TokenSet {
    pub access_token: SecretString,
    /// Absent when the provider keeps the old one valid (keep it) or gives none.
    pub refresh_token: Option<SecretString>,
    /// `expires_in`; absent when the provider does not say.
    pub expires_in: Option<Duration>,
    /// The answer's other top-level fields with a text, number or true/false value (Zoho:
    /// `api_domain`), as text. The use-cases keep only those the app registration names in
    /// `token_fields`; `Debug` shows their names only.
    pub extra: BTreeMap<String, String>,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("refresh_token", &self.refresh_token.is_some())
            .field("expires_in", &self.expires_in)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Why a token call failed. Error descriptions come from the provider and never hold a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    /// `invalid_grant` (RFC 6749 §5.2), or a provider's own code for it (Zoho `invalid_code`):
    /// the code or refresh token is expired, revoked or already used. Final: only a new
    /// authorization helps. `code` is the provider's code as answered.
    #[error("the provider refused the grant ({code}){}", suffix(.description))]
    InvalidGrant { code: String, description: Option<String> },
    /// Any other OAuth error answer (`invalid_client`, `unauthorized_client`, `invalid_scope`,
    /// `invalid_request`, …): Koppel's app registration or request is wrong; retrying will not help.
    #[error("the provider refused the request ({code}){}", suffix(.description))]
    Rejected { code: String, description: Option<String> },
    /// No usable answer: transport error, timeout, 429, 5xx, or a body that is not OAuth JSON.
    /// (An HTTP 200 whose JSON has `error` and no `access_token` is an error answer, not this.)
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
