//! `FlexmailFactory`: opens a session per connection from its account id and token.

use koppel_core::ports::newsletter::{NewsletterApi, NewsletterFactory};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_core::ports::{Clock, SystemClock};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::time::Duration;

use super::session::FlexmailSession;
use super::wire::Wire;
use super::{DISPLAY_NAME, PROVIDER};
use crate::http::ClientOptions;

/// Production base URL (S FM-1).
pub const DEFAULT_BASE_URL: &str = "https://api.flexmail.eu";
/// The environment variable a caller reads to point the connector elsewhere (sandbox, tests).
pub const BASE_URL_ENV: &str = "FLEXMAIL_API_BASE";
/// The credential field that holds the personal access token.
pub const TOKEN_FIELD: &str = "personal_access_token";

/// Why a factory could not be built from configuration.
#[derive(Debug, thiserror::Error)]
pub enum FactoryError {
    #[error("the Flexmail base URL must be an http(s) URL, got '{0}'")]
    BaseUrl(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

/// How sessions behave on the wire; the defaults are for production.
#[derive(Clone)]
pub struct FlexmailOptions {
    /// Whole-request limit (connect, send, headers and body); a slower answer is `Transport`.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Reads `Retry-After` dates.
    pub clock: Arc<dyn Clock>,
}

impl Default for FlexmailOptions {
    fn default() -> Self {
        let http = ClientOptions::default();
        Self { timeout: http.timeout, connect_timeout: http.connect_timeout, clock: Arc::new(SystemClock) }
    }
}

impl std::fmt::Debug for FlexmailOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlexmailOptions")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

/// Opens Flexmail sessions against one base URL (e.g. `https://api.flexmail.eu`).
#[derive(Clone)]
pub struct FlexmailFactory {
    base_url: Url,
    client: reqwest::Client,
    options: FlexmailOptions,
}

impl std::fmt::Debug for FlexmailFactory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlexmailFactory")
            .field("base_url", &self.base_url.as_str())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl FlexmailFactory {
    /// Default options (30 s timeout, no redirects) against `base_url`.
    pub fn new(base_url: &str) -> Result<Self, FactoryError> {
        Self::with_options(base_url, FlexmailOptions::default())
    }

    /// Production: [`DEFAULT_BASE_URL`] with the default options.
    pub fn with_defaults() -> Result<Self, FactoryError> {
        Self::new(DEFAULT_BASE_URL)
    }

    pub fn with_options(base_url: &str, options: FlexmailOptions) -> Result<Self, FactoryError> {
        let base_url = parse_base(base_url)?;
        let client = crate::http::client(&ClientOptions {
            timeout: options.timeout,
            connect_timeout: options.connect_timeout,
            ..ClientOptions::default()
        })?;
        Ok(Self { base_url, client, options })
    }

    pub fn base_url(&self) -> &str {
        self.base_url.as_str().trim_end_matches('/')
    }

    /// The concrete session (tests and tools); [`NewsletterFactory::open`] boxes it.
    pub fn open_session(&self, account: &str, credentials: &Credentials) -> Result<FlexmailSession, ConnectorError> {
        let account = account_id(account)?;
        let token = credentials
            .get(TOKEN_FIELD)
            .map(|s| s.expose_secret().trim())
            .filter(|s| !s.is_empty())
            .map(|s| SecretString::from(s.to_string()))
            .ok_or_else(|| ConnectorError::MissingCredential(TOKEN_FIELD.to_string()))?;
        let wire = Wire::new(self.client.clone(), self.base_url.clone(), account, token, self.options.clock.clone());
        Ok(FlexmailSession::new(wire))
    }
}

impl NewsletterFactory for FlexmailFactory {
    fn open(
        &self,
        provider: &str,
        account: &str,
        credentials: Credentials,
    ) -> Result<Box<dyn NewsletterApi>, ConnectorError> {
        if provider != PROVIDER {
            // The port has no "unknown provider" variant; this is a wiring mistake, not user input.
            return Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("the Flexmail connector cannot open a '{provider}' connection"),
            });
        }
        Ok(Box::new(self.open_session(account, &credentials)?))
    }
}

/// The account id: digits only (surrounding spaces are dropped). The value is never quoted back:
/// a user may have pasted the token into the wrong field.
fn account_id(account: &str) -> Result<String, ConnectorError> {
    let account = account.trim();
    if account.is_empty() {
        return Err(ConnectorError::MissingCredential("account id".into()));
    }
    if !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ConnectorError::Unauthorized {
            provider: DISPLAY_NAME.into(),
            what: "the account id".into(),
            hint: "The Flexmail account id is a number (digits only); copy it from Flexmail under Settings > API > \
                   Personal access tokens."
                .into(),
        });
    }
    Ok(account.to_string())
}

fn parse_base(value: &str) -> Result<Url, FactoryError> {
    match Url::parse(value.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() && !url.cannot_be_a_base() => Ok(url),
        _ => Err(FactoryError::BaseUrl(value.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            FlexmailFactory::with_defaults().map(|f| f.base_url().to_string()).ok().as_deref(),
            Some(DEFAULT_BASE_URL)
        );
        let with_path = FlexmailFactory::new("http://127.0.0.1:9/flexmail/");
        assert_eq!(with_path.map(|f| f.base_url().to_string()).ok().as_deref(), Some("http://127.0.0.1:9/flexmail"));
        for bad in ["", "api.flexmail.eu", "ftp://api.flexmail.eu", "mailto:x@y"] {
            assert!(matches!(FlexmailFactory::new(bad), Err(FactoryError::BaseUrl(_))), "{bad}");
        }
    }

    #[test]
    fn account_ids_are_digits() {
        assert_eq!(account_id(" 12345 "), Ok("12345".into()));
        assert_eq!(account_id("  "), Err(ConnectorError::MissingCredential("account id".into())));
        for bad in ["12a", "1 2", "-1", "١٢"] {
            assert!(matches!(account_id(bad), Err(ConnectorError::Unauthorized { .. })), "{bad}");
        }
    }
}
