//! OAuth 2.0 for connections that sign in with it (AdminPulse with `auth_mode = "oauth"`; Brokercloud,
//! Silverfin and Zoho, which only receive meetings):
//!
//! - [`start`]: the provider's authorize URL with a single-use `state` bound to the tenant and
//!   the connection (10 minutes), and PKCE S256 when the app uses it.
//! - [`callback`]: checks and spends the `state`, exchanges the code, stores the tokens in the
//!   connection's secret, keeps what the registration names from the callback and the token
//!   answer as connection settings (Zoho's accounts server and API domain, Silverfin's firm),
//!   marks the connection authorized, tests it, activates it and (for providers with streams)
//!   asks for a first sync; every failure says what happened and changes nothing.
//! - [`refresh`]: hands out a usable access token (the hook in
//!   `usecases::connections::credentials`), refreshing it before it expires under a
//!   per-connection lease; `invalid_grant` marks the connection `NeedsReconnect`.
//!
//! The provider apps (client id and secret, endpoints, scopes, PKCE, what to keep) are
//! configuration in the secrets port ([`app`]); a token URL may hold `{setting}` placeholders,
//! filled and checked by [`template`] (an allow-list of hosts, plain ids), so a value from the
//! callback's query cannot send the client secret elsewhere. `docs/connectors/oauth.md`
//! describes all of it.

pub mod app;
pub mod callback;
pub mod failure;
pub mod lease;
pub mod mark;
pub mod refresh;
pub mod start;
pub mod state;
pub mod template;
pub mod tokens;

use chrono::Duration;

/// How long a started sign-in may take before its `state` expires.
pub const STATE_TTL_MINUTES: i64 = 10;
/// An access token closer than this to its expiry is refreshed before use. Longer than one
/// sync invocation (`SYNC_TIME_BUDGET_SECS`, 10 minutes), so a token handed to a run outlives it.
pub const REFRESH_MARGIN_MINUTES: i64 = 15;

pub fn refresh_margin() -> Duration {
    Duration::minutes(REFRESH_MARGIN_MINUTES)
}

/// The provider's display name (`AdminPulse`), for messages.
pub fn provider_label(provider: &str) -> String {
    crate::domain::catalog::find(provider).map(|c| c.label.to_string()).unwrap_or_else(|| provider.to_string())
}
