//! The state every request and every handle shares. Locks are never held across an await.

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

use super::config::AdminPulseConfig;
use super::limiter::Limiter;
use super::push_store::PushStore;
use super::readiness::Readiness;
use super::stats::Stats;
use super::store::Store;
use crate::bearer::{BearerAuthority, StaticKeys};
use crate::faults::FaultQueue;
use crate::state::{lock, read};

pub struct Shared {
    pub config: AdminPulseConfig,
    pub store: RwLock<Store>,
    pub faults: Mutex<FaultQueue>,
    pub stats: Mutex<Stats>,
    pub limiter: Mutex<Limiter>,
    /// `documents/add`'s own limit per bearer (50 a minute).
    pub documents_limiter: Mutex<Limiter>,
    /// What meetings left: interactions, notes, documents, to-dos.
    pub push: Mutex<PushStore>,
    /// "Timeout after store": the item is stored, then the answer comes late (`Slow` faults).
    pub after_store: Mutex<FaultQueue>,
    pub readiness: Mutex<Readiness>,
    /// Who says which bearers are valid: the configured API keys, then any added authority.
    pub authorities: RwLock<Vec<Arc<dyn BearerAuthority>>>,
    /// Bearers withdrawn on demand: they answer 401 until restored.
    pub revoked: Mutex<HashSet<String>>,
    /// Every bearer answers 401 until restored.
    pub all_revoked: AtomicBool,
}

impl Shared {
    pub fn new(config: AdminPulseConfig) -> Self {
        let store = Store::generate(config.seed, config.relations);
        let limiter = Limiter::new(config.rate_limit_per_minute, config.rate_window);
        let documents_limiter = Limiter::new(config.documents_per_minute, config.rate_window);
        let readiness = Readiness::new(config.not_ready_after_first_use);
        let keys: Arc<dyn BearerAuthority> = Arc::new(StaticKeys(config.api_keys.clone()));
        Self {
            config,
            store: RwLock::new(store),
            faults: Mutex::default(),
            stats: Mutex::default(),
            limiter: Mutex::new(limiter),
            documents_limiter: Mutex::new(documents_limiter),
            push: Mutex::default(),
            after_store: Mutex::default(),
            readiness: Mutex::new(readiness),
            authorities: RwLock::new(vec![keys]),
            revoked: Mutex::default(),
            all_revoked: AtomicBool::new(false),
        }
    }

    /// Whether `bearer` may call now: known to an authority, not revoked.
    pub fn accepts(&self, bearer: &str) -> bool {
        if self.all_revoked.load(std::sync::atomic::Ordering::SeqCst) || lock(&self.revoked).contains(bearer) {
            return false;
        }
        read(&self.authorities).iter().any(|a| a.accepts(bearer))
    }
}
