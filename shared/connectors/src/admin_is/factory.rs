//! `AdminIsFactory`: opens a session per connection. Each office has its own address, so the
//! base URL comes from the connection (`office_url`, merged into the credentials by the engine),
//! never from the environment.

use koppel_core::domain::catalog::{ADMIN_IS, API_KEY, OFFICE_URL};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, SourceFactory, SourceSession};
use koppel_core::ports::{Clock, SystemClock};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use super::DISPLAY_NAME;
use super::session::AdminIsSession;
use super::throttle::Throttle;
use super::token::TokenCache;
use super::wire::Wire;
use crate::http::{ClientOptions, RetryPolicy, Sleeper, TokioSleeper};

/// How sessions behave; the defaults are for production.
#[derive(Clone)]
pub struct AdminIsOptions {
    pub retry: RetryPolicy,
    /// Every wait (retries, the rate limit) goes through it.
    pub sleeper: Arc<dyn Sleeper>,
    /// Token lifetimes, the rate-limit window, `Retry-After` dates and the full import's start.
    pub clock: Arc<dyn Clock>,
    /// Read each page's addresses from `customeraddresses` (one more call per page or so).
    pub fetch_addresses: bool,
    pub http: ClientOptions,
}

impl Default for AdminIsOptions {
    fn default() -> Self {
        Self {
            retry: RetryPolicy { max_wait: std::time::Duration::from_secs(120), ..RetryPolicy::default() },
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
            fetch_addresses: true,
            http: ClientOptions::default(),
        }
    }
}

impl std::fmt::Debug for AdminIsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminIsOptions")
            .field("retry", &self.retry)
            .field("fetch_addresses", &self.fetch_addresses)
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

/// Opens Admin IS sessions (provider `"admin_is"`).
#[derive(Clone)]
pub struct AdminIsFactory {
    client: reqwest::Client,
    options: AdminIsOptions,
}

impl std::fmt::Debug for AdminIsFactory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminIsFactory").field("options", &self.options).finish_non_exhaustive()
    }
}

impl AdminIsFactory {
    /// The client from `options.http` (rustls, timeouts, no redirects: a redirect would carry
    /// the token somewhere Koppel did not choose).
    pub fn new(options: AdminIsOptions) -> Result<Self, reqwest::Error> {
        let client = crate::http::client(&options.http)?;
        Ok(Self { client, options })
    }

    /// Production settings.
    pub fn with_defaults() -> Result<Self, reqwest::Error> {
        Self::new(AdminIsOptions::default())
    }

    /// The concrete session (tests and tools); [`SourceFactory::open`] boxes it.
    pub fn open_session(&self, credentials: &Credentials) -> Result<AdminIsSession, ConnectorError> {
        let office = office_url(credentials)?;
        let api_key = credentials
            .get(API_KEY)
            .map(|s| s.expose_secret().trim())
            .filter(|s| !s.is_empty())
            .map(|s| SecretString::from(s.to_string()))
            .ok_or_else(|| ConnectorError::MissingCredential(API_KEY.to_string()))?;
        let wire = Wire {
            client: self.client.clone(),
            office,
            api_key,
            policy: self.options.retry,
            sleeper: self.options.sleeper.clone(),
            clock: self.options.clock.clone(),
            tokens: TokenCache::default(),
            throttle: Throttle::new(),
            calls: AtomicU64::new(0),
        };
        Ok(AdminIsSession::new(wire, self.options.fetch_addresses))
    }
}

impl SourceFactory for AdminIsFactory {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn SourceSession>, ConnectorError> {
        if provider != ADMIN_IS {
            // A wiring mistake, not user input.
            return Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("the Admin IS connector cannot open a '{provider}' connection"),
            });
        }
        Ok(Box::new(self.open_session(&credentials)?))
    }
}

/// The office's address from the connection (checked at setup; checked again here): http(s),
/// a host, no user or password, no query; a trailing `/` or `/api/v1` is dropped.
fn office_url(credentials: &Credentials) -> Result<Url, ConnectorError> {
    let raw = credentials
        .get(OFFICE_URL)
        .map(|s| s.expose_secret().trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ConnectorError::MissingCredential(OFFICE_URL.to_string()))?;
    let refused = || ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "the office API address".into(),
        hint: "Edit the connection: the office address looks like https://consultapi.example.be:2100 (from Syneton's \
               Marketplace Manager, Connectiegegevens)."
            .into(),
    };
    let mut url = Url::parse(&raw).map_err(|_| refused())?;
    let fine = matches!(url.scheme(), "http" | "https")
        && url.has_host()
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && !url.cannot_be_a_base();
    if !fine {
        return Err(refused());
    }
    let path = url.path().trim_end_matches('/');
    let path = path.strip_suffix("/api/v1").unwrap_or(path).to_string();
    url.set_path(if path.is_empty() { "/" } else { &path });
    url.set_fragment(None);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(url: &str, key: &str) -> Credentials {
        Credentials::new()
            .with(OFFICE_URL, SecretString::from(url.to_string()))
            .with(API_KEY, SecretString::from(key.to_string()))
    }

    #[test]
    fn office_urls_are_checked_and_normalised() {
        for (given, expected) in [
            ("http://127.0.0.1:2100", "http://127.0.0.1:2100/"),
            ("https://office.be:2100/api/v1/", "https://office.be:2100/"),
            (" https://office.be/prefix/ ", "https://office.be/prefix"),
        ] {
            assert_eq!(
                office_url(&creds(given, "k")).map(|u| u.to_string()).ok().as_deref(),
                Some(expected),
                "{given}"
            );
        }
        for bad in
            ["office.be:2100", "ftp://office.be", "https://u:p@office.be", "https://office.be/?x=1", "mailto:a@b"]
        {
            assert!(matches!(office_url(&creds(bad, "k")), Err(ConnectorError::Unauthorized { .. })), "{bad}");
        }
        let missing = office_url(&Credentials::new());
        assert_eq!(missing.err(), Some(ConnectorError::MissingCredential("office_url".into())));
    }

    #[test]
    fn sessions_need_both_fields_and_the_right_provider() {
        let factory = AdminIsFactory::with_defaults().unwrap_or_else(|e| panic!("{e}"));
        assert!(factory.open_session(&creds("https://office.be:2100", "key")).is_ok());
        let no_key = factory.open_session(&creds("https://office.be:2100", "  "));
        assert_eq!(no_key.err(), Some(ConnectorError::MissingCredential("api_key".into())));
        assert!(matches!(
            factory.open("snelstart", creds("https://office.be", "k")),
            Err(ConnectorError::Rejected { .. })
        ));
        let session = factory.open_session(&creds("https://office.be:2100/api/v1", "key"));
        assert_eq!(session.map(|s| s.office().to_string()).ok().as_deref(), Some("https://office.be:2100"));
    }
}
