//! Where a connection that signs in with OAuth stands: waiting for the user to authorize,
//! authorized ("sync active" in the seed), or needing a new authorization (with why).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthStatus {
    /// Saved; the user has not completed the provider's consent screen yet.
    AwaitingAuthorization,
    /// Tokens are stored; syncs may run.
    Authorized,
    /// The provider no longer accepts the stored tokens (e.g. the refresh failed for good).
    NeedsReconnect,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OAuthState {
    pub status: AuthStatus,
    /// Why a reconnect is needed, or what went wrong last, in a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized_at: Option<DateTime<Utc>>,
    /// When the stored access token expires (not secret; lets the API show it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl OAuthState {
    pub fn awaiting(now: DateTime<Utc>) -> Self {
        Self {
            status: AuthStatus::AwaitingAuthorization,
            reason: None,
            authorized_at: None,
            expires_at: None,
            updated_at: now,
        }
    }
}
