//! `OdooMeetings`: opens a meeting session per connection. Odoo has no fixed address: each
//! connection brings its own (`server_url`), with its database and API key.

use koppel_core::domain::catalog_push::ODOO;
use koppel_core::ports::meeting::{MeetingApi, MeetingFactory};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_core::ports::{Clock, SystemClock};
use std::sync::Arc;

use super::assumptions::MAX_WAIT;
use super::rpc::Rpc;
use super::session::OdooSession;
use super::settings::OdooSettings;
use crate::http::{ClientOptions, HttpSeam, RetryPolicy, Sleeper, TokioSleeper};

/// Targets per page (Koppel's choice; `search_read` takes any `limit`).
pub const DEFAULT_PAGE_SIZE: u32 = 200;
/// The largest page a session asks for.
pub const MAX_PAGE_SIZE: u32 = 1_000;

/// Why a factory could not be built.
#[derive(Debug, thiserror::Error)]
pub enum FactoryError {
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

/// How sessions behave; the defaults are for production.
#[derive(Clone)]
pub struct OdooOptions {
    /// Timeouts and user agent of the client `with_options` builds.
    pub http: ClientOptions,
    pub retry: RetryPolicy,
    /// Waits between retries.
    pub sleeper: Arc<dyn Sleeper>,
    /// Reads `Retry-After` dates; "now" for the event list's window.
    pub clock: Arc<dyn Clock>,
    /// Targets per page, 1..=[`MAX_PAGE_SIZE`].
    pub page_size: u32,
}

impl Default for OdooOptions {
    fn default() -> Self {
        Self {
            http: ClientOptions::default(),
            retry: RetryPolicy { max_wait: MAX_WAIT, ..RetryPolicy::default() },
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

impl std::fmt::Debug for OdooOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OdooOptions")
            .field("http", &self.http)
            .field("retry", &self.retry)
            .field("page_size", &self.page_size)
            .finish_non_exhaustive()
    }
}

/// The `MeetingFactory` for provider `"odoo"`.
#[derive(Clone)]
pub struct OdooMeetings {
    client: reqwest::Client,
    options: OdooOptions,
}

impl std::fmt::Debug for OdooMeetings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OdooMeetings").field("options", &self.options).finish_non_exhaustive()
    }
}

impl OdooMeetings {
    /// A pre-built client (timeouts set, redirects off: see [`crate::http::client`]).
    pub fn new(client: reqwest::Client, options: OdooOptions) -> Self {
        Self { client, options }
    }

    /// Production settings: the default client (30 s timeout, no redirects) and retries.
    pub fn with_defaults() -> Result<Self, FactoryError> {
        Self::with_options(OdooOptions::default())
    }

    /// Builds the client from `options.http`.
    pub fn with_options(options: OdooOptions) -> Result<Self, FactoryError> {
        let client = crate::http::client(&options.http)?;
        Ok(Self::new(client, options))
    }

    /// The concrete session (tests and tools); [`MeetingFactory::open`] boxes it.
    pub fn open_session(&self, credentials: &Credentials) -> Result<OdooSession, ConnectorError> {
        let settings = OdooSettings::from_credentials(credentials)?;
        let seam = HttpSeam::new(
            self.client.clone(),
            self.options.retry,
            self.options.sleeper.clone(),
            self.options.clock.clone(),
        );
        let rpc = Rpc::new(seam, settings)?;
        Ok(OdooSession::new(rpc, self.options.page_size.clamp(1, MAX_PAGE_SIZE)))
    }
}

impl MeetingFactory for OdooMeetings {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        if provider != ODOO {
            // A wiring mistake, not user input.
            return Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("the Odoo connector cannot open a '{provider}' connection"),
            });
        }
        Ok(Box::new(self.open_session(&credentials)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn creds(fields: &[(&str, &str)]) -> Credentials {
        fields.iter().fold(Credentials::new(), |c, (k, v)| c.with(k, SecretString::from(v.to_string())))
    }

    #[test]
    fn opens_odoo_connections_only() {
        let Ok(f) = OdooMeetings::with_defaults() else { panic!("factory") };
        let ok = creds(&[("server_url", "https://firm.odoo.com"), ("database", "firm"), ("api_key", "k")]);
        assert!(f.open(ODOO, ok.clone()).is_ok());
        assert!(matches!(f.open("zoho", ok).err(), Some(ConnectorError::Rejected { status: 0, .. })));
        let plain_http = creds(&[("server_url", "http://firm.odoo.com"), ("database", "firm"), ("api_key", "k")]);
        assert!(matches!(f.open(ODOO, plain_http).err(), Some(ConnectorError::Rejected { status: 0, .. })));
        let bad_key = creds(&[("server_url", "https://firm.odoo.com"), ("database", "firm"), ("api_key", "a\nb")]);
        assert!(matches!(f.open(ODOO, bad_key).err(), Some(ConnectorError::Unauthorized { .. })));
    }
}
