//! The state every request and every handle shares. Locks are never held across an await.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use super::config::FidManagerConfig;
use super::stats::{PushStats, StallQueue};
use super::store::Store;
use crate::faults::FaultQueue;
use crate::state::lock;

pub struct Shared {
    pub config: FidManagerConfig,
    pub store: RwLock<Store>,
    pub faults: Mutex<FaultQueue>,
    pub stalls: Mutex<StallQueue>,
    pub stats: Mutex<PushStats>,
    /// Session tokens issued, with their end (on the config's clock).
    pub sessions: Mutex<HashMap<String, DateTime<Utc>>>,
    /// The last 1,000 session tokens issued (tests assert none reaches a log).
    pub issued: Mutex<Vec<String>>,
}

impl Shared {
    pub fn new(config: FidManagerConfig) -> Self {
        let store = Store::generate(config.seed, config.clients);
        Self {
            config,
            store: RwLock::new(store),
            faults: Mutex::default(),
            stalls: Mutex::default(),
            stats: Mutex::default(),
            sessions: Mutex::default(),
            issued: Mutex::default(),
        }
    }

    /// Whether the three sign-in fields match a configured user and partner code:
    /// `Err(true)` for a wrong partner code, `Err(false)` for a wrong user name or password.
    pub fn check_sign_in(&self, username: &str, password: &str, partner_code: &str) -> Result<(), bool> {
        let user_ok = self.config.users.iter().any(|u| u.username == username && u.password == password);
        if !user_ok {
            return Err(false);
        }
        if !self.config.partner_codes.iter().any(|c| c == partner_code) {
            return Err(true);
        }
        Ok(())
    }

    /// A new session token, valid for the configured lifetime.
    pub fn issue_session(&self) -> String {
        let token = format!("fid-session-{:032x}", rand::random::<u128>());
        let ttl = chrono::Duration::from_std(self.config.session_ttl).unwrap_or_default();
        let mut sessions = lock(&self.sessions);
        let now = self.config.clock.now();
        sessions.retain(|_, end| *end > now);
        sessions.insert(token.clone(), now + ttl);
        drop(sessions);
        let mut issued = lock(&self.issued);
        if issued.len() >= 1_000 {
            issued.remove(0);
        }
        issued.push(token.clone());
        token
    }

    pub fn session_valid(&self, token: &str) -> bool {
        let now = self.config.clock.now();
        lock(&self.sessions).get(token).is_some_and(|end| *end > now)
    }

    /// Every session ends now (Fid-Manager signed everyone out): 401 until signed in again.
    pub fn expire_sessions(&self) {
        lock(&self.sessions).clear();
    }
}
