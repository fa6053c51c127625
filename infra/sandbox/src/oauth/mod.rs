//! A generic OAuth 2.0 authorization server stand-in (RFC 6749 authorization code grant with
//! PKCE S256 per RFC 7636, refresh with optional rotation), for provider stand-ins and tests.
//!
//! Public API (kept stable; provider stand-ins mount the router and take the server as a
//! [`crate::bearer::BearerAuthority`]):
//! - [`OAuthServerConfig`] (`Default`: [`DEMO_CLIENT_ID`], [`DEMO_CLIENT_SECRET`], redirect
//!   [`DEMO_REDIRECT_URI`], PKCE required, access tokens 1 h, refresh rotation on, codes 10 min).
//! - [`OAuthServer`] (`Clone`, clones share state): `new(config)`, `config()`, `router()`
//!   serving `GET /oauth/authorize` (auto-consent: 302 to `redirect_uri?code=…&state=…`; an
//!   unknown client or a redirect URI that is not an exact match is a 400 page, not a
//!   redirect) and `POST /oauth/token` (`authorization_code` with the PKCE check,
//!   `refresh_token`; RFC 6749 §5.2 JSON errors, `invalid_grant` for a wrong, expired, used
//!   or revoked code or refresh token; client auth by HTTP Basic or form fields).
//! - Handles: `allow_redirect_uri`, `deny_next_authorize` (next authorize → `error=access_denied`),
//!   `inject(Fault)`, `token_server_error(count, status)`, `token_slow(count, delay)`,
//!   `expire_access_tokens`, `revoke_refresh_tokens`, `revoke_all`, `issue_tokens` (a pair
//!   without the browser flow), `refresh_token_valid`, `stats()` ([`OAuthStats`]: authorize
//!   requests, denials, code grants, refresh grants that reached it, tokens issued, invalid
//!   grants, faults), `reset_stats`, `issued_secrets` (every code/token issued, for log checks).
//! - `start(addr)` / `start_local()` → [`RunningOAuthServer`] (`base_url`, `authorize_url`,
//!   `token_url`, `server`), to run it alone on 127.0.0.1.
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
pub use config::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REDIRECT_URI, OAuthServerConfig};
pub use server::{AUTHORIZE_PATH, IssuedTokens, OAuthServer, RunningOAuthServer, TOKEN_PATH};
pub use sha256::s256_challenge;
pub use state::OAuthStats;

#[cfg(test)]
mod tests;
