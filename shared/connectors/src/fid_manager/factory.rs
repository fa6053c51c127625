//! `FidManagerMeetings`: opens a meeting session per connection. Each office has its own address
//! (`office_url`, a non-secret setting merged into the credentials), so the factory has no base
//! URL of its own.

use koppel_core::domain::catalog::OFFICE_URL;
use koppel_core::domain::catalog_push::{FID_MANAGER, PARTNER_CODE, PASSWORD, USERNAME};
use koppel_core::ports::meeting::{MeetingApi, MeetingFactory};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use koppel_core::ports::{Clock, SystemClock};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

use super::DISPLAY_NAME;
use super::assumptions::MAX_WAIT;
use super::session::FidManagerSession;
use super::transport::Transport;
use super::wire::SignIn;
use crate::http::{ClientOptions, HttpSeam, RetryPolicy, Sleeper, TokioSleeper};

/// Why a factory could not be built.
#[derive(Debug, thiserror::Error)]
pub enum FactoryError {
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

/// How sessions behave; the defaults are for production.
#[derive(Clone)]
pub struct FidManagerOptions {
    /// Timeouts and user agent of the client.
    pub http: ClientOptions,
    pub retry: RetryPolicy,
    /// Waits between retries.
    pub sleeper: Arc<dyn Sleeper>,
    /// Token lifetimes and `Retry-After` dates.
    pub clock: Arc<dyn Clock>,
}

impl Default for FidManagerOptions {
    fn default() -> Self {
        Self {
            http: ClientOptions::default(),
            retry: RetryPolicy { max_wait: MAX_WAIT, ..RetryPolicy::default() },
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
        }
    }
}

impl std::fmt::Debug for FidManagerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FidManagerOptions")
            .field("http", &self.http)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Opens Fid-Manager meeting sessions (provider `"fid_manager"`).
#[derive(Clone)]
pub struct FidManagerMeetings {
    client: reqwest::Client,
    options: FidManagerOptions,
}

impl std::fmt::Debug for FidManagerMeetings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FidManagerMeetings").field("options", &self.options).finish_non_exhaustive()
    }
}

impl FidManagerMeetings {
    /// Production settings: 30 s timeout, redirects off (a redirect would carry the session token
    /// somewhere Koppel did not choose), retries for reads and 429s.
    pub fn with_defaults() -> Result<Self, FactoryError> {
        Self::with_options(FidManagerOptions::default())
    }

    /// Builds the client from `options.http`.
    pub fn with_options(options: FidManagerOptions) -> Result<Self, FactoryError> {
        let client = crate::http::client(&options.http)?;
        Ok(Self { client, options })
    }

    /// The concrete session (tests and tools); [`MeetingFactory::open`] boxes it.
    pub fn open_session(&self, credentials: &Credentials) -> Result<FidManagerSession, ConnectorError> {
        let office = office_url(credentials)?;
        let sign_in = SignIn {
            username: field(credentials, USERNAME)?.expose_secret().to_string(),
            password: field(credentials, PASSWORD)?,
            partner_code: field(credentials, PARTNER_CODE)?,
        };
        let seam = HttpSeam::new(
            self.client.clone(),
            self.options.retry,
            self.options.sleeper.clone(),
            self.options.clock.clone(),
        );
        Ok(FidManagerSession { transport: Transport::new(seam, office, sign_in) })
    }
}

impl MeetingFactory for FidManagerMeetings {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        if provider != FID_MANAGER {
            // A wiring mistake, not user input.
            return Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("the Fid-Manager connector cannot open a '{provider}' connection"),
            });
        }
        Ok(Box::new(self.open_session(&credentials)?))
    }
}

fn field(credentials: &Credentials, name: &str) -> Result<SecretString, ConnectorError> {
    credentials
        .get(name)
        .map(|s| s.expose_secret().trim())
        .filter(|s| !s.is_empty())
        .map(|s| SecretString::from(s.to_string()))
        .ok_or_else(|| ConnectorError::MissingCredential(name.to_string()))
}

/// The office's address: `https://…` (plain `http://` only to 127.0.0.1, for the stand-in), a
/// host, no user, password or query; a trailing `/` or `/api/v1` is dropped.
pub fn office_url(credentials: &Credentials) -> Result<Url, ConnectorError> {
    let raw = field(credentials, OFFICE_URL)?;
    let refused = || ConnectorError::Unauthorized {
        provider: DISPLAY_NAME.into(),
        what: "the Fid-Manager address".into(),
        hint: "Edit the connection: the address looks like https://kantoor.fid-manager.be (your office's own \
               Fid-Manager address, with https)."
            .into(),
    };
    let mut url = Url::parse(raw.expose_secret()).map_err(|_| refused())?;
    let local = url.host_str() == Some("127.0.0.1");
    let fine = (url.scheme() == "https" || (url.scheme() == "http" && local))
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

    fn creds(fields: &[(&str, &str)]) -> Credentials {
        fields.iter().fold(Credentials::new(), |c, (k, v)| c.with(k, SecretString::from(v.to_string())))
    }

    fn full(url: &str) -> Credentials {
        creds(&[(OFFICE_URL, url), (USERNAME, "api"), (PASSWORD, "pw"), (PARTNER_CODE, "PC-1")])
    }

    #[test]
    fn office_addresses() {
        let ok = |u: &str| office_url(&full(u)).map(|u| u.to_string()).ok();
        assert_eq!(ok("https://kantoor.fid-manager.be").as_deref(), Some("https://kantoor.fid-manager.be/"));
        assert_eq!(ok(" https://kantoor.fid-manager.be/api/v1/ ").as_deref(), Some("https://kantoor.fid-manager.be/"));
        assert_eq!(ok("http://127.0.0.1:9404").as_deref(), Some("http://127.0.0.1:9404/"));
        for bad in [
            "http://kantoor.fid-manager.be",
            "kantoor.fid-manager.be",
            "ftp://kantoor.fid-manager.be",
            "https://user:pw@kantoor.fid-manager.be",
            "https://kantoor.fid-manager.be/?x=1",
            "http://localhost:9404",
        ] {
            assert!(matches!(office_url(&full(bad)), Err(ConnectorError::Unauthorized { .. })), "{bad}");
        }
        let e = office_url(&creds(&[])).err();
        assert_eq!(e, Some(ConnectorError::MissingCredential(OFFICE_URL.into())));
    }

    #[test]
    fn every_sign_in_field_is_required() {
        let Ok(f) = FidManagerMeetings::with_defaults() else { panic!("factory") };
        assert!(f.open_session(&full("https://kantoor.fid-manager.be")).is_ok());
        for missing in [USERNAME, PASSWORD, PARTNER_CODE] {
            let fields: Vec<(&str, &str)> =
                [(OFFICE_URL, "https://k.fid-manager.be"), (USERNAME, "u"), (PASSWORD, "p"), (PARTNER_CODE, "c")]
                    .into_iter()
                    .map(|(k, v)| (k, if k == missing { " " } else { v }))
                    .collect();
            let e = f.open_session(&creds(&fields)).err();
            assert_eq!(e, Some(ConnectorError::MissingCredential(missing.into())), "{missing}");
        }
    }

    #[test]
    fn other_providers_are_a_wiring_mistake() {
        let Ok(f) = FidManagerMeetings::with_defaults() else { panic!("factory") };
        let e = f.open("odoo", full("https://kantoor.fid-manager.be")).err();
        assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })));
        assert!(f.open(FID_MANAGER, full("https://kantoor.fid-manager.be")).is_ok());
    }
}
