//! A generic OAuth 2.0 authorization server stand-in (RFC 6749 authorization code grant with
//! PKCE S256 per RFC 7636, refresh with optional rotation), for provider stand-ins and tests.
//!
//! Public API (kept stable; provider stand-ins mount the router and take the server as a
//! [`crate::bearer::BearerAuthority`]):
//! - [`OAuthServerConfig`] (`Default`: [`DEMO_CLIENT_ID`], [`DEMO_CLIENT_SECRET`], redirect
//!   [`DEMO_REDIRECT_URI`], PKCE required, access tokens 1 h, refresh rotation on, codes 10 min).
//!   Provider quirks, all off by default (build with `..Default::default()`):
//!   - `callback_params`: extra query parameters of the redirect carrying a code — Zoho
//!     multi-DC `accounts-server` and `location`, Silverfin `authorized_firm_id`;
//!   - `token_fields`: extra fields of every token answer (code and refresh) — Zoho `api_domain`;
//!   - values of both may hold [`BASE_URL_PLACEHOLDER`] (`{base_url}`), replaced by
//!     `http://{Host header}` of the request (this server as the caller reached it);
//!   - `authorize_paths`, `token_paths`: more paths for the two endpoints — Zoho and Brokercloud
//!     `/oauth/v2/auth` + `/oauth/v2/token`, Silverfin `/f/{firm}/oauth/token` (a `{name}` segment
//!     matches any one segment);
//!   - `errors_as_200`: token errors answered with HTTP 200 and the error JSON (Zoho);
//!   - `invalid_grant_error`: the `error` code for a bad code or refresh token ([`INVALID_GRANT`]
//!     by default, Zoho `invalid_code`).
//!
//!   Presets: `OAuthServerConfig::zoho()`, `::silverfin(firm_id)`, `::brokercloud()`.
//! - [`OAuthServer`] (`Clone`, clones share state): `new(config)`, `config()`, `router()`
//!   serving `GET /oauth/authorize` (auto-consent: 302 to `redirect_uri?code=…&state=…`; an
//!   unknown client or a redirect URI that is not an exact match is a 400 page, not a
//!   redirect) and `POST /oauth/token` (`authorization_code` with the PKCE check,
//!   `refresh_token`; RFC 6749 §5.2 JSON errors, `invalid_grant` for a wrong, expired, used
//!   or revoked code or refresh token; client auth by HTTP Basic or form fields).
//! - Handles: `allow_redirect_uri`, `set_callback_param(name, Some(value) | None)`,
//!   `set_token_field(name, Some(value) | None)` (change the quirks above while serving),
//!   `token_calls()` ([`TokenCall`]: host, path, grant type and `redirect_uri` of the last 1,000 token requests —
//!   which data centre or firm path was asked), `deny_next_authorize` (next authorize → `error=access_denied`),
//!   `inject(Fault)`, `token_server_error(count, status)`, `token_slow(count, delay)`,
//!   `expire_access_tokens`, `revoke_refresh_tokens`, `revoke_all`, `issue_tokens` (a pair
//!   without the browser flow), `refresh_token_valid`, `stats()` ([`OAuthStats`]: authorize
//!   requests, denials, code grants, refresh grants that reached it, tokens issued, invalid
//!   grants, faults), `reset_stats`, `issued_secrets` (every code/token issued, for log checks).
//! - `start(addr)` / `start_local()` → [`RunningOAuthServer`] (`base_url`, `authorize_url`,
//!   `token_url`, `server`), to run it alone on 127.0.0.1. Clones share state: starting a clone
//!   too gives a second listener of the same server (two Zoho data centres whose codes work at
//!   either; `token_calls()` tells them apart by host). Faults queued for [`TOKEN_PATH`] /
//!   [`AUTHORIZE_PATH`] also hit the extra paths of that endpoint.
//! - `impl BearerAuthority for OAuthServer`: accepts its access tokens until they expire or are
//!   expired by hand.
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::bearer::BearerAuthority;
//! use koppel_sandbox::oauth::{OAuthServer, OAuthServerConfig};
//! let running = OAuthServer::new(OAuthServerConfig::default()).start_local().await?;
//! let server = running.server();
//! server.deny_next_authorize();
//! let pair = server.issue_tokens();
//! assert!(server.accepts(&pair.access_token));
//! println!("{} {} refresh grants: {}", running.authorize_url(), running.token_url(), server.stats().refresh_grants);
//! # Ok(()) }
//! ```

mod authorize;
mod config;
mod server;
mod sha256;
mod state;
mod token;

pub use authorize::encode as percent_encode;
pub use config::{
    BASE_URL_PLACEHOLDER, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REDIRECT_URI, INVALID_GRANT, OAuthServerConfig,
};
pub use server::{AUTHORIZE_PATH, IssuedTokens, OAuthServer, RunningOAuthServer, TOKEN_PATH};
pub use sha256::s256_challenge;
pub use state::{OAuthStats, TokenCall};

#[cfg(test)]
mod quirk_tests;
#[cfg(test)]
mod tests;
