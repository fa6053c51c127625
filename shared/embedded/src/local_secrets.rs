//! [`SecretStore`] in one encrypted file, for running Koppel on a laptop.
//!
//! `<dir>/secrets.enc.json` maps each secret name to `base64(nonce || ciphertext)`, sealed with
//! XChaCha20-Poly1305 under the key in `<dir>/secrets.key` (32 random bytes, made on first
//! use). Both files are 0600. The secret's name is the associated data, so an entry copied
//! under another name does not decrypt. Writes go to a temp file renamed over the old one,
//! under an in-process mutex and a lock file (other processes share the folder).

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use koppel_core::ports::{SecretName, SecretStore, SecretsError};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};

use crate::private_file;

/// The encrypted secrets, inside the data folder.
pub const SECRETS_FILE: &str = "secrets.enc.json";
/// The key that opens them, next to it.
pub const KEY_FILE: &str = "secrets.key";
const LOCK_FILE: &str = "secrets.lock";
const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

/// Name → `base64(nonce || ciphertext)`.
type Sealed = BTreeMap<String, String>;

/// The encrypted local secrets file (`LocalSecrets::open(dir)`).
pub struct LocalSecrets {
    dir: PathBuf,
    cipher: XChaCha20Poly1305,
    writer: Mutex<()>,
}

/// Shows the folder only: never the key, never a value.
impl std::fmt::Debug for LocalSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalSecrets").field("dir", &self.dir).finish_non_exhaustive()
    }
}

impl LocalSecrets {
    /// Use the secrets in `dir`, creating the folder (0700) and the key (0600) if missing.
    ///
    /// Refuses a folder that has a secrets file but lost its key: a new key could not read
    /// the old entries, and writing new ones would mix two keys in one file.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, SecretsError> {
        let dir = dir.as_ref().to_path_buf();
        private_file::create_private_dir(&dir).map_err(|e| io_error(&dir, e))?;
        let key = load_or_create_key(&dir)?;
        Ok(Self { cipher: XChaCha20Poly1305::new(Key::from_slice(&key)), dir, writer: Mutex::new(()) })
    }

    /// The encrypted file's path.
    pub fn secrets_path(&self) -> PathBuf {
        self.dir.join(SECRETS_FILE)
    }

    /// The key file's path.
    pub fn key_path(&self) -> PathBuf {
        self.dir.join(KEY_FILE)
    }

    fn read_sealed(&self) -> Result<Option<Sealed>, SecretsError> {
        let path = self.secrets_path();
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|_| SecretsError::Corrupt(format!("{} is not a JSON object of strings", path.display()))),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(&path, e)),
        }
    }

    /// Read, change and atomically replace the file, one writer at a time.
    fn modify(&self, change: impl FnOnce(&mut Sealed) -> Result<bool, SecretsError>) -> Result<(), SecretsError> {
        let _in_process = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let lock_path = self.dir.join(LOCK_FILE);
        let _across_processes = private_file::lock_exclusive(&lock_path).map_err(|e| io_error(&lock_path, e))?;
        let mut sealed = self.read_sealed()?.unwrap_or_default();
        if !change(&mut sealed)? {
            return Ok(());
        }
        let json = serde_json::to_vec_pretty(&sealed)
            .map_err(|e| SecretsError::Unavailable(format!("cannot serialise the secrets file: {e}")))?;
        let path = self.secrets_path();
        private_file::replace_private(&path, &json).map_err(|e| io_error(&path, e))
    }

    fn seal(&self, name: &SecretName, value: &SecretString) -> Result<String, SecretsError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload { msg: value.expose_secret().as_bytes(), aad: name.as_str().as_bytes() };
        let ciphertext = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), payload)
            .map_err(|_| SecretsError::Unavailable("encryption failed".into()))?;
        let mut sealed = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(STANDARD.encode(sealed))
    }

    fn open_sealed(&self, name: &SecretName, sealed: &str) -> Result<SecretString, SecretsError> {
        let unreadable = || {
            SecretsError::Corrupt(format!(
                "the secret {} cannot be decrypted (tampered with, or sealed with another key)",
                name.as_str()
            ))
        };
        let bytes = STANDARD.decode(sealed).map_err(|_| unreadable())?;
        if bytes.len() < NONCE_LEN {
            return Err(unreadable());
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let payload = Payload { msg: ciphertext, aad: name.as_str().as_bytes() };
        let plain = self.cipher.decrypt(XNonce::from_slice(nonce), payload).map_err(|_| unreadable())?;
        String::from_utf8(plain).map(SecretString::from).map_err(|_| unreadable())
    }
}

#[async_trait]
impl SecretStore for LocalSecrets {
    async fn get(&self, name: &SecretName) -> Result<SecretString, SecretsError> {
        let sealed = self.read_sealed()?.unwrap_or_default();
        let entry = sealed.get(name.as_str()).ok_or(SecretsError::NotFound)?;
        self.open_sealed(name, entry)
    }

    async fn put(&self, name: &SecretName, value: SecretString) -> Result<(), SecretsError> {
        let entry = self.seal(name, &value)?;
        self.modify(|sealed| {
            sealed.insert(name.as_str().to_string(), entry);
            Ok(true)
        })
    }

    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError> {
        self.modify(|sealed| Ok(sealed.remove(name.as_str()).is_some()))
    }
}

fn load_or_create_key(dir: &Path) -> Result<[u8; KEY_LEN], SecretsError> {
    let path = dir.join(KEY_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => {
            private_file::restrict_to_owner(&path).map_err(|e| io_error(&path, e))?;
            return bytes
                .try_into()
                .map_err(|_| SecretsError::Corrupt(format!("{} must hold exactly {KEY_LEN} bytes", path.display())));
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(&path, e)),
    }
    let secrets = dir.join(SECRETS_FILE);
    if secrets.exists() {
        return Err(SecretsError::Corrupt(format!(
            "{} exists but its key {} is missing; restore the key or remove the secrets file",
            secrets.display(),
            path.display()
        )));
    }
    let mut key = [0u8; KEY_LEN];
    rand::rng().fill_bytes(&mut key);
    match private_file::publish_new_private(&path, &key) {
        Ok(()) => Ok(key),
        // Another process made it first: use theirs.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => load_or_create_key(dir),
        Err(e) => Err(io_error(&path, e)),
    }
}

fn io_error(path: &Path, e: std::io::Error) -> SecretsError {
    SecretsError::Unavailable(format!("{}: {e}", path.display()))
}

#[cfg(test)]
#[path = "local_secrets_tests.rs"]
mod tests;
