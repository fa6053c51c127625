//! What the authorization server stand-in accepts and how it behaves.

use std::time::Duration;

/// The demo client id (not a secret).
pub const DEMO_CLIENT_ID: &str = "koppel-demo-client";
/// The demo client secret (a sandbox value, not a real secret).
pub const DEMO_CLIENT_SECRET: &str = "koppel-demo-client-secret";
/// The redirect URI registered by default: the local runner's callback.
pub const DEMO_REDIRECT_URI: &str = "http://127.0.0.1:9000/oauth/callback";
/// In a value of [`OAuthServerConfig::callback_params`] or [`OAuthServerConfig::token_fields`]:
/// `http://{Host header of the request being answered}`, i.e. the address the browser or Koppel
/// used to reach this server (for Zoho's `accounts-server` and `api_domain`).
pub const BASE_URL_PLACEHOLDER: &str = "{base_url}";
/// The RFC 6749 §5.2 code for a bad code or refresh token.
pub const INVALID_GRANT: &str = "invalid_grant";

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
    /// Extra query parameters of the redirect that carries a code, after `code` (Zoho multi-DC:
    /// `("accounts-server", "{base_url}")`, `("location", "eu")`; Silverfin:
    /// `("authorized_firm_id", "1234")`). [`BASE_URL_PLACEHOLDER`] in a value is replaced.
    /// Changed while serving with `OAuthServer::set_callback_param`. Default: none.
    pub callback_params: Vec<(String, String)>,
    /// Extra fields of every token answer, codes and refreshes alike (Zoho:
    /// `("api_domain", "{base_url}")`). [`BASE_URL_PLACEHOLDER`] in a value is replaced.
    /// Changed while serving with `OAuthServer::set_token_field`. Default: none.
    pub token_fields: Vec<(String, String)>,
    /// More paths serving the authorization endpoint besides `/oauth/authorize` (Brokercloud:
    /// `/oauth/v2/auth`; Zoho: `/oauth/v2/auth`). Default: none.
    pub authorize_paths: Vec<String>,
    /// More paths serving the token endpoint besides `/oauth/token` (Brokercloud and Zoho:
    /// `/oauth/v2/token`; Silverfin: `/f/{firm}/oauth/token`, where a `{name}` segment matches
    /// any one segment). Faults queued for the token endpoint hit these too; `token_calls()`
    /// tells which path and host each token request used. Default: none.
    pub token_paths: Vec<String>,
    /// Token endpoint errors are answered with HTTP 200 and the error JSON, as Zoho does
    /// (`{"error":"invalid_code"}`). Injected 5xx/429 faults keep their status. Default: `false`.
    pub errors_as_200: bool,
    /// The `error` of a token answer for a wrong, expired, used or revoked code or refresh token:
    /// [`INVALID_GRANT`] (default, RFC 6749 §5.2) or Zoho's `invalid_code`.
    pub invalid_grant_error: String,
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
            callback_params: Vec::new(),
            token_fields: Vec::new(),
            authorize_paths: Vec::new(),
            token_paths: Vec::new(),
            errors_as_200: false,
            invalid_grant_error: INVALID_GRANT.into(),
        }
    }
}

impl OAuthServerConfig {
    /// Zoho's accounts server as the stand-in plays it: `/oauth/v2/auth` and `/oauth/v2/token`
    /// besides the generic paths, `accounts-server` (this server) and `location=eu` in the
    /// callback, `api_domain` (this server) in token answers, no refresh-token rotation, and
    /// errors as HTTP 200 with `invalid_code`.
    pub fn zoho() -> Self {
        Self {
            callback_params: vec![
                ("location".into(), "eu".into()),
                ("accounts-server".into(), BASE_URL_PLACEHOLDER.into()),
            ],
            token_fields: vec![("api_domain".into(), BASE_URL_PLACEHOLDER.into())],
            authorize_paths: vec!["/oauth/v2/auth".into()],
            token_paths: vec!["/oauth/v2/token".into()],
            refresh_rotation: false,
            errors_as_200: true,
            invalid_grant_error: "invalid_code".into(),
            ..Self::default()
        }
    }

    /// Silverfin's (Doorkeeper) server as the stand-in plays it: `authorized_firm_id` in the
    /// callback, the token endpoint at `/f/{firm}/oauth/token` too, single-use refresh tokens.
    pub fn silverfin(firm_id: &str) -> Self {
        Self {
            callback_params: vec![("authorized_firm_id".into(), firm_id.into())],
            token_paths: vec!["/f/{firm}/oauth/token".into()],
            refresh_rotation: true,
            ..Self::default()
        }
    }

    /// Brokercloud's server as the stand-in plays it: `/oauth/v2/auth` and `/oauth/v2/token`
    /// besides the generic paths (FOSOAuthServerBundle paths; the rest is unconfirmed and stays
    /// the generic behaviour).
    pub fn brokercloud() -> Self {
        Self {
            authorize_paths: vec!["/oauth/v2/auth".into()],
            token_paths: vec!["/oauth/v2/token".into()],
            ..Self::default()
        }
    }
}
