//! The state every request and every handle shares. Locks are never held across an await.

use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, RwLock};

use super::config::FlexmailConfig;
use super::generate;
use super::limiter::Limiter;
use super::stats::Stats;
use super::store::Store;
use crate::faults::FaultQueue;

pub struct Shared {
    pub config: FlexmailConfig,
    pub store: RwLock<Store>,
    pub faults: Mutex<FaultQueue>,
    pub stats: Mutex<Stats>,
    pub limiter: Mutex<Limiter>,
    /// Set when the token was revoked: every call answers 401 until it is restored.
    pub token_revoked: AtomicBool,
    /// For webhook deliveries.
    pub http: reqwest::Client,
}

impl Shared {
    pub fn new(config: FlexmailConfig) -> Self {
        let store = generate::store(config.seed, config.contacts);
        let limiter = Limiter::new(config.rate_limit_per_minute, config.rate_window);
        let http = reqwest::Client::builder()
            .timeout(config.webhook_timeout)
            .user_agent("Flexmail-Webhooks (koppel sandbox)")
            .build()
            .unwrap_or_default();
        Self {
            config,
            store: RwLock::new(store),
            faults: Mutex::default(),
            stats: Mutex::default(),
            limiter: Mutex::new(limiter),
            token_revoked: AtomicBool::new(false),
            http,
        }
    }
}
