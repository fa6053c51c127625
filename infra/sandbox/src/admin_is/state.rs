//! The state every request and every handle shares. Locks are never held across an await.

use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Mutex, RwLock};

use super::config::AdminIsConfig;
use super::faults::Queue;
use super::limiter::Limiter;
use super::stats::Stats;
use super::store::Store;
use super::tokens::Tokens;

pub struct Shared {
    pub config: AdminIsConfig,
    pub store: RwLock<Store>,
    pub faults: Mutex<Queue>,
    pub stats: Mutex<Stats>,
    pub tokens: Mutex<Tokens>,
    pub limiter: Mutex<Limiter>,
    /// Whether the software is set active for the office (no token otherwise).
    pub vendor_active: AtomicBool,
    /// When set, `link` headers point to this host instead of the one asked (a misconfigured or
    /// hostile server, for tests).
    pub link_host: Mutex<Option<String>>,
    /// Counts issued tokens (each token is unique).
    pub token_serial: AtomicU64,
}

impl Shared {
    pub fn new(config: AdminIsConfig) -> Self {
        let store = Store::generate(config.seed, config.customers, config.clock.now());
        let limiter = Limiter::new(config.enforce_rate_limit.then_some(config.rate_limit));
        Self {
            vendor_active: AtomicBool::new(config.vendor_active),
            config,
            store: RwLock::new(store),
            faults: Mutex::default(),
            stats: Mutex::default(),
            tokens: Mutex::default(),
            limiter: Mutex::new(limiter),
            link_host: Mutex::new(None),
            token_serial: AtomicU64::new(0),
        }
    }
}
