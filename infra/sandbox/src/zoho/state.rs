//! The state every request and every handle shares. Locks are never held across an await.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use super::config::ZohoConfig;
use super::faults::WriteFaults;
use super::stats::Stats;
use super::store::Store;
use crate::bearer::{BearerAuthority, StaticKeys};
use crate::faults::FaultQueue;
use crate::state::read;

pub struct Shared {
    pub config: ZohoConfig,
    pub store: RwLock<Store>,
    pub faults: Mutex<FaultQueue>,
    pub write_faults: Mutex<WriteFaults>,
    pub stats: Mutex<Stats>,
    /// Who says which access tokens are valid: the configured ones, then any added authority.
    pub authorities: RwLock<Vec<Arc<dyn BearerAuthority>>>,
    /// Every token answers 401 `INVALID_TOKEN` (expired / revoked) until restored.
    pub tokens_invalid: AtomicBool,
}

impl Shared {
    pub fn new(config: ZohoConfig) -> Self {
        let store = Store::generate(config.seed, config.events);
        let keys: Arc<dyn BearerAuthority> = Arc::new(StaticKeys(config.access_tokens.clone()));
        Self {
            config,
            store: RwLock::new(store),
            faults: Mutex::default(),
            write_faults: Mutex::default(),
            stats: Mutex::default(),
            authorities: RwLock::new(vec![keys]),
            tokens_invalid: AtomicBool::new(false),
        }
    }

    pub fn accepts(&self, token: &str) -> bool {
        !self.tokens_invalid.load(Ordering::SeqCst) && read(&self.authorities).iter().any(|a| a.accepts(token))
    }
}
