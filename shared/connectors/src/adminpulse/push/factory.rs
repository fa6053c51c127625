//! `AdminPulseMeetings`: opens a meeting session per connection on top of the import side's
//! session (the same bearer choice, budget and errors), with `documents/add`'s own budget.

use koppel_core::domain::catalog::ADMINPULSE;
use koppel_core::ports::meeting::{MeetingApi, MeetingFactory};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use std::time::Duration;

use super::super::assumptions::{BUDGET_MARGIN, DOCUMENTS_PER_MINUTE};
use super::super::budget::CallBudget;
use super::super::factory::{AdminPulseFactory, AdminPulseOptions, FactoryError};
use super::session::AdminPulseMeetingSession;

/// Opens AdminPulse meeting sessions against one base URL (e.g. `https://api.adminpulse.be`).
#[derive(Clone)]
pub struct AdminPulseMeetings {
    sessions: AdminPulseFactory,
    options: AdminPulseOptions,
}

impl std::fmt::Debug for AdminPulseMeetings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminPulseMeetings").field("sessions", &self.sessions).finish_non_exhaustive()
    }
}

impl AdminPulseMeetings {
    /// A pre-built client (timeouts set, redirects off: see [`crate::http::client`]).
    pub fn new(base_url: &str, client: reqwest::Client, options: AdminPulseOptions) -> Result<Self, FactoryError> {
        Ok(Self { sessions: AdminPulseFactory::new(base_url, client, options.clone())?, options })
    }

    /// Production settings against `base_url`: 30 s timeout, no redirects, retries, 480 calls a
    /// minute and 50 `documents/add` calls a minute.
    pub fn with_defaults(base_url: &str) -> Result<Self, FactoryError> {
        Self::with_options(base_url, AdminPulseOptions::default())
    }

    /// Builds the client from `options.http`. `options.calls_per_minute = None` turns both
    /// budgets off (only for a stand-in with its limits off).
    pub fn with_options(base_url: &str, options: AdminPulseOptions) -> Result<Self, FactoryError> {
        Ok(Self { sessions: AdminPulseFactory::with_options(base_url, options.clone())?, options })
    }

    pub fn base_url(&self) -> &str {
        self.sessions.base_url()
    }

    /// The concrete session (tests and tools); [`MeetingFactory::open`] boxes it.
    pub fn open_session(&self, credentials: &Credentials) -> Result<AdminPulseMeetingSession, ConnectorError> {
        let api = self.sessions.open_session(credentials)?;
        let minute = Duration::from_secs(60) + BUDGET_MARGIN;
        let documents = self.options.calls_per_minute.map(|_| CallBudget::new(DOCUMENTS_PER_MINUTE, minute));
        Ok(AdminPulseMeetingSession::new(api, documents, self.options.sleeper.clone(), self.options.clock.clone()))
    }
}

impl MeetingFactory for AdminPulseMeetings {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        if provider != ADMINPULSE {
            // A wiring mistake (the router sent another provider here), not user input.
            return Err(ConnectorError::Rejected {
                provider: provider.to_string(),
                status: 0,
                message: format!("the AdminPulse meeting connector cannot open a '{provider}' connection"),
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
    fn opens_adminpulse_connections_only_with_a_bearer() {
        let Ok(f) = AdminPulseMeetings::with_defaults("http://127.0.0.1:9/") else { panic!("factory") };
        assert_eq!(f.base_url(), "http://127.0.0.1:9");
        let e = f.open("zoho", creds(&[("api_key", "k")])).err();
        assert!(matches!(e, Some(ConnectorError::Rejected { status: 0, .. })), "{e:?}");
        let e = f.open(ADMINPULSE, creds(&[("auth_mode", "api_key")])).err();
        assert_eq!(e, Some(ConnectorError::MissingCredential("api_key".into())));
        let Ok(session) = f.open(ADMINPULSE, creds(&[("api_key", "secret-key-123")])) else { panic!("opens") };
        assert!(session.uses_envelope());
        assert_eq!(session.api_calls(), 0);
        let Ok(concrete) = f.open_session(&creds(&[("access_token", "secret-token-456")])) else { panic!("opens") };
        assert!(!format!("{concrete:?}").contains("secret-token-456"), "no bearer in Debug");
        assert!(matches!(AdminPulseMeetings::with_defaults("nope"), Err(FactoryError::BaseUrl(_))));
    }
}
