//! `SecretStore` over AWS Secrets Manager: one secret per connection, values cached in the
//! warm container for a few minutes. Values are never logged and have no `Debug`.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use koppel_core::ports::{SecretName, SecretStore, SecretsError};
use secrecy::{ExposeSecret, SecretString};

use crate::sdk_error::{self, Error};

/// How long a fetched value is served from the cache.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(5 * 60);

const NOT_FOUND: &str = "ResourceNotFoundException";

/// The production secret store.
pub struct SecretsManagerVault {
    client: Client,
    ttl: Duration,
    cache: RwLock<Cache>,
}

#[derive(Default)]
struct Cache {
    /// Secret name → (value, when it was fetched).
    entries: HashMap<String, (SecretString, Instant)>,
    /// Bumped by every put and delete, so that a read that raced with a write does not
    /// cache the value it read before the write.
    generation: u64,
}

impl std::fmt::Debug for SecretsManagerVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretsManagerVault").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl SecretsManagerVault {
    pub fn new(client: Client) -> Self {
        Self::with_cache_ttl(client, DEFAULT_CACHE_TTL)
    }
    /// A zero `ttl` turns the cache off.
    pub fn with_cache_ttl(client: Client, ttl: Duration) -> Self {
        Self { client, ttl, cache: RwLock::new(Cache::default()) }
    }

    /// A fresh cached value, or the generation to pass to [`Self::remember`].
    fn cached(&self, name: &str) -> Result<SecretString, u64> {
        let cache = self.cache.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        match cache.entries.get(name) {
            Some((value, at)) if at.elapsed() < self.ttl => Ok(value.clone()),
            _ => Err(cache.generation),
        }
    }
    fn remember(&self, name: &str, value: &SecretString, generation: u64) {
        let mut cache = self.cache.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.ttl.is_zero() || cache.generation != generation {
            return;
        }
        let ttl = self.ttl;
        cache.entries.retain(|_, (_, at)| at.elapsed() < ttl);
        cache.entries.insert(name.to_string(), (value.clone(), Instant::now()));
    }
    fn forget(&self, name: &str) {
        let mut cache = self.cache.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.generation = cache.generation.wrapping_add(1);
        cache.entries.remove(name);
    }
}

fn unavailable<E>(operation: &str, err: &Error<E>) -> SecretsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    SecretsError::Unavailable(sdk_error::describe(operation, err))
}

#[async_trait]
impl SecretStore for SecretsManagerVault {
    async fn get(&self, name: &SecretName) -> Result<SecretString, SecretsError> {
        let generation = match self.cached(name.as_str()) {
            Ok(value) => return Ok(value),
            Err(generation) => generation,
        };
        let out = match self.client.get_secret_value().secret_id(name.as_str()).send().await {
            Ok(out) => out,
            Err(e) if sdk_error::code(&e) == Some(NOT_FOUND) => return Err(SecretsError::NotFound),
            Err(e) => return Err(unavailable("Secrets Manager GetSecretValue", &e)),
        };
        let value = out
            .secret_string
            .map(SecretString::from)
            .ok_or_else(|| SecretsError::Corrupt("the secret holds binary data, not text".into()))?;
        self.remember(name.as_str(), &value, generation);
        Ok(value)
    }

    async fn put(&self, name: &SecretName, value: SecretString) -> Result<(), SecretsError> {
        self.forget(name.as_str());
        let result = self.write(name, &value).await;
        // Forget again: a read that started before the write may have cached the old value.
        self.forget(name.as_str());
        result
    }

    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError> {
        self.forget(name.as_str());
        let deleted =
            self.client.delete_secret().secret_id(name.as_str()).force_delete_without_recovery(true).send().await;
        self.forget(name.as_str());
        match deleted {
            Ok(_) => Ok(()),
            Err(e) if sdk_error::code(&e) == Some(NOT_FOUND) => Ok(()),
            Err(e) => Err(unavailable("Secrets Manager DeleteSecret", &e)),
        }
    }
}

impl SecretsManagerVault {
    /// PutSecretValue, or CreateSecret when the secret does not exist yet.
    async fn write(&self, name: &SecretName, value: &SecretString) -> Result<(), SecretsError> {
        let updated =
            self.client.put_secret_value().secret_id(name.as_str()).secret_string(value.expose_secret()).send().await;
        match updated {
            Ok(_) => return Ok(()),
            Err(e) if sdk_error::code(&e) == Some(NOT_FOUND) => {}
            Err(e) => return Err(unavailable("Secrets Manager PutSecretValue", &e)),
        }
        let created = self.client.create_secret().name(name.as_str()).secret_string(value.expose_secret()).send().await;
        match created {
            Ok(_) => Ok(()),
            // Created by someone else since our PutSecretValue: replace its value.
            Err(e) if sdk_error::code(&e) == Some("ResourceExistsException") => self
                .client
                .put_secret_value()
                .secret_id(name.as_str())
                .secret_string(value.expose_secret())
                .send()
                .await
                .map(|_| ())
                .map_err(|e| unavailable("Secrets Manager PutSecretValue", &e)),
            Err(e) => Err(unavailable("Secrets Manager CreateSecret", &e)),
        }
    }
}
