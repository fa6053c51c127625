//! Secrets: one secret per connection, JSON of named fields, values never printable.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;

/// `koppel/{env}/tenants/{tenant}/{connection}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretName(pub String);

impl SecretName {
    pub fn for_connection(env: &str, tenant: &str, connection: &str) -> Self {
        Self(format!("koppel/{env}/tenants/{tenant}/{connection}"))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Named credential fields of one connection (e.g. `subscription_key`, `connection_key`).
/// `Debug` shows the field names only.
#[derive(Clone, Default)]
pub struct Credentials {
    fields: BTreeMap<String, SecretString>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("fields", &self.fields.keys().collect::<Vec<_>>()).finish()
    }
}

impl Credentials {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn with(mut self, name: &str, value: SecretString) -> Self {
        self.fields.insert(name.to_string(), value);
        self
    }
    pub fn insert(&mut self, name: &str, value: SecretString) {
        self.fields.insert(name.to_string(), value);
    }
    pub fn get(&self, name: &str) -> Option<&SecretString> {
        self.fields.get(name)
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }
    /// The serialised secret, itself kept secret.
    pub fn to_secret_json(&self) -> SecretString {
        let map: BTreeMap<&str, &str> = self.fields.iter().map(|(k, v)| (k.as_str(), v.expose_secret())).collect();
        SecretString::from(serde_json::to_string(&map).unwrap_or_default())
    }
    pub fn from_secret_json(json: &SecretString) -> Result<Self, SecretsError> {
        let map: BTreeMap<String, String> = serde_json::from_str(json.expose_secret())
            .map_err(|_| SecretsError::Corrupt("the stored secret is not a JSON object of strings".into()))?;
        Ok(Self { fields: map.into_iter().map(|(k, v)| (k, SecretString::from(v))).collect() })
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretsError {
    #[error("secret not found")]
    NotFound,
    #[error("secret unreadable: {0}")]
    Corrupt(String),
    #[error("secrets backend unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait SecretStore: Send + Sync {
    async fn get(&self, name: &SecretName) -> Result<SecretString, SecretsError>;
    /// Create or replace.
    async fn put(&self, name: &SecretName, value: SecretString) -> Result<(), SecretsError>;
    /// Idempotent: deleting a missing secret is not an error.
    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError>;
}
