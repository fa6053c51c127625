//! A provider's OAuth app, registered per deployment in the secrets port as JSON under
//! `koppel/{env}/oauth-apps/{provider}`:
//!
//! ```json
//! {"client_id": "…", "client_secret": "…",
//!  "authorize_url": "https://…/authorize", "token_url": "https://…/token",
//!  "redirect_url": "https://koppel.example/oauth/callback",
//!  "scopes": ["…"], "pkce": true, "client_auth": "basic"}
//! ```
//!
//! `scopes` may also be one space-separated string; `pkce` defaults to `true`; `client_auth` is
//! `basic` (default, HTTP Basic) or `post` (form fields). No value is ever repeated in an error.

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};

use super::provider_label;
use crate::ports::oauth::{ClientAuth, OAuthApp};
use crate::ports::{SecretName, SecretsError};
use crate::{AppError, Deps};

pub fn secret_name(env: &str, provider: &str) -> SecretName {
    SecretName(format!("koppel/{env}/oauth-apps/{provider}"))
}

/// Why the app registration cannot be used (names fields, never values).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppConfigError {
    #[error("no OAuth app is registered for {0}")]
    Missing(String),
    #[error("the OAuth app registration is not a JSON object")]
    NotObject,
    #[error("the OAuth app registration lacks {0}")]
    MissingField(&'static str),
    #[error("the OAuth app registration's {field} {message}")]
    BadField { field: &'static str, message: String },
}

/// The app for `provider`. A missing or broken registration is a conflict naming the secret.
pub async fn load(deps: &Deps, provider: &str) -> Result<OAuthApp, AppError> {
    let name = secret_name(&deps.env, provider);
    let parsed = match deps.secrets.get(&name).await {
        Ok(json) => parse(provider, &json),
        Err(SecretsError::NotFound) => Err(AppConfigError::Missing(provider.to_string())),
        Err(e) => return Err(e.into()),
    };
    parsed.map_err(|e| {
        AppError::conflict(
            format!("sign-in with {} is not set up in this Koppel deployment: {e}", provider_label(provider)),
            format!("An administrator must store secret {} (see docs/connectors/oauth.md).", name.as_str()),
        )
    })
}

pub fn parse(provider: &str, json: &SecretString) -> Result<OAuthApp, AppConfigError> {
    let value: Value = serde_json::from_str(json.expose_secret()).map_err(|_| AppConfigError::NotObject)?;
    let Value::Object(map) = value else {
        return Err(AppConfigError::NotObject);
    };
    let text = |field: &'static str| -> Result<String, AppConfigError> {
        match map.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Some(Value::String(_)) | None | Some(Value::Null) => Err(AppConfigError::MissingField(field)),
            Some(_) => Err(AppConfigError::BadField { field, message: "must be a string".into() }),
        }
    };
    let url = |field: &'static str| -> Result<String, AppConfigError> {
        let raw = text(field)?;
        check_url(&raw).map_err(|message| AppConfigError::BadField { field, message })?;
        Ok(raw)
    };
    Ok(OAuthApp {
        provider: provider.to_string(),
        client_id: text("client_id")?,
        client_secret: SecretString::from(text("client_secret")?),
        authorize_url: url("authorize_url")?,
        token_url: url("token_url")?,
        redirect_url: url("redirect_url")?,
        scopes: scopes(&map)?,
        pkce: match map.get("pkce") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(AppConfigError::BadField { field: "pkce", message: "must be true or false".into() }),
        },
        client_auth: match map.get("client_auth").and_then(Value::as_str) {
            None | Some("basic") => ClientAuth::Basic,
            Some("post") => ClientAuth::RequestBody,
            Some(_) => {
                return Err(AppConfigError::BadField { field: "client_auth", message: "must be basic or post".into() });
            }
        },
    })
}

fn scopes(map: &Map<String, Value>) -> Result<Vec<String>, AppConfigError> {
    let bad =
        || AppConfigError::BadField { field: "scopes", message: "must be a list of strings or one string".into() };
    match map.get("scopes") {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::String(s)) => Ok(s.split_whitespace().map(str::to_string).collect()),
        Some(Value::Array(items)) => {
            items.iter().map(|i| i.as_str().map(|s| s.trim().to_string()).ok_or_else(bad)).collect()
        }
        Some(_) => Err(bad()),
    }
}

/// `https://…`, or `http://` to a loopback host (local runs and tests).
fn check_url(raw: &str) -> Result<(), String> {
    let url = url::Url::parse(raw).map_err(|e| format!("is not a URL ({e})"))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err("must start with https:// (http:// only for 127.0.0.1 or localhost)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(json: &str) -> Result<OAuthApp, AppConfigError> {
        parse("adminpulse", &SecretString::from(json.to_string()))
    }

    const FULL: &str = r#"{"client_id":"id","client_secret":"s3cret-value","authorize_url":"https://p.example/authorize",
        "token_url":"https://p.example/token","redirect_url":"https://k.example/oauth/callback","scopes":"read write"}"#;

    #[test]
    fn parses_with_defaults() {
        let a = app(FULL).expect("valid");
        assert_eq!(a.scopes, vec!["read", "write"]);
        assert!(a.pkce);
        assert_eq!(a.client_auth, ClientAuth::Basic);
        assert!(!format!("{a:?}").contains("s3cret"));
    }

    #[test]
    fn names_the_broken_field_without_its_value() {
        let e = app(r#"{"client_id":"id","client_secret":"s3cret-value"}"#).unwrap_err();
        assert_eq!(e, AppConfigError::MissingField("authorize_url"));
        let e = app(&FULL.replace("https://p.example/token", "http://p.example/token")).unwrap_err();
        assert!(matches!(e, AppConfigError::BadField { field: "token_url", .. }), "{e}");
        let e = app(&FULL.replace(r#""scopes":"read write""#, r#""scopes":[1],"pkce":"yes""#)).unwrap_err();
        assert!(matches!(e, AppConfigError::BadField { field: "scopes", .. }), "{e}");
        assert!(!e.to_string().contains("s3cret"));
        assert_eq!(app("[1]").unwrap_err(), AppConfigError::NotObject);
        assert!(app(&FULL.replace("https://p.example/token", "http://127.0.0.1:1/token")).is_ok());
    }
}
