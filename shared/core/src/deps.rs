//! Everything a use-case needs, as ports. Built once per process by `koppel-runtime`.

use std::sync::Arc;

use crate::ports::{
    Clock, EventBus, IdGen, ItemStore, MeetingFactory, NewsletterFactory, OAuthClient, Scheduler, SecretStore,
    SourceFactory,
};

#[derive(Clone)]
pub struct Deps {
    pub store: Arc<dyn ItemStore>,
    pub secrets: Arc<dyn SecretStore>,
    pub scheduler: Arc<dyn Scheduler>,
    pub bus: Arc<dyn EventBus>,
    pub sources: Arc<dyn SourceFactory>,
    /// Newsletter connectors (Flexmail).
    pub newsletter: Arc<dyn NewsletterFactory>,
    /// Meeting connectors (AdminPulse, Brokercloud, Fid-Manager, Odoo, Silverfin, Zoho).
    pub meetings: Arc<dyn MeetingFactory>,
    /// OAuth 2.0 client (authorize URL, code exchange, refresh) for connections that sign in with it.
    pub oauth: Arc<dyn OAuthClient>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// Deployment environment name, used in secret names (`koppel/{env}/...`).
    pub env: String,
    /// Koppel's public base URL (`https://…`), used in the webhook URLs registered at providers.
    pub public_url: String,
}
