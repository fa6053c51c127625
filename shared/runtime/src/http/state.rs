//! What every HTTP handler gets: the ports, and how callers are identified.

use axum::extract::FromRef;
use secrecy::SecretString;

/// JWT claim that holds the tenant id when `TENANT_CLAIM` is not set.
pub const DEFAULT_TENANT_CLAIM: &str = "tenant_id";

/// Shared state of the `api` and `test-connection` routers (and of the local runner).
#[derive(Clone)]
pub struct AppState {
    pub deps: koppel_core::Deps,
    pub auth: AuthConfig,
}

impl AppState {
    pub fn new(deps: koppel_core::Deps, auth: AuthConfig) -> Self {
        Self { deps, auth }
    }
}

/// How the [`Tenant`](super::auth::Tenant) extractor identifies a caller.
///
/// `Debug` never shows the dev secret (`SecretString` redacts itself).
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// Claim of the API Gateway-verified JWT that holds the tenant id (`TENANT_CLAIM`).
    pub tenant_claim: String,
    /// When set, `Authorization: Bearer <HS256 JWT>` signed with it is accepted
    /// (`KOPPEL_DEV_JWT_SECRET`; local use only, never in the SAM template).
    pub dev_secret: Option<SecretString>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self { tenant_claim: DEFAULT_TENANT_CLAIM.into(), dev_secret: None }
    }
}

impl AuthConfig {
    /// `TENANT_CLAIM` (default `tenant_id`) and `KOPPEL_DEV_JWT_SECRET` (optional; empty means unset).
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`AuthConfig::from_env`] over any variable lookup (tests pass a map).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let tenant_claim = var("TENANT_CLAIM")
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| DEFAULT_TENANT_CLAIM.into());
        let dev_secret = var("KOPPEL_DEV_JWT_SECRET").filter(|s| !s.is_empty()).map(SecretString::from);
        if dev_secret.is_some() {
            tracing::warn!("KOPPEL_DEV_JWT_SECRET is set: HS256 dev tokens are accepted (local use only)");
        }
        Self { tenant_claim, dev_secret }
    }
}

impl FromRef<AppState> for AuthConfig {
    fn from_ref(state: &AppState) -> Self {
        state.auth.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn defaults_and_overrides() {
        let none = AuthConfig::from_vars(|_| None);
        assert_eq!(none.tenant_claim, "tenant_id");
        assert!(none.dev_secret.is_none());

        let empty = AuthConfig::from_vars(|_| Some(String::new()));
        assert_eq!(empty.tenant_claim, "tenant_id");
        assert!(empty.dev_secret.is_none());

        let set = AuthConfig::from_vars(|n| {
            Some(if n == "TENANT_CLAIM" { "custom:tenant".to_string() } else { "s3cr3t-value".to_string() })
        });
        assert_eq!(set.tenant_claim, "custom:tenant");
        assert_eq!(set.dev_secret.as_ref().map(|s| s.expose_secret().to_string()).as_deref(), Some("s3cr3t-value"));
        assert!(!format!("{set:?}").contains("s3cr3t"));
    }
}
