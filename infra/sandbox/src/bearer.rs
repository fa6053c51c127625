//! Who may say which bearer tokens a stand-in accepts: its own API keys, or the access tokens
//! an OAuth stand-in (`crate::oauth`) issued. A provider stand-in takes a list of these, so the
//! OAuth server is shared, not copied per provider.

pub trait BearerAuthority: Send + Sync {
    /// Whether `token` is valid right now (known, not expired, not revoked).
    fn accepts(&self, token: &str) -> bool;
}

/// A fixed set of API keys.
#[derive(Debug, Clone, Default)]
pub struct StaticKeys(pub Vec<String>);

impl BearerAuthority for StaticKeys {
    fn accepts(&self, token: &str) -> bool {
        self.0.iter().any(|k| k == token)
    }
}
