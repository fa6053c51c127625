//! The token answer as Koppel reads it: RFC 6749 §5.1 plus every other top-level field
//! ([`KeptFields`], `oauth2`'s `ExtraTokenFields`), so that a provider's own fields (Zoho's
//! `api_domain`) reach the use-cases, which keep only those the app registration names.

use std::collections::BTreeMap;

use koppel_core::ports::oauth::TokenSet;
use oauth2::basic::BasicTokenType;
use oauth2::{ExtraTokenFields, StandardTokenResponse, TokenResponse};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The answer's fields beyond RFC 6749 §5.1. `Debug` shows their names only (a provider could
/// put something secret there, e.g. an `id_token`).
#[derive(Clone, Default, Deserialize, Serialize)]
pub struct KeptFields {
    #[serde(flatten)]
    fields: BTreeMap<String, Value>,
}

impl std::fmt::Debug for KeptFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.fields.keys()).finish()
    }
}

impl ExtraTokenFields for KeptFields {}

/// A token answer with its extra fields.
pub type TokenAnswer = StandardTokenResponse<KeptFields, BasicTokenType>;

pub fn token_set(answer: TokenAnswer) -> TokenSet {
    let extra = answer
        .extra_fields()
        .fields
        .iter()
        .filter_map(|(name, value)| {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((name.clone(), text))
        })
        .collect();
    TokenSet {
        access_token: SecretString::from(answer.access_token().secret().clone()),
        refresh_token: answer.refresh_token().map(|r| SecretString::from(r.secret().clone())),
        expires_in: answer.expires_in(),
        extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn keeps_the_providers_own_fields_as_text() {
        let body = r#"{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1",
            "scope":"a b","api_domain":"https://www.zohoapis.eu","count":3,"flag":true,"nested":{"x":1}}"#;
        let answer: TokenAnswer = serde_json::from_str(body).expect("token answer");
        assert!(!format!("{answer:?}").contains("zohoapis"), "Debug shows names only");
        let set = token_set(answer);
        assert_eq!(set.access_token.expose_secret(), "at-1");
        assert_eq!(set.expires_in, Some(std::time::Duration::from_secs(3600)));
        let extra: Vec<(&str, &str)> = set.extra.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(extra, [("api_domain", "https://www.zohoapis.eu"), ("count", "3"), ("flag", "true")]);
    }
}
