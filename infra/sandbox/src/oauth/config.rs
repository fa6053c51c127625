//! What the authorization server stand-in accepts and how it behaves.

use std::time::Duration;

/// The demo client id (not a secret).
pub const DEMO_CLIENT_ID: &str = "koppel-demo-client";
/// The demo client secret (a sandbox value, not a real secret).
pub const DEMO_CLIENT_SECRET: &str = "koppel-demo-client-secret";
/// The redirect URI registered by default: the local runner's callback.
pub const DEMO_REDIRECT_URI: &str = "http://127.0.0.1:9000/oauth/callback";

#[derive(Debug, Clone)]
pub struct OAuthServerConfig {
    pub client_id: String,
    pub client_secret: String,
    /// Registered redirect URIs; `redirect_uri` must equal one of them exactly (RFC 9700 §4.1.3).
    /// More can be added while serving (`OAuthServer::allow_redirect_uri`).
    pub redirect_uris: Vec<String>,
    /// Authorize without `code_challenge` (S256) is refused (`invalid_request`).
    pub pkce_required: bool,
    /// `expires_in` of every access token, and how long the stand-in accepts it.
    pub access_token_ttl: Duration,
    /// `true`: every refresh answers a new refresh token and the one spent is refused from then
    /// on (single use, `invalid_grant`). `false`: the answer has no `refresh_token` and the old
    /// one keeps working.
    pub refresh_rotation: bool,
    /// How long an authorization code may wait for its exchange.
    pub code_ttl: Duration,
    /// The `scope` echoed in token answers (space separated); the stand-in does not check scopes.
    pub scope: String,
}

impl Default for OAuthServerConfig {
    fn default() -> Self {
        Self {
            client_id: DEMO_CLIENT_ID.into(),
            client_secret: DEMO_CLIENT_SECRET.into(),
            redirect_uris: vec![DEMO_REDIRECT_URI.into()],
            pkce_required: true,
            access_token_ttl: Duration::from_secs(3600),
            refresh_rotation: true,
            code_ttl: Duration::from_secs(600),
            scope: "read".into(),
        }
    }
}
