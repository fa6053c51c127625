//! The state every request and every handle shares. Locks are never held across an await.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use super::config::BrokercloudConfig;
use super::store::Store;
use crate::bearer::{BearerAuthority, StaticKeys};
use crate::faults::FaultQueue;
use crate::fid_manager::stats::{PushStats, StallQueue};
use crate::state::{lock, read};

pub struct Shared {
    pub config: BrokercloudConfig,
    pub store: RwLock<Store>,
    pub faults: Mutex<FaultQueue>,
    pub stalls: Mutex<StallQueue>,
    pub stats: Mutex<PushStats>,
    /// Who says which bearers are valid: the configured tokens, then any added authority.
    pub authorities: RwLock<Vec<Arc<dyn BearerAuthority>>>,
    /// Bearers withdrawn on demand: 401 until restored.
    pub revoked: Mutex<HashSet<String>>,
    /// Every bearer answers 401 until restored.
    pub all_revoked: AtomicBool,
}

impl Shared {
    pub fn new(config: BrokercloudConfig) -> Self {
        let store = Store::generate(config.seed, config.parties);
        let tokens: Arc<dyn BearerAuthority> = Arc::new(StaticKeys(config.access_tokens.clone()));
        Self {
            config,
            store: RwLock::new(store),
            faults: Mutex::default(),
            stalls: Mutex::default(),
            stats: Mutex::default(),
            authorities: RwLock::new(vec![tokens]),
            revoked: Mutex::default(),
            all_revoked: AtomicBool::new(false),
        }
    }

    /// Whether `bearer` may call now: known to an authority, not revoked.
    pub fn accepts(&self, bearer: &str) -> bool {
        if self.all_revoked.load(Ordering::SeqCst) || lock(&self.revoked).contains(bearer) {
            return false;
        }
        read(&self.authorities).iter().any(|a| a.accepts(bearer))
    }
}
