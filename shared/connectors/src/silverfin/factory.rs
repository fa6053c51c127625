//! `SilverfinMeetings`: opens a session per connection from its OAuth access token and the firm
//! the user authorized (`firm_id`, from the callback's `authorized_firm_id`).

use koppel_core::domain::catalog::{ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD};
use koppel_core::domain::catalog_push::{FIRM_ID, SILVERFIN};
use koppel_core::ports::meeting::{MeetingApi, MeetingFactory};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_core::ports::{Clock, SystemClock};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

use super::assumptions::{MAX_PER_PAGE, MAX_WAIT, SEARCH_PAGES};
use super::errors;
use super::session::{SessionParts, SilverfinSession, safe_id};
use crate::http::{ClientOptions, HttpSeam, RetryPolicy, Sleeper, TokioSleeper};

/// Production host [C: silverfin-cli's default host].
pub const DEFAULT_BASE_URL: &str = "https://live.getsilverfin.com";
/// The environment variable a caller reads to point the connector elsewhere (stand-in, tests).
pub const BASE_URL_ENV: &str = "SILVERFIN_API_BASE";

/// Why a factory could not be built from configuration.
#[derive(Debug, thiserror::Error)]
pub enum FactoryError {
    #[error("the Silverfin base URL must be an http(s) URL, got '{0}'")]
    BaseUrl(String),
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

/// How sessions behave; the defaults are for production.
#[derive(Clone)]
pub struct SilverfinOptions {
    /// Timeouts and user agent of the client `with_options` builds.
    pub http: ClientOptions,
    /// Reads retry 429 (with `Retry-After`), 5xx and timeouts; writes only 429.
    pub retry: RetryPolicy,
    pub sleeper: Arc<dyn Sleeper>,
    /// Reads `Retry-After` dates.
    pub clock: Arc<dyn Clock>,
    /// Rows per list call: at most [`MAX_PER_PAGE`] (larger values are lowered to it), at least 1.
    pub page_size: u32,
    /// Silverfin pages a target search reads at most.
    pub search_pages: u32,
}

impl Default for SilverfinOptions {
    fn default() -> Self {
        Self {
            http: ClientOptions::default(),
            retry: RetryPolicy { max_wait: MAX_WAIT, ..RetryPolicy::default() },
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
            page_size: MAX_PER_PAGE,
            search_pages: SEARCH_PAGES,
        }
    }
}

impl std::fmt::Debug for SilverfinOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SilverfinOptions")
            .field("http", &self.http)
            .field("retry", &self.retry)
            .field("page_size", &self.page_size)
            .field("search_pages", &self.search_pages)
            .finish_non_exhaustive()
    }
}

/// Opens Silverfin meeting sessions against one host (e.g. `https://live.getsilverfin.com`).
#[derive(Clone)]
pub struct SilverfinMeetings {
    base_url: String,
    client: reqwest::Client,
    options: SilverfinOptions,
}

impl std::fmt::Debug for SilverfinMeetings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SilverfinMeetings")
            .field("base_url", &self.base_url)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl SilverfinMeetings {
    /// A pre-built client (timeouts set, redirects off: see [`crate::http::client`]).
    pub fn new(base_url: &str, client: reqwest::Client, options: SilverfinOptions) -> Result<Self, FactoryError> {
        Ok(Self { base_url: parse_base(base_url)?, client, options })
    }

    /// Production settings against `base_url`: the default client (30 s timeout, no redirects),
    /// retries, pages of 200.
    pub fn with_defaults(base_url: &str) -> Result<Self, FactoryError> {
        Self::with_options(base_url, SilverfinOptions::default())
    }

    /// Builds the client from `options.http`.
    pub fn with_options(base_url: &str, options: SilverfinOptions) -> Result<Self, FactoryError> {
        let client = crate::http::client(&options.http)?;
        Self::new(base_url, client, options)
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The concrete session (tests and tools); [`MeetingFactory::open`] boxes it.
    pub fn open_session(&self, credentials: &Credentials) -> Result<SilverfinSession, ConnectorError> {
        let field =
            |name: &str| credentials.get(name).map(|s| s.expose_secret().trim().to_string()).filter(|s| !s.is_empty());
        let token = field(ACCESS_TOKEN_FIELD).ok_or_else(|| {
            ConnectorError::MissingCredential("Silverfin sign-in (access token): connect Silverfin again".into())
        })?;
        let firm_id = field(FIRM_ID).ok_or_else(|| {
            ConnectorError::MissingCredential(format!(
                "Silverfin firm id ({FIRM_ID}, set by the Silverfin sign-in): connect Silverfin again"
            ))
        })?;
        if !safe_id(&firm_id) {
            return Err(errors::refused(
                "the connection's Silverfin firm id is not a plain id; connect Silverfin again",
            ));
        }
        let scrub = [REFRESH_TOKEN_FIELD].iter().filter_map(|f| field(f)).map(SecretString::from).collect();
        let seam = HttpSeam::new(
            self.client.clone(),
            self.options.retry,
            self.options.sleeper.clone(),
            self.options.clock.clone(),
        );
        SilverfinSession::new(SessionParts {
            seam,
            base_url: self.base_url.clone(),
            firm_id,
            token: SecretString::from(token),
            scrub,
            page_size: self.options.page_size.clamp(1, MAX_PER_PAGE),
            search_pages: self.options.search_pages.max(1),
        })
    }
}

impl MeetingFactory for SilverfinMeetings {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        if provider != SILVERFIN {
            // A wiring mistake, not user input.
            return Err(errors::refused(format!("the Silverfin connector cannot open a '{provider}' connection")));
        }
        Ok(Box::new(self.open_session(&credentials)?))
    }
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

    fn factory() -> SilverfinMeetings {
        match SilverfinMeetings::with_defaults(DEFAULT_BASE_URL) {
            Ok(f) => f,
            Err(e) => panic!("factory: {e}"),
        }
    }

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(factory().base_url(), DEFAULT_BASE_URL);
        let slash = SilverfinMeetings::with_defaults("http://127.0.0.1:9/sf/").map(|f| f.base_url().to_string());
        assert_eq!(slash.ok().as_deref(), Some("http://127.0.0.1:9/sf"));
        for bad in ["", "live.getsilverfin.com", "ftp://x.y", "mailto:a@b"] {
            assert!(matches!(SilverfinMeetings::with_defaults(bad), Err(FactoryError::BaseUrl(_))), "{bad}");
        }
    }

    #[test]
    fn a_session_needs_the_token_and_a_plain_firm_id() {
        let f = factory();
        let e = f.open_session(&creds(&[("firm_id", "12")])).err();
        assert!(matches!(e, Some(ConnectorError::MissingCredential(m)) if m.contains("access token")));
        let e = f.open_session(&creds(&[("access_token", "t"), ("firm_id", " ")])).err();
        assert!(matches!(e, Some(ConnectorError::MissingCredential(m)) if m.contains("firm_id")));
        let e = f.open_session(&creds(&[("access_token", "t"), ("firm_id", "12/../3")])).err();
        assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })));
        let ok = f.open_session(&creds(&[("access_token", " tok "), ("firm_id", " 12 ")]));
        assert_eq!(ok.map(|s| s.firm_id().to_string()).ok().as_deref(), Some("12"));
    }

    #[test]
    fn other_providers_are_a_wiring_mistake_and_debug_shows_no_token() {
        let f = factory();
        let c = creds(&[("access_token", "secret-token-value"), ("firm_id", "12")]);
        assert!(matches!(f.open("zoho", c.clone()).err(), Some(ConnectorError::Rejected { status: 0, .. })));
        let session = f.open_session(&c);
        let shown = format!("{session:?}");
        assert!(shown.contains("/api/v4/f/12") && !shown.contains("secret-token-value"), "{shown}");
    }
}
