//! The meeting connectors, with base URLs from the environment. Providers whose address is
//! per connection (Odoo, Fid-Manager, Zoho's data centre) take it from the connection's settings.

use std::sync::Arc;

use koppel_connectors::{ProviderMeetings, adminpulse, brokercloud, fid_manager, odoo, silverfin, zoho};
use koppel_core::domain::catalog::ADMINPULSE;
use koppel_core::domain::catalog_push::{BROKERCLOUD, FID_MANAGER, ODOO, SILVERFIN, ZOHO};
use koppel_core::ports::meeting::MeetingFactory;

use crate::env::EnvError;

/// Base URLs of the providers with one fixed address (their stand-ins in tests and demos).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingBases {
    pub adminpulse: String,
    pub brokercloud: String,
    pub silverfin: String,
    /// Let Zoho connections use any `api_domain` (a stand-in on 127.0.0.1). Production keeps
    /// the token to Zoho's own `https://www.zohoapis.{tld}` hosts; `KOPPEL_ZOHO_ANY_API_DOMAIN=1`
    /// is for local runs only.
    pub zoho_any_api_domain: bool,
}

impl MeetingBases {
    /// `ADMINPULSE_API_BASE`, `BROKERCLOUD_API_BASE`, `SILVERFIN_API_BASE`, else the real services.
    pub fn from_env() -> Self {
        let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_string());
        Self {
            adminpulse: var(adminpulse::BASE_URL_ENV, adminpulse::DEFAULT_BASE_URL),
            brokercloud: var(brokercloud::BASE_URL_ENV, brokercloud::DEFAULT_BASE_URL),
            silverfin: var(silverfin::BASE_URL_ENV, silverfin::DEFAULT_BASE_URL),
            zoho_any_api_domain: std::env::var("KOPPEL_ZOHO_ANY_API_DOMAIN").is_ok_and(|v| v == "1"),
        }
    }
}

pub fn from_env() -> Result<Arc<dyn MeetingFactory>, EnvError> {
    with(&MeetingBases::from_env())
}

fn invalid(name: &'static str) -> impl Fn(&dyn std::fmt::Display) -> EnvError {
    move |e| EnvError::Invalid { name, message: e.to_string() }
}

/// Every meeting connector, the fixed-address ones at `bases`.
pub fn with(bases: &MeetingBases) -> Result<Arc<dyn MeetingFactory>, EnvError> {
    let ap = adminpulse::AdminPulseMeetings::with_defaults(&bases.adminpulse)
        .map_err(|e| invalid(adminpulse::BASE_URL_ENV)(&e))?;
    let bc = brokercloud::BrokercloudMeetings::with_defaults(&bases.brokercloud)
        .map_err(|e| invalid(brokercloud::BASE_URL_ENV)(&e))?;
    let sf = silverfin::SilverfinMeetings::with_defaults(&bases.silverfin)
        .map_err(|e| invalid(silverfin::BASE_URL_ENV)(&e))?;
    let fm = fid_manager::FidManagerMeetings::with_defaults().map_err(|e| invalid("office_url")(&e))?;
    let od = odoo::OdooMeetings::with_defaults().map_err(|e| invalid("server_url")(&e))?;
    let zoho_options = zoho::ZohoOptions { allow_any_api_domain: bases.zoho_any_api_domain, ..Default::default() };
    let zo = zoho::ZohoMeetings::with_options(zoho_options).map_err(|e| invalid("api_domain")(&e))?;
    Ok(Arc::new(
        ProviderMeetings::new()
            .with(ADMINPULSE, Arc::new(ap))
            .with(BROKERCLOUD, Arc::new(bc))
            .with(FID_MANAGER, Arc::new(fm))
            .with(ODOO, Arc::new(od))
            .with(SILVERFIN, Arc::new(sf))
            .with(ZOHO, Arc::new(zo)),
    ))
}
