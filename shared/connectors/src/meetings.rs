//! One `MeetingFactory` for every provider meetings are sent to: each connection opens the
//! connector its provider names.

use std::sync::Arc;

use koppel_core::ports::meeting::{MeetingApi, MeetingFactory};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;

#[derive(Clone, Default)]
pub struct ProviderMeetings {
    by_provider: Vec<(String, Arc<dyn MeetingFactory>)>,
}

impl ProviderMeetings {
    pub fn new() -> Self {
        Self::default()
    }
    /// Serve `provider` with `factory` (the last one registered for a name wins).
    pub fn with(mut self, provider: &str, factory: Arc<dyn MeetingFactory>) -> Self {
        self.by_provider.retain(|(p, _)| p != provider);
        self.by_provider.push((provider.to_string(), factory));
        self
    }
}

impl MeetingFactory for ProviderMeetings {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        match self.by_provider.iter().find(|(p, _)| p == provider) {
            Some((_, factory)) => factory.open(provider, credentials),
            // A wiring mistake (the catalog offers a provider no connector serves), not user input.
            None => Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("Koppel cannot send meetings to '{provider}' in this deployment"),
            }),
        }
    }
}
