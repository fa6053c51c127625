//! The state every request and every handle shares. Locks are never held across an await.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use super::config::SilverfinConfig;
use super::faults::FaultQueue;
use super::stats::Stats;
use super::store::Store;
use crate::bearer::{BearerAuthority, StaticKeys};
use crate::state::{lock, read};

/// Why a bearer is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Unknown,
    Expired,
    Revoked,
}

pub struct Shared {
    pub config: SilverfinConfig,
    pub store: RwLock<Store>,
    pub faults: Mutex<FaultQueue>,
    pub stats: Mutex<Stats>,
    /// Who says which bearers are valid: the configured tokens, then any added authority.
    pub authorities: RwLock<Vec<Arc<dyn BearerAuthority>>>,
    /// Tokens expired on demand: 401 "The access token expired".
    pub expired: Mutex<HashSet<String>>,
    /// Tokens withdrawn on demand: 401 "The access token was revoked".
    pub revoked: Mutex<HashSet<String>>,
    /// Every bearer answers 401 (expired) until restored.
    pub all_expired: AtomicBool,
}

impl Shared {
    pub fn new(config: SilverfinConfig) -> Self {
        let store = Store::generate(&config);
        let tokens: Arc<dyn BearerAuthority> = Arc::new(StaticKeys(config.access_tokens.clone()));
        Self {
            config,
            store: RwLock::new(store),
            faults: Mutex::default(),
            stats: Mutex::default(),
            authorities: RwLock::new(vec![tokens]),
            expired: Mutex::default(),
            revoked: Mutex::default(),
            all_expired: AtomicBool::new(false),
        }
    }

    /// `Ok` when `bearer` may call now.
    pub fn check(&self, bearer: Option<&str>) -> Result<(), Refusal> {
        let Some(bearer) = bearer else { return Err(Refusal::Missing) };
        if lock(&self.revoked).contains(bearer) {
            return Err(Refusal::Revoked);
        }
        if self.all_expired.load(Ordering::SeqCst) || lock(&self.expired).contains(bearer) {
            return Err(Refusal::Expired);
        }
        if read(&self.authorities).iter().any(|a| a.accepts(bearer)) { Ok(()) } else { Err(Refusal::Unknown) }
    }
}
