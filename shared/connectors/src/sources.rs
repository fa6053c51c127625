//! One `SourceFactory` for every provider: each connection opens the connector its provider
//! names (SnelStart, AdminPulse, Admin IS / Consult).

use std::sync::Arc;

use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, SourceFactory, SourceSession};

#[derive(Clone, Default)]
pub struct ProviderSources {
    by_provider: Vec<(String, Arc<dyn SourceFactory>)>,
}

impl ProviderSources {
    pub fn new() -> Self {
        Self::default()
    }
    /// Serve `provider` with `factory` (the last one registered for a name wins).
    pub fn with(mut self, provider: &str, factory: Arc<dyn SourceFactory>) -> Self {
        self.by_provider.retain(|(p, _)| p != provider);
        self.by_provider.push((provider.to_string(), factory));
        self
    }
}

impl SourceFactory for ProviderSources {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn SourceSession>, ConnectorError> {
        match self.by_provider.iter().find(|(p, _)| p == provider) {
            Some((_, factory)) => factory.open(provider, credentials),
            // A wiring mistake (the catalog offers a provider no connector serves), not user input.
            None => Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("Koppel has no connector for '{provider}' in this deployment"),
            }),
        }
    }
}
