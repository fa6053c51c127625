//! `SnelStartFactory`: opens a session per connection from its credentials.

use koppel_core::domain::catalog::{CONNECTION_KEY, SNELSTART, SUBSCRIPTION_KEY};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, SourceFactory, SourceSession};
use koppel_core::ports::{Clock, SystemClock};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

use super::assumptions::MAX_WAIT;
use super::session::SnelStartSession;
use crate::http::{ClientOptions, HttpSeam, RetryPolicy, Sleeper, TokioSleeper};

/// Why a factory could not be built from configuration.
#[derive(Debug, thiserror::Error)]
pub enum FactoryError {
    #[error("{name} must be an http(s) URL, got '{value}'")]
    BaseUrl { name: &'static str, value: String },
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

pub const DEFAULT_API_BASE: &str = "https://b2bapi.snelstart.nl/v2";
pub const DEFAULT_AUTH_BASE: &str = "https://auth.snelstart.nl";

/// How sessions behave; the defaults are for production.
#[derive(Clone)]
pub struct SnelStartOptions {
    pub retry: RetryPolicy,
    pub sleeper: Arc<dyn Sleeper>,
    pub clock: Arc<dyn Clock>,
    /// Whether `probe()` also reads `/companyInfo` for the administration name.
    pub fetch_company_name: bool,
}

impl Default for SnelStartOptions {
    fn default() -> Self {
        Self {
            retry: RetryPolicy { max_wait: MAX_WAIT, ..RetryPolicy::default() },
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
            fetch_company_name: true,
        }
    }
}

impl std::fmt::Debug for SnelStartOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnelStartOptions")
            .field("retry", &self.retry)
            .field("fetch_company_name", &self.fetch_company_name)
            .finish_non_exhaustive()
    }
}

/// Opens SnelStart sessions. `api_base` is e.g. `https://b2bapi.snelstart.nl/v2`,
/// `auth_base` e.g. `https://auth.snelstart.nl` (the token is `POST {auth_base}/b2b/token`).
#[derive(Debug, Clone)]
pub struct SnelStartFactory {
    api_base: String,
    auth_base: String,
    client: reqwest::Client,
    options: SnelStartOptions,
}

impl SnelStartFactory {
    pub fn new(
        api_base: impl Into<String>,
        auth_base: impl Into<String>,
        client: reqwest::Client,
        options: SnelStartOptions,
    ) -> Self {
        let trim = |s: String| s.trim_end_matches('/').to_string();
        Self { api_base: trim(api_base.into()), auth_base: trim(auth_base.into()), client, options }
    }

    /// Production settings: the default client (30 s timeout, no redirects) and options.
    pub fn with_defaults(api_base: &str, auth_base: &str) -> Result<Self, FactoryError> {
        check_url("api_base", api_base)?;
        check_url("auth_base", auth_base)?;
        let client = crate::http::client(&ClientOptions::default())?;
        Ok(Self::new(api_base, auth_base, client, SnelStartOptions::default()))
    }

    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    pub fn auth_base(&self) -> &str {
        &self.auth_base
    }

    /// The concrete session (tests and tools); [`SourceFactory::open`] boxes it.
    pub fn open_session(&self, credentials: &Credentials) -> Result<SnelStartSession, ConnectorError> {
        let subscription_key = required(credentials, SUBSCRIPTION_KEY)?;
        let connection_key = required(credentials, CONNECTION_KEY)?;
        let seam = HttpSeam::new(
            self.client.clone(),
            self.options.retry,
            self.options.sleeper.clone(),
            self.options.clock.clone(),
        );
        SnelStartSession::new(
            seam,
            self.api_base.clone(),
            self.auth_base.clone(),
            subscription_key,
            connection_key,
            self.options.fetch_company_name,
        )
    }
}

impl SourceFactory for SnelStartFactory {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn SourceSession>, ConnectorError> {
        if provider != SNELSTART {
            // The port has no "unknown provider" variant; this is a wiring mistake, not user input.
            return Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("the SnelStart connector cannot open a '{provider}' connection"),
            });
        }
        Ok(Box::new(self.open_session(&credentials)?))
    }
}

fn check_url(name: &'static str, value: &str) -> Result<(), FactoryError> {
    match reqwest::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(()),
        _ => Err(FactoryError::BaseUrl { name, value: value.to_string() }),
    }
}

/// A credential field, trimmed; absent or blank → `MissingCredential(field name)`.
fn required(credentials: &Credentials, field: &str) -> Result<SecretString, ConnectorError> {
    credentials
        .get(field)
        .map(|s| s.expose_secret().trim())
        .filter(|s| !s.is_empty())
        .map(|s| SecretString::from(s.to_string()))
        .ok_or_else(|| ConnectorError::MissingCredential(field.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_defaults_checks_the_base_urls() {
        let ok = SnelStartFactory::with_defaults(DEFAULT_API_BASE, "https://auth.snelstart.nl/");
        assert_eq!(
            ok.as_ref().map(|f| (f.api_base(), f.auth_base())).ok(),
            Some((DEFAULT_API_BASE, DEFAULT_AUTH_BASE))
        );
        for (api, auth) in [("b2bapi.snelstart.nl/v2", DEFAULT_AUTH_BASE), (DEFAULT_API_BASE, "ftp://auth"), ("", "")] {
            let err = SnelStartFactory::with_defaults(api, auth).err();
            assert!(matches!(err, Some(FactoryError::BaseUrl { .. })), "{api} {auth}");
        }
    }
}
