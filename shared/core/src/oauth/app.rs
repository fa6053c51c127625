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
//! `basic` (default, HTTP Basic) or `post` (form fields). Optional, for providers with more to
//! them (Zoho, Silverfin):
//!
//! - `token_url` may hold `{setting}` placeholders ([`super::template`]): a whole origin at the
//!   start (`{accounts_server}/oauth/v2/token`, checked against `allowed_hosts`) or plain ids in
//!   the path (`https://live.getsilverfin.com/f/{firm_id}/oauth/token`);
//! - `callback_params`: callback query parameters to keep, as connection settings
//!   (`{"accounts-server": "accounts_server"}`, `{"authorized_firm_id": "firm_id"}`);
//! - `token_fields`: token-answer fields to keep, as settings (`{"api_domain": "api_domain"}`);
//! - `default_settings`: values for those settings when the callback does not carry them;
//! - `allowed_hosts`: the hosts (`host` or `host:port`) a `{setting}` origin may name; https only,
//!   `http://` only for a loopback host listed here;
//! - `authorize_params`: fixed extra authorize parameters (`{"access_type": "offline"}`);
//! - `scope_separator`: how scopes are joined (default a space; Zoho `,`);
//! - `refresh_redirect_uri`: send `redirect_uri` with refreshes too (default `false`).
//!
//! No value is ever repeated in an error.

use std::collections::{BTreeMap, BTreeSet};

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};

use super::provider_label;
use super::template::{AllowedHosts, FillError, UrlTemplate, is_setting_name};
use crate::domain::catalog::{ACCESS_TOKEN_FIELD, EXPIRES_AT_FIELD, REFRESH_TOKEN_FIELD};
use crate::ports::oauth::{ClientAuth, OAuthApp};
use crate::ports::{SecretName, SecretsError};
use crate::{AppError, Deps};

/// Longest value kept from a callback or a token answer.
pub const MAX_KEPT_VALUE: usize = 512;

/// Authorize parameters Koppel sets itself; `authorize_params` may not name them.
const RESERVED_AUTHORIZE: [&str; 7] =
    ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"];
/// Callback parameters the protocol uses; `callback_params` may not name them.
const RESERVED_CALLBACK: [&str; 5] = ["code", "state", "error", "error_description", "error_uri"];
/// Token-answer fields that are secrets or the protocol's own; `token_fields` may not name them.
const RESERVED_TOKEN: [&str; 6] = ["access_token", "refresh_token", "id_token", "expires_in", "token_type", "scope"];

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

/// A value from the callback that cannot be kept (names the parameter, never the value).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{param} {problem}")]
pub struct CallbackValueError {
    /// The callback's query parameter (`accounts-server`).
    pub param: String,
    /// What is wrong with it, in a few words.
    pub problem: String,
}

/// A deployment's registration for one provider: the app, and what to keep from callbacks and
/// token answers.
#[derive(Debug, Clone)]
pub struct Registration {
    /// The app; its `token_url` is the template as registered.
    app: OAuthApp,
    token_url: UrlTemplate,
    allowed_hosts: AllowedHosts,
    /// Callback query parameter → connection setting.
    pub callback_params: BTreeMap<String, String>,
    /// Token-answer field → connection setting.
    pub token_fields: BTreeMap<String, String>,
    /// Setting → value used when the callback does not carry it.
    pub default_settings: BTreeMap<String, String>,
}

impl Registration {
    pub fn provider(&self) -> &str {
        &self.app.provider
    }

    /// The app for the authorize URL (no token call: its `token_url` is not filled).
    pub fn authorize_app(&self) -> &OAuthApp {
        &self.app
    }

    /// The app for a token call: `token_url` filled from `settings` over `default_settings`,
    /// each value checked (an origin against `allowed_hosts`, a path piece as a plain id).
    pub fn app(&self, settings: &BTreeMap<String, String>) -> Result<OAuthApp, FillError> {
        let mut merged = self.default_settings.clone();
        merged.extend(settings.iter().map(|(k, v)| (k.clone(), v.clone())));
        let token_url = self.token_url.fill(&merged, &self.allowed_hosts)?;
        Ok(OAuthApp { token_url, ..self.app.clone() })
    }

    /// The settings this registration fills (from callbacks and token answers).
    pub fn managed_settings(&self) -> BTreeSet<&str> {
        self.callback_params.values().chain(self.token_fields.values()).map(String::as_str).collect()
    }

    /// The callback parameter a setting comes from (for messages), else the setting's name.
    pub fn param_of<'a>(&'a self, setting: &'a str) -> &'a str {
        self.callback_params.iter().find(|(_, s)| s.as_str() == setting).map_or(setting, |(p, _)| p.as_str())
    }

    /// The settings a callback gives: each kept parameter's value (or its default); refused
    /// when a value is empty, too long or not printable.
    pub fn callback_settings(
        &self,
        query: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, CallbackValueError> {
        let mut out = BTreeMap::new();
        for (param, setting) in &self.callback_params {
            match query.get(param) {
                Some(v) if is_keepable(v) => {
                    out.insert(setting.clone(), v.clone());
                }
                Some(_) => {
                    return Err(CallbackValueError {
                        param: param.clone(),
                        problem: format!("is empty, longer than {MAX_KEPT_VALUE} characters or not printable"),
                    });
                }
                None => {
                    if let Some(d) = self.default_settings.get(setting) {
                        out.insert(setting.clone(), d.clone());
                    }
                }
            }
        }
        Ok(out)
    }

    /// The settings a token answer gives (fields that are empty, too long or not printable are
    /// left out).
    pub fn token_settings(&self, extra: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (field, setting) in &self.token_fields {
            match extra.get(field) {
                Some(v) if is_keepable(v) => {
                    out.insert(setting.clone(), v.clone());
                }
                Some(_) => tracing::warn!(provider = %self.app.provider, field, "token answer field not kept"),
                None => {}
            }
        }
        out
    }
}

fn is_keepable(value: &str) -> bool {
    !value.is_empty() && value.chars().count() <= MAX_KEPT_VALUE && !value.chars().any(char::is_control)
}

/// The registration for `provider`. A missing or broken one is a conflict naming the secret.
pub async fn load(deps: &Deps, provider: &str) -> Result<Registration, AppError> {
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

pub fn parse(provider: &str, json: &SecretString) -> Result<Registration, AppConfigError> {
    let value: Value = serde_json::from_str(json.expose_secret()).map_err(|_| AppConfigError::NotObject)?;
    let Value::Object(map) = value else {
        return Err(AppConfigError::NotObject);
    };
    let bad = |field: &'static str, message: String| AppConfigError::BadField { field, message };
    let raw_token_url = text(&map, "token_url")?;
    let token_url = UrlTemplate::parse(&raw_token_url).map_err(|m| bad("token_url", m))?;
    if !token_url.has_origin_placeholder() {
        // A `{setting}` origin is checked when filled; a literal one here.
        check_url(&token_url.sample()).map_err(|m| bad("token_url", m))?;
    }
    let allowed_hosts = AllowedHosts::parse(&list(&map, "allowed_hosts")?).map_err(|m| bad("allowed_hosts", m))?;
    if token_url.has_origin_placeholder() && allowed_hosts.is_empty() {
        return Err(bad("allowed_hosts", "must list the hosts the start of token_url may name".into()));
    }
    let callback_params = settings_map(&map, "callback_params", &RESERVED_CALLBACK)?;
    let token_fields = settings_map(&map, "token_fields", &RESERVED_TOKEN)?;
    let default_settings = string_map(&map, "default_settings")?;
    for setting in default_settings.keys() {
        check_setting("default_settings", setting)?;
    }
    for p in token_url.placeholders() {
        if !callback_params.values().any(|s| s == p) && !default_settings.contains_key(p) {
            return Err(bad("token_url", format!("names {{{p}}}, which no callback_params entry or default gives")));
        }
    }
    let authorize_params = string_map(&map, "authorize_params")?;
    if let Some(k) = authorize_params.keys().find(|k| RESERVED_AUTHORIZE.contains(&k.as_str())) {
        return Err(bad("authorize_params", format!("may not set {k} (Koppel sets it)")));
    }
    let mut scopes = scopes(&map)?;
    match map.get("scope_separator") {
        None | Some(Value::Null) => {}
        Some(Value::String(sep)) if sep == " " => {}
        Some(Value::String(sep)) if !sep.is_empty() && sep.trim() == sep => {
            scopes = if scopes.is_empty() { scopes } else { vec![scopes.join(sep)] };
        }
        Some(_) => return Err(bad("scope_separator", "must be a short text such as \",\"".into())),
    }
    let app = OAuthApp {
        provider: provider.to_string(),
        client_id: text(&map, "client_id")?,
        client_secret: SecretString::from(text(&map, "client_secret")?),
        authorize_url: url(&map, "authorize_url")?,
        token_url: raw_token_url,
        redirect_url: url(&map, "redirect_url")?,
        scopes,
        pkce: flag(&map, "pkce", true)?,
        client_auth: match map.get("client_auth").and_then(Value::as_str) {
            None | Some("basic") => ClientAuth::Basic,
            Some("post") => ClientAuth::RequestBody,
            Some(_) => return Err(bad("client_auth", "must be basic or post".into())),
        },
        authorize_params,
        refresh_redirect_uri: flag(&map, "refresh_redirect_uri", false)?,
    };
    Ok(Registration { app, token_url, allowed_hosts, callback_params, token_fields, default_settings })
}

fn text(map: &Map<String, Value>, field: &'static str) -> Result<String, AppConfigError> {
    match map.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Some(Value::String(_)) | None | Some(Value::Null) => Err(AppConfigError::MissingField(field)),
        Some(_) => Err(AppConfigError::BadField { field, message: "must be a string".into() }),
    }
}

fn url(map: &Map<String, Value>, field: &'static str) -> Result<String, AppConfigError> {
    let raw = text(map, field)?;
    check_url(&raw).map_err(|message| AppConfigError::BadField { field, message })?;
    Ok(raw)
}

fn flag(map: &Map<String, Value>, field: &'static str, default: bool) -> Result<bool, AppConfigError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(AppConfigError::BadField { field, message: "must be true or false".into() }),
    }
}

fn list(map: &Map<String, Value>, field: &'static str) -> Result<Vec<String>, AppConfigError> {
    let bad = || AppConfigError::BadField { field, message: "must be a list of strings".into() };
    match map.get(field) {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::Array(items)) => items.iter().map(|i| i.as_str().map(str::to_string).ok_or_else(bad)).collect(),
        Some(_) => Err(bad()),
    }
}

fn string_map(map: &Map<String, Value>, field: &'static str) -> Result<BTreeMap<String, String>, AppConfigError> {
    let bad = || AppConfigError::BadField { field, message: "must be an object of non-empty strings".into() };
    match map.get(field) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(entries)) => entries
            .iter()
            .map(|(k, v)| match v.as_str() {
                Some(s) if !k.trim().is_empty() && !s.trim().is_empty() => Ok((k.trim().into(), s.trim().into())),
                _ => Err(bad()),
            })
            .collect(),
        Some(_) => Err(bad()),
    }
}

/// `{"source name": "setting"}`: sources not reserved, settings valid and not credential fields.
fn settings_map(
    map: &Map<String, Value>,
    field: &'static str,
    reserved: &[&str],
) -> Result<BTreeMap<String, String>, AppConfigError> {
    let entries = string_map(map, field)?;
    for (source, setting) in &entries {
        if reserved.contains(&source.as_str()) {
            return Err(AppConfigError::BadField { field, message: format!("may not keep {source}") });
        }
        check_setting(field, setting)?;
    }
    Ok(entries)
}

fn check_setting(field: &'static str, setting: &str) -> Result<(), AppConfigError> {
    if !is_setting_name(setting) || [ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD, EXPIRES_AT_FIELD].contains(&setting) {
        return Err(AppConfigError::BadField {
            field,
            message: format!("names setting {setting:?}, which is not a setting name (a-z, 0-9, _; not a token)"),
        });
    }
    Ok(())
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
mod tests;
