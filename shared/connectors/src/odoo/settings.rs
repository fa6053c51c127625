//! A connection's Odoo settings, read from its credentials: the server address (non-secret
//! setting), the database and the API key. The lead's setup checks the address before it is
//! stored; this reads it again so a session never calls an address it should not.

use koppel_core::domain::catalog::API_KEY;
use koppel_core::domain::catalog_push::{DATABASE, SERVER_URL};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::ConnectorError;
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use super::DISPLAY_NAME;

/// What a session needs. `Debug` shows no key.
pub struct OdooSettings {
    /// `https://firm.odoo.com` (no trailing `/`; a path is kept for Odoo behind a proxy).
    pub server_url: String,
    pub database: String,
    pub api_key: SecretString,
}

impl std::fmt::Debug for OdooSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OdooSettings")
            .field("server_url", &self.server_url)
            .field("database", &self.database)
            .finish_non_exhaustive()
    }
}

impl OdooSettings {
    pub fn from_credentials(credentials: &Credentials) -> Result<Self, ConnectorError> {
        let field =
            |name: &str| credentials.get(name).map(|s| s.expose_secret().trim().to_string()).filter(|s| !s.is_empty());
        let url = field(SERVER_URL).ok_or_else(|| ConnectorError::MissingCredential(SERVER_URL.into()))?;
        let server_url = server_url(&url)?;
        let database = field(DATABASE).ok_or_else(|| ConnectorError::MissingCredential(DATABASE.into()))?;
        if database.chars().any(|c| c.is_control()) {
            return Err(refused(format!(
                "the database name {database:?} contains a line break or another control character"
            )));
        }
        let api_key = field(API_KEY).ok_or_else(|| ConnectorError::MissingCredential(API_KEY.into()))?;
        Ok(Self { server_url, database, api_key: SecretString::from(api_key) })
    }
}

/// `https://…`, or `http://127.0.0.1…` (a local stand-in); no user, password, query or fragment.
/// The result has no trailing `/`.
pub fn server_url(value: &str) -> Result<String, ConnectorError> {
    let shown = value.trim();
    let url = Url::parse(shown).map_err(|_| refused(format!("the Odoo address {shown:?} is not a web address")))?;
    let local = url.host_str() == Some("127.0.0.1");
    match url.scheme() {
        "https" => {}
        "http" if local => {}
        scheme => {
            return Err(refused(format!(
                "the Odoo address must start with https:// (it starts with {scheme}://): Koppel sends the API key to it"
            )));
        }
    }
    if !url.has_host() || !url.username().is_empty() || url.password().is_some() {
        return Err(refused(format!("the Odoo address {shown:?} needs a host name and no user name or password")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refused(format!("the Odoo address {shown:?} may not have a ?query or #fragment")));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn refused(message: String) -> ConnectorError {
    ConnectorError::Rejected { provider: DISPLAY_NAME.into(), status: 0, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(fields: &[(&str, &str)]) -> Credentials {
        fields.iter().fold(Credentials::new(), |c, (k, v)| c.with(k, SecretString::from(v.to_string())))
    }

    #[test]
    fn addresses_are_checked() {
        assert_eq!(server_url(" https://firm.odoo.com/ ").ok().as_deref(), Some("https://firm.odoo.com"));
        assert_eq!(server_url("https://erp.firm.be/odoo/").ok().as_deref(), Some("https://erp.firm.be/odoo"));
        assert_eq!(server_url("http://127.0.0.1:8069").ok().as_deref(), Some("http://127.0.0.1:8069"));
        for bad in [
            "",
            "firm.odoo.com",
            "http://firm.odoo.com",
            "http://localhost:8069",
            "ftp://firm.odoo.com",
            "https://user:pw@firm.odoo.com",
            "https://firm.odoo.com/?db=x",
            "https://firm.odoo.com/#x",
        ] {
            assert!(matches!(server_url(bad), Err(ConnectorError::Rejected { status: 0, .. })), "{bad}");
        }
    }

    #[test]
    fn every_field_is_required() {
        let all = [("server_url", "https://firm.odoo.com"), ("database", "firm"), ("api_key", "k")];
        let ok = OdooSettings::from_credentials(&creds(&all));
        assert_eq!(
            ok.as_ref().map(|s| (s.server_url.as_str(), s.database.as_str())).ok(),
            Some(("https://firm.odoo.com", "firm"))
        );
        for missing in ["server_url", "database", "api_key"] {
            let without: Vec<_> = all.iter().copied().filter(|(k, _)| *k != missing).collect();
            let e = OdooSettings::from_credentials(&creds(&without)).err();
            assert_eq!(e, Some(ConnectorError::MissingCredential(missing.into())), "{missing}");
            let blank: Vec<_> = all.iter().map(|&(k, v)| if k == missing { (k, "  ") } else { (k, v) }).collect();
            let e = OdooSettings::from_credentials(&creds(&blank)).err();
            assert_eq!(e, Some(ConnectorError::MissingCredential(missing.into())), "blank {missing}");
        }
    }

    #[test]
    fn debug_shows_no_key() {
        let s = OdooSettings::from_credentials(&creds(&[
            ("server_url", "https://firm.odoo.com"),
            ("database", "firm"),
            ("api_key", "0123456789abcdef-secret"),
        ]));
        let shown = format!("{s:?}");
        assert!(shown.contains("firm") && !shown.contains("secret"), "{shown}");
    }
}
