//! `ZohoMeetings`: opens a Zoho session per connection from its OAuth access token and the
//! `api_domain` of its data centre (both from the token answer), plus the optional WorkDrive folder.

use koppel_core::domain::catalog::{ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD};
use koppel_core::domain::catalog_push::{API_DOMAIN, WORKDRIVE_FOLDER, ZOHO};
use koppel_core::ports::meeting::{MeetingApi, MeetingFactory};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_core::ports::{Clock, SystemClock};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

use super::DISPLAY_NAME;
use super::assumptions::{API_DOMAIN_LABEL, MAX_WAIT};
use super::session::{SessionSetup, ZohoSession};
use crate::http::{ClientOptions, HttpSeam, RetryPolicy, Sleeper, TokioSleeper};

/// Why a factory could not be built.
#[derive(Debug, thiserror::Error)]
pub enum FactoryError {
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

/// How sessions behave; the defaults are for production.
#[derive(Clone)]
pub struct ZohoOptions {
    /// Timeouts and user agent of the client `with_options` builds.
    pub http: ClientOptions,
    pub retry: RetryPolicy,
    pub sleeper: Arc<dyn Sleeper>,
    /// Reads `Retry-After` dates.
    pub clock: Arc<dyn Clock>,
    /// `false` (production): a connection's `api_domain` must be an https `zohoapis` host.
    /// `true`: any http(s) address (the local stand-in, tests).
    pub allow_any_api_domain: bool,
}

impl Default for ZohoOptions {
    fn default() -> Self {
        Self {
            http: ClientOptions::default(),
            retry: RetryPolicy { max_wait: MAX_WAIT, ..RetryPolicy::default() },
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
            allow_any_api_domain: false,
        }
    }
}

impl std::fmt::Debug for ZohoOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZohoOptions")
            .field("http", &self.http)
            .field("retry", &self.retry)
            .field("allow_any_api_domain", &self.allow_any_api_domain)
            .finish_non_exhaustive()
    }
}

/// The `MeetingFactory` for provider `"zoho"`. The host of each session is the connection's own
/// `api_domain`, so the factory has no base URL.
#[derive(Clone)]
pub struct ZohoMeetings {
    client: reqwest::Client,
    options: ZohoOptions,
}

impl std::fmt::Debug for ZohoMeetings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZohoMeetings").field("options", &self.options).finish_non_exhaustive()
    }
}

impl ZohoMeetings {
    /// A pre-built client (timeouts set, redirects off: see [`crate::http::client`]).
    pub fn new(client: reqwest::Client, options: ZohoOptions) -> Self {
        Self { client, options }
    }

    /// Production settings: the default client (30 s timeout, no redirects), retries of 429 /
    /// reads, Zoho API domains only.
    pub fn with_defaults() -> Result<Self, FactoryError> {
        Self::with_options(ZohoOptions::default())
    }

    /// Builds the client from `options.http`.
    pub fn with_options(options: ZohoOptions) -> Result<Self, FactoryError> {
        let client = crate::http::client(&options.http)?;
        Ok(Self::new(client, options))
    }

    /// The concrete session (tests and tools); [`MeetingFactory::open`] boxes it.
    pub fn open_session(&self, credentials: &Credentials) -> Result<ZohoSession, ConnectorError> {
        let field =
            |name: &str| credentials.get(name).map(|s| s.expose_secret().trim().to_string()).filter(|s| !s.is_empty());
        let token = field(ACCESS_TOKEN_FIELD).ok_or_else(|| {
            ConnectorError::MissingCredential("Zoho sign-in (access token): sign in with Zoho".into())
        })?;
        let domain = field(API_DOMAIN).ok_or_else(|| {
            ConnectorError::MissingCredential(format!("{API_DOMAIN} (Zoho's data centre): sign in with Zoho again"))
        })?;
        let api = api_domain(&domain, self.options.allow_any_api_domain)?;
        let scrub =
            [ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD].iter().filter_map(|f| field(f)).map(SecretString::from).collect();
        let seam = HttpSeam::new(
            self.client.clone(),
            self.options.retry,
            self.options.sleeper.clone(),
            self.options.clock.clone(),
        );
        ZohoSession::new(SessionSetup {
            seam,
            api,
            token: SecretString::from(token),
            scrub,
            workdrive_folder: field(WORKDRIVE_FOLDER),
        })
    }
}

impl MeetingFactory for ZohoMeetings {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        if provider != ZOHO {
            // A wiring mistake, not user input.
            return Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("the Zoho connector cannot open a '{provider}' connection"),
            });
        }
        Ok(Box::new(self.open_session(&credentials)?))
    }
}

/// The connection's `api_domain` as a base URL without a trailing `/`, checked: production takes
/// only `https://…zohoapis.{tld}` (see [`API_DOMAIN_LABEL`]).
pub fn api_domain(value: &str, allow_any: bool) -> Result<String, ConnectorError> {
    let refuse = || ConnectorError::Rejected {
        provider: DISPLAY_NAME.into(),
        status: 0,
        message: format!(
            "the connection's Zoho API domain '{value}' is not a Zoho API address (like https://www.zohoapis.eu); \
             sign in with Zoho again"
        ),
    };
    let url = Url::parse(value.trim()).map_err(|_| refuse())?;
    let plain = url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
        && matches!(url.path(), "" | "/");
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let ok = plain
        && !host.is_empty()
        && if allow_any {
            matches!(url.scheme(), "http" | "https")
        } else {
            url.scheme() == "https" && zoho_host(&host)
        };
    if !ok {
        return Err(refuse());
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// `zohoapis.{tld}` or `{sub}.zohoapis.{tld}`, the tld one or two labels of letters.
fn zoho_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let Some(at) = labels.iter().position(|l| *l == API_DOMAIN_LABEL) else {
        return false;
    };
    let tld = &labels[at + 1..];
    (1..=2).contains(&tld.len()) && tld.iter().all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(fields: &[(&str, &str)]) -> Credentials {
        fields.iter().fold(Credentials::new(), |c, (k, v)| c.with(k, SecretString::from(v.to_string())))
    }

    #[test]
    fn api_domains_must_be_zoho_in_production() {
        for good in [
            "https://www.zohoapis.eu",
            "https://www.zohoapis.com.au/",
            "https://zohoapis.com",
            "https://www.zohoapis.sa",
        ] {
            assert!(api_domain(good, false).is_ok(), "{good}");
        }
        assert_eq!(api_domain("https://www.zohoapis.eu/", false).ok().as_deref(), Some("https://www.zohoapis.eu"));
        for bad in [
            "http://www.zohoapis.eu",
            "https://www.zohoapis.eu.evil.example",
            "https://evil.example/?x=www.zohoapis.eu",
            "https://zohoapis.eu.com.xx",
            "https://user@www.zohoapis.eu",
            "https://www.zohoapis.eu/crm",
            "https://127.0.0.1:9",
            "www.zohoapis.eu",
            "",
        ] {
            assert!(api_domain(bad, false).is_err(), "{bad}");
        }
        assert_eq!(api_domain("http://127.0.0.1:9/", true).ok().as_deref(), Some("http://127.0.0.1:9"));
        assert!(api_domain("ftp://127.0.0.1", true).is_err());
    }

    #[test]
    fn missing_fields_say_what_to_do() {
        let Ok(f) = ZohoMeetings::with_defaults() else { panic!("factory") };
        let e = f.open_session(&creds(&[("api_domain", "https://www.zohoapis.eu")])).err();
        assert!(matches!(e, Some(ConnectorError::MissingCredential(m)) if m.contains("sign in with Zoho")));
        let e = f.open_session(&creds(&[("access_token", "t0k3n")])).err();
        assert!(matches!(e, Some(ConnectorError::MissingCredential(m)) if m.starts_with("api_domain")));
        let e = f.open_session(&creds(&[("access_token", "t0k3n"), ("api_domain", "https://evil.example")])).err();
        assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })));
        let ok = f.open_session(&creds(&[("access_token", "t0k3n"), ("api_domain", "https://www.zohoapis.eu")]));
        assert!(ok.is_ok());
    }

    #[test]
    fn other_providers_are_a_wiring_mistake() {
        let Ok(f) = ZohoMeetings::with_defaults() else { panic!("factory") };
        let fields = [("access_token", "t0k3n"), ("api_domain", "https://www.zohoapis.com")];
        assert!(matches!(f.open("odoo", creds(&fields)).err(), Some(ConnectorError::Rejected { status: 0, .. })));
        assert!(f.open(ZOHO, creds(&fields)).is_ok());
    }
}
