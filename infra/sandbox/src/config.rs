//! How a sandbox is set up: data size and seed, the keys it accepts, the token lifetime.

use std::time::Duration;

/// The subscription key the demo sandbox accepts (never a real key).
pub const DEMO_SUBSCRIPTION_KEY: &str = "sandbox-subscription-key";
/// The koppelsleutel the demo sandbox accepts (never a real key).
pub const DEMO_CLIENT_KEY: &str = "sandbox-koppelsleutel";

#[derive(Clone)]
pub struct SandboxConfig {
    pub seed: u64,
    pub customers: u32,
    pub invoices: u32,
    pub subscription_key: String,
    pub client_key: String,
    /// Lifetime of issued tokens (`expires_in`); SnelStart's is 3599 s.
    pub token_ttl: Duration,
    pub administration_name: String,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            seed: 7,
            customers: 100,
            invoices: 300,
            subscription_key: DEMO_SUBSCRIPTION_KEY.into(),
            client_key: DEMO_CLIENT_KEY.into(),
            token_ttl: Duration::from_secs(3599),
            administration_name: "Demo Administratie B.V.".into(),
        }
    }
}

/// Keys are shown by name only, like every secret in Koppel.
impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("seed", &self.seed)
            .field("customers", &self.customers)
            .field("invoices", &self.invoices)
            .field("token_ttl", &self.token_ttl)
            .field("administration_name", &self.administration_name)
            .finish_non_exhaustive()
    }
}
