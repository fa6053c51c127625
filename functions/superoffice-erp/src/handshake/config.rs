//! The handshake's configuration: the app's client id, SuperOffice's OpenID bases and the app's
//! private key. From the environment: `SUPEROFFICE_CLIENT_ID`, `SUPEROFFICE_OIDC_BASES` (comma
//! list; default the three environments) and the secret `koppel/{env}/superoffice/app` =
//! `{"client_id": "…", "private_key": "<RSAKeyValue>…</RSAKeyValue> or PEM"}` read through the
//! secrets port (like the OAuth app registrations of `koppel_core::oauth::app`).

use koppel_core::ports::{SecretName, SecretStore, SecretsError};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::{AppKey, HandshakeError};

/// SuperOffice's environments (`sod`, `qaonline`, `online`). (C SO-6, S SO-2.)
pub const DEFAULT_OIDC_BASES: [&str; 3] = [
    "https://sod.superoffice.com/login",
    "https://qaonline.superoffice.com/login",
    "https://online.superoffice.com/login",
];

/// Fields of the app secret.
pub const SECRET_CLIENT_ID: &str = "client_id";
pub const SECRET_PRIVATE_KEY: &str = "private_key";

/// `koppel/{env}/superoffice/app`.
pub fn secret_name(env: &str) -> SecretName {
    SecretName(format!("koppel/{env}/superoffice/app"))
}

#[derive(Debug, Clone)]
pub struct HandshakeConfig {
    /// The app's client id (the token's audience is `spn:{client_id}`).
    pub client_id: String,
    /// `https://{env}.superoffice.com/login` bases; metadata at `{base}/.well-known/openid-configuration`.
    pub oidc_bases: Vec<String>,
    pub private_key: AppKey,
}

impl HandshakeConfig {
    /// With the three default OpenID bases.
    pub fn new(client_id: impl Into<String>, private_key: AppKey) -> Result<Self, HandshakeError> {
        let client_id = client_id.into().trim().to_string();
        if client_id.is_empty() {
            return Err(HandshakeError::Config("the client id is empty".into()));
        }
        Ok(Self { client_id, oidc_bases: DEFAULT_OIDC_BASES.iter().map(|b| b.to_string()).collect(), private_key })
    }

    /// Other OpenID bases (tests: a stand-in on 127.0.0.1). Each is `https://…`, or
    /// `http://127.0.0.1…`; a trailing `/` is dropped.
    pub fn with_oidc_bases<I, S>(mut self, bases: I) -> Result<Self, HandshakeError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let bases: Vec<String> = bases
            .into_iter()
            .map(|b| b.as_ref().trim().trim_end_matches('/').to_string())
            .filter(|b| !b.is_empty())
            .collect();
        if bases.is_empty() {
            return Err(HandshakeError::Config("no OpenID base is given".into()));
        }
        if let Some(bad) = bases.iter().find(|b| !allowed_url(b)) {
            return Err(HandshakeError::Config(format!(
                "OpenID base {bad} must start with https:// (http:// only for 127.0.0.1)"
            )));
        }
        self.oidc_bases = bases;
        Ok(self)
    }

    /// From the process environment and the secrets port.
    pub async fn from_env(secrets: &dyn SecretStore, koppel_env: &str) -> Result<Self, HandshakeError> {
        Self::from_vars(|name| std::env::var(name).ok(), secrets, koppel_env).await
    }

    /// As [`Self::from_env`], with the variables from `var`. `SUPEROFFICE_CLIENT_ID` overrides
    /// the secret's `client_id` (one of them must be set; when both are, they must agree).
    pub async fn from_vars(
        var: impl Fn(&str) -> Option<String>,
        secrets: &dyn SecretStore,
        koppel_env: &str,
    ) -> Result<Self, HandshakeError> {
        let name = secret_name(koppel_env);
        let secret = match secrets.get(&name).await {
            Ok(s) => s,
            Err(SecretsError::NotFound) => {
                return Err(HandshakeError::Config(format!("store secret {} (client_id, private_key)", name.as_str())));
            }
            Err(e) => return Err(HandshakeError::Config(format!("secret {}: {e}", name.as_str()))),
        };
        let (secret_client, key_text) = parse_secret(&secret)?;
        let env_client = var("SUPEROFFICE_CLIENT_ID").map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let client_id = match (env_client, secret_client) {
            (Some(a), Some(b)) if a != b => {
                return Err(HandshakeError::Config(
                    "SUPEROFFICE_CLIENT_ID differs from the app secret's client_id".into(),
                ));
            }
            (Some(id), _) | (None, Some(id)) => id,
            (None, None) => {
                return Err(HandshakeError::Config("set SUPEROFFICE_CLIENT_ID or the app secret's client_id".into()));
            }
        };
        let key = AppKey::parse(&key_text).map_err(|e| HandshakeError::Config(e.to_string()))?;
        let config = Self::new(client_id, key)?;
        match var("SUPEROFFICE_OIDC_BASES").filter(|v| !v.trim().is_empty()) {
            Some(list) => config.with_oidc_bases(list.split(',')),
            None => Ok(config),
        }
    }
}

/// `(client_id, private_key)` from the secret's JSON; names fields, never values.
fn parse_secret(secret: &SecretString) -> Result<(Option<String>, SecretString), HandshakeError> {
    let bad = |m: &str| HandshakeError::Config(format!("the SuperOffice app secret {m}"));
    let value: Value = serde_json::from_str(secret.expose_secret()).map_err(|_| bad("is not JSON"))?;
    let Value::Object(map) = value else { return Err(bad("is not a JSON object")) };
    let client_id = match map.get(SECRET_CLIENT_ID) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Some(_) => return Err(bad("has a client_id that is not a string")),
    };
    let key = match map.get(SECRET_PRIVATE_KEY) {
        Some(Value::String(s)) if !s.trim().is_empty() => SecretString::from(s.clone()),
        _ => return Err(bad("lacks private_key")),
    };
    Ok((client_id, key))
}

/// `https://…`, or `http://127.0.0.1[:port]…` (tests and local runs).
pub(crate) fn allowed_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let host_start =
        |prefix: &str| lower.strip_prefix(prefix).filter(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if let Some(rest) = host_start("https://") {
        return !rest.contains(char::is_whitespace) && !rest.split('/').next().unwrap_or_default().contains('@');
    }
    match host_start("http://") {
        Some(rest) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            authority == "127.0.0.1" || authority.strip_prefix("127.0.0.1:").is_some_and(|p| p.parse::<u16>().is_ok())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::allowed_url;

    #[test]
    fn only_https_or_local_http() {
        assert!(allowed_url("https://online.superoffice.com/login"));
        assert!(allowed_url("http://127.0.0.1:9400/login"));
        assert!(allowed_url("http://127.0.0.1/login"));
        assert!(!allowed_url("http://online.superoffice.com/login"));
        assert!(!allowed_url("http://127.0.0.1.evil.example/login"));
        assert!(!allowed_url("http://127.0.0.1:99999/x"));
        assert!(!allowed_url("https://user@evil.example/"));
        assert!(!allowed_url("ftp://x"));
        assert!(!allowed_url("https://"));
    }
}
