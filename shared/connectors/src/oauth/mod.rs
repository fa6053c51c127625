//! The OAuth client adapter: `koppel_core::ports::oauth::OAuthClient` on the `oauth2` crate,
//! with Koppel's own reqwest client plugged in through `oauth2`'s `AsyncHttpClient` (an async
//! closure, [`http::send`]), so no second HTTP stack is built.
//!
//! - Authorize URL: `response_type=code`, `client_id`, `redirect_uri`, `scope`, `state` and, when
//!   the app uses PKCE, `code_challenge` + `code_challenge_method=S256` (32 random bytes →
//!   43-character verifier, `oauth2::PkceCodeChallenge::new_random_sha256`).
//! - Token calls (code exchange, refresh) authenticate the client by HTTP Basic or form fields
//!   (per app), follow no redirects, and time out after [`TOKEN_CALL_TIMEOUT`].
//!   Extra authorize parameters of the app (Zoho `access_type=offline`, `prompt=consent`) are
//!   added; a refresh repeats `redirect_uri` when the app asks (Silverfin).
//! - Token answers keep their non-standard top-level fields ([`answer::KeptFields`], an
//!   `oauth2::ExtraTokenFields`) as `TokenSet::extra` (Zoho `api_domain`).
//! - Errors ([`errors::map`]): `invalid_grant` (and Zoho's `invalid_code`) → `InvalidGrant`
//!   (final); other RFC 6749 §5.2 codes → `Rejected`; 429, 5xx,
//!   `server_error`/`temporarily_unavailable`, transport errors and unreadable bodies →
//!   `Transient`. An HTTP 200 whose JSON holds `error` and no `access_token` (Zoho) is an error
//!   answer ([`http::send`] gives it status 400). No token, code or response body ever reaches
//!   an error.

pub mod answer;
mod client;
mod errors;
pub mod http;

pub use client::{OAuth2Client, TOKEN_CALL_TIMEOUT};
