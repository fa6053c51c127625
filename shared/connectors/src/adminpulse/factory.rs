//! `AdminPulseFactory`: opens a session per connection from its bearer (an OAuth access token or
//! a user-made API key).

use koppel_core::domain::catalog::{ACCESS_TOKEN_FIELD, ADMINPULSE, API_KEY, AUTH_MODE, REFRESH_TOKEN_FIELD};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, SourceFactory, SourceSession};
use koppel_core::ports::{Clock, SystemClock};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

use super::assumptions::{CALLS_PER_MINUTE, MAX_PAGE_SIZE, MAX_WAIT};
use super::errors::Bearer;
use super::session::{AdminPulseSession, SessionSecrets};
use crate::http::{ClientOptions, HttpSeam, RetryPolicy, Sleeper, TokioSleeper};

/// Production base URL [C AP-1].
pub const DEFAULT_BASE_URL: &str = "https://api.adminpulse.be";
/// The environment variable a caller reads to point the connector elsewhere (stand-in, tests).
pub const BASE_URL_ENV: &str = "ADMINPULSE_API_BASE";

/// Why a factory could not be built from configuration.
#[derive(Debug, thiserror::Error)]
pub enum FactoryError {
    #[error("the AdminPulse base URL must be an http(s) URL, got '{0}'")]
    BaseUrl(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

/// How sessions behave; the defaults are for production.
#[derive(Clone)]
pub struct AdminPulseOptions {
    /// Timeouts and user agent of the client `with_options` builds.
    pub http: ClientOptions,
    pub retry: RetryPolicy,
    /// Waits of the retries and of the call budget.
    pub sleeper: Arc<dyn Sleeper>,
    /// Reads `Retry-After` dates and places calls in the budget's rolling minute.
    pub clock: Arc<dyn Clock>,
    /// Relations per call: at most [`MAX_PAGE_SIZE`] (larger values are lowered to it), at least 1.
    pub page_size: u32,
    /// Calls per rolling minute the session keeps to; `None` counts nothing (only for a stand-in
    /// with its limit off).
    pub calls_per_minute: Option<u32>,
}

impl Default for AdminPulseOptions {
    fn default() -> Self {
        Self {
            http: ClientOptions::default(),
            retry: RetryPolicy { max_wait: MAX_WAIT, ..RetryPolicy::default() },
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
            page_size: MAX_PAGE_SIZE,
            calls_per_minute: Some(CALLS_PER_MINUTE),
        }
    }
}

impl std::fmt::Debug for AdminPulseOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminPulseOptions")
            .field("http", &self.http)
            .field("retry", &self.retry)
            .field("page_size", &self.page_size)
            .field("calls_per_minute", &self.calls_per_minute)
            .finish_non_exhaustive()
    }
}

/// Opens AdminPulse sessions against one base URL (e.g. `https://api.adminpulse.be`).
#[derive(Clone)]
pub struct AdminPulseFactory {
    base_url: String,
    client: reqwest::Client,
    options: AdminPulseOptions,
}

impl std::fmt::Debug for AdminPulseFactory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminPulseFactory")
            .field("base_url", &self.base_url)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl AdminPulseFactory {
    /// A pre-built client (timeouts set, redirects off: see [`crate::http::client`]).
    pub fn new(base_url: &str, client: reqwest::Client, options: AdminPulseOptions) -> Result<Self, FactoryError> {
        Ok(Self { base_url: parse_base(base_url)?, client, options })
    }

    /// Production settings against `base_url`: the default client (30 s timeout, no redirects),
    /// retries, 400 relations a page and 480 calls a minute.
    pub fn with_defaults(base_url: &str) -> Result<Self, FactoryError> {
        Self::with_options(base_url, AdminPulseOptions::default())
    }

    /// Builds the client from `options.http`.
    pub fn with_options(base_url: &str, options: AdminPulseOptions) -> Result<Self, FactoryError> {
        let client = crate::http::client(&options.http)?;
        Self::new(base_url, client, options)
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The concrete session (tests and tools); [`SourceFactory::open`] boxes it.
    pub fn open_session(&self, credentials: &Credentials) -> Result<AdminPulseSession, ConnectorError> {
        let (bearer, kind) = bearer(credentials)?;
        // Every secret of the connection is scrubbed from quoted answers, not only the one sent.
        let scrub = [ACCESS_TOKEN_FIELD, API_KEY, REFRESH_TOKEN_FIELD]
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
        AdminPulseSession::new(
            seam,
            self.base_url.clone(),
            SessionSecrets { bearer, kind, scrub },
            self.options.sleeper.clone(),
            self.options.page_size.clamp(1, MAX_PAGE_SIZE),
            self.options.calls_per_minute,
        )
    }
}

impl SourceFactory for AdminPulseFactory {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn SourceSession>, ConnectorError> {
        if provider != ADMINPULSE {
            // The port has no "unknown provider" variant; this is a wiring mistake, not user input.
            return Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("the AdminPulse connector cannot open a '{provider}' connection"),
            });
        }
        Ok(Box::new(self.open_session(&credentials)?))
    }
}

/// The bearer to send: the OAuth `access_token` when the connection has one, else the `api_key`.
/// Neither → `MissingCredential`, naming what the connection's sign-in needs.
pub fn bearer(credentials: &Credentials) -> Result<(SecretString, Bearer), ConnectorError> {
    let field = |name: &str| {
        credentials
            .get(name)
            .map(|s| s.expose_secret().trim())
            .filter(|s| !s.is_empty())
            .map(|s| SecretString::from(s.to_string()))
    };
    if let Some(token) = field(ACCESS_TOKEN_FIELD) {
        return Ok((token, Bearer::AccessToken));
    }
    if let Some(key) = field(API_KEY) {
        return Ok((key, Bearer::ApiKey));
    }
    let api_key_mode = credentials.get(AUTH_MODE).is_some_and(|m| m.expose_secret().trim() == API_KEY);
    Err(ConnectorError::MissingCredential(if api_key_mode {
        API_KEY.to_string()
    } else {
        "AdminPulse sign-in (access token): sign in with AdminPulse".to_string()
    }))
}

fn parse_base(value: &str) -> Result<String, FactoryError> {
    match Url::parse(value.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() && !url.cannot_be_a_base() => {
            Ok(url.as_str().trim_end_matches('/').to_string())
        }
        _ => Err(FactoryError::BaseUrl(value.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(fields: &[(&str, &str)]) -> Credentials {
        fields.iter().fold(Credentials::new(), |c, (k, v)| c.with(k, SecretString::from(v.to_string())))
    }

    #[test]
    fn base_urls_are_checked() {
        let ok = AdminPulseFactory::with_defaults(DEFAULT_BASE_URL);
        assert_eq!(ok.map(|f| f.base_url().to_string()).ok().as_deref(), Some(DEFAULT_BASE_URL));
        let with_slash = AdminPulseFactory::with_defaults("http://127.0.0.1:9/ap/");
        assert_eq!(with_slash.map(|f| f.base_url().to_string()).ok().as_deref(), Some("http://127.0.0.1:9/ap"));
        for bad in ["", "api.adminpulse.be", "ftp://api.adminpulse.be", "mailto:x@y"] {
            assert!(matches!(AdminPulseFactory::with_defaults(bad), Err(FactoryError::BaseUrl(_))), "{bad}");
        }
    }

    #[test]
    fn the_access_token_wins_over_the_api_key() {
        let both = bearer(&creds(&[("access_token", " tok "), ("api_key", "key")]));
        assert_eq!(
            both.map(|(b, k)| (b.expose_secret().to_string(), k)).ok(),
            Some(("tok".into(), Bearer::AccessToken))
        );
        let key_only = bearer(&creds(&[("access_token", "  "), ("api_key", "key"), ("auth_mode", "api_key")]));
        assert_eq!(
            key_only.map(|(b, k)| (b.expose_secret().to_string(), k)).ok(),
            Some(("key".into(), Bearer::ApiKey))
        );
    }

    #[test]
    fn a_missing_bearer_names_what_the_sign_in_needs() {
        let e = bearer(&creds(&[("auth_mode", "api_key")])).err();
        assert_eq!(e, Some(ConnectorError::MissingCredential("api_key".into())));
        let e = bearer(&creds(&[("auth_mode", "oauth"), ("api_key", "")])).err();
        assert!(matches!(e, Some(ConnectorError::MissingCredential(m)) if m.contains("sign in with AdminPulse")));
    }

    #[test]
    fn other_providers_are_a_wiring_mistake() {
        let Ok(f) = AdminPulseFactory::with_defaults(DEFAULT_BASE_URL) else { panic!("factory") };
        let e = f.open("snelstart", creds(&[("api_key", "k")])).err();
        assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })));
        assert!(f.open(ADMINPULSE, creds(&[("api_key", "k")])).is_ok());
    }
}
