//! `BrokercloudMeetings`: opens a meeting session per connection from its OAuth access token
//! (refreshed by the engine before the session opens) against one base URL.

use koppel_core::domain::catalog::{ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD};
use koppel_core::domain::catalog_push::BROKERCLOUD;
use koppel_core::ports::meeting::{MeetingApi, MeetingFactory};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_core::ports::{Clock, SystemClock};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

use super::assumptions::MAX_WAIT;
use super::session::BrokercloudSession;
use super::transport::Transport;
use crate::http::{ClientOptions, HttpSeam, RetryPolicy, Sleeper, TokioSleeper};

/// Production host [C]; REST under `/api/v2` [C], added by the connector.
pub const DEFAULT_BASE_URL: &str = "https://secure.brokercloud.app";
/// Brokercloud's acceptance host [C], for a partner's test account.
pub const ACCEPTANCE_BASE_URL: &str = "https://acc.brokercloud.dev";
/// The environment variable a caller reads to point the connector elsewhere (stand-in, tests).
pub const BASE_URL_ENV: &str = "BROKERCLOUD_API_BASE";

/// Why a factory could not be built from configuration.
#[derive(Debug, thiserror::Error)]
pub enum FactoryError {
    #[error("the Brokercloud base URL must be an http(s) URL, got '{0}'")]
    BaseUrl(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

/// How sessions behave; the defaults are for production.
#[derive(Clone)]
pub struct BrokercloudOptions {
    /// Timeouts and user agent of the client `with_options` builds.
    pub http: ClientOptions,
    pub retry: RetryPolicy,
    /// Waits between retries.
    pub sleeper: Arc<dyn Sleeper>,
    /// Reads `Retry-After` dates.
    pub clock: Arc<dyn Clock>,
}

impl Default for BrokercloudOptions {
    fn default() -> Self {
        Self {
            http: ClientOptions::default(),
            retry: RetryPolicy { max_wait: MAX_WAIT, ..RetryPolicy::default() },
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
        }
    }
}

impl std::fmt::Debug for BrokercloudOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokercloudOptions")
            .field("http", &self.http)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Opens Brokercloud meeting sessions (provider `"brokercloud"`) against one host.
#[derive(Clone)]
pub struct BrokercloudMeetings {
    base_url: Url,
    client: reqwest::Client,
    options: BrokercloudOptions,
}

impl std::fmt::Debug for BrokercloudMeetings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokercloudMeetings")
            .field("base_url", &self.base_url.as_str())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl BrokercloudMeetings {
    /// A pre-built client (timeouts set, redirects off: see [`crate::http::client`]).
    pub fn new(base_url: &str, client: reqwest::Client, options: BrokercloudOptions) -> Result<Self, FactoryError> {
        Ok(Self { base_url: parse_base(base_url)?, client, options })
    }

    /// Production settings against `base_url` (e.g. [`DEFAULT_BASE_URL`]): 30 s timeout, no
    /// redirects, retries for reads and 429s.
    pub fn with_defaults(base_url: &str) -> Result<Self, FactoryError> {
        Self::with_options(base_url, BrokercloudOptions::default())
    }

    /// Builds the client from `options.http`.
    pub fn with_options(base_url: &str, options: BrokercloudOptions) -> Result<Self, FactoryError> {
        let client = crate::http::client(&options.http)?;
        Self::new(base_url, client, options)
    }

    /// The host the sessions call (`/api/v2` is added per call).
    pub fn base_url(&self) -> &str {
        self.base_url.as_str().trim_end_matches('/')
    }

    /// The concrete session (tests and tools); [`MeetingFactory::open`] boxes it.
    pub fn open_session(&self, credentials: &Credentials) -> Result<BrokercloudSession, ConnectorError> {
        let token = credentials
            .get(ACCESS_TOKEN_FIELD)
            .map(|s| s.expose_secret().trim())
            .filter(|s| !s.is_empty())
            .map(|s| SecretString::from(s.to_string()))
            .ok_or_else(|| {
                ConnectorError::MissingCredential("Brokercloud sign-in (access token): sign in with Brokercloud".into())
            })?;
        let scrub = [ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD]
            .iter()
            .filter_map(|f| credentials.get(f))
            .map(|s| SecretString::from(s.expose_secret().trim().to_string()))
            .collect();
        let seam = HttpSeam::new(
            self.client.clone(),
            self.options.retry,
            self.options.sleeper.clone(),
            self.options.clock.clone(),
        );
        Ok(BrokercloudSession { transport: Transport::new(seam, self.base_url.clone(), &token, scrub)? })
    }
}

impl MeetingFactory for BrokercloudMeetings {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        if provider != BROKERCLOUD {
            // A wiring mistake, not user input.
            return Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("the Brokercloud connector cannot open a '{provider}' connection"),
            });
        }
        Ok(Box::new(self.open_session(&credentials)?))
    }
}

/// An http(s) URL with a host; a trailing `/` or `/api/v2` is dropped.
fn parse_base(value: &str) -> Result<Url, FactoryError> {
    let refused = || FactoryError::BaseUrl(value.to_string());
    let mut url = Url::parse(value.trim()).map_err(|_| refused())?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() || url.cannot_be_a_base() || url.query().is_some() {
        return Err(refused());
    }
    let path = url.path().trim_end_matches('/');
    let path = path.strip_suffix("/api/v2").unwrap_or(path).to_string();
    url.set_path(if path.is_empty() { "/" } else { &path });
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(fields: &[(&str, &str)]) -> Credentials {
        fields.iter().fold(Credentials::new(), |c, (k, v)| c.with(k, SecretString::from(v.to_string())))
    }

    #[test]
    fn base_urls_are_checked() {
        let base = |u: &str| BrokercloudMeetings::with_defaults(u).map(|f| f.base_url().to_string()).ok();
        assert_eq!(base(DEFAULT_BASE_URL).as_deref(), Some(DEFAULT_BASE_URL));
        assert_eq!(base("https://acc.brokercloud.dev/api/v2/").as_deref(), Some(ACCEPTANCE_BASE_URL));
        assert_eq!(base("http://127.0.0.1:9404/").as_deref(), Some("http://127.0.0.1:9404"));
        for bad in ["", "secure.brokercloud.app", "ftp://secure.brokercloud.app", "https://x.app/?a=1"] {
            assert!(matches!(BrokercloudMeetings::with_defaults(bad), Err(FactoryError::BaseUrl(_))), "{bad}");
        }
    }

    #[test]
    fn the_access_token_is_required() {
        let Ok(f) = BrokercloudMeetings::with_defaults(DEFAULT_BASE_URL) else { panic!("factory") };
        let e = f.open_session(&creds(&[("access_token", "  "), ("refresh_token", "r")])).err();
        assert!(matches!(e, Some(ConnectorError::MissingCredential(m)) if m.contains("sign in with Brokercloud")));
        assert!(f.open_session(&creds(&[("access_token", "tok")])).is_ok());
        let e = f.open_session(&creds(&[("access_token", "bad\ntoken")])).err();
        assert!(matches!(e, Some(ConnectorError::Unauthorized { .. })));
    }

    #[test]
    fn other_providers_are_a_wiring_mistake() {
        let Ok(f) = BrokercloudMeetings::with_defaults(DEFAULT_BASE_URL) else { panic!("factory") };
        let e = f.open("zoho", creds(&[("access_token", "t")])).err();
        assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })));
        assert!(f.open(BROKERCLOUD, creds(&[("access_token", "t")])).is_ok());
    }
}
