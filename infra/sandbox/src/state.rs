//! The state every request and every handle shares. Locks are never held across an await;
//! a poisoned lock is used as it is (the sandbox must keep answering).

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::config::SandboxConfig;
use crate::data::DataSet;
use crate::faults::FaultQueue;
use crate::stats::Stats;
use crate::tokens::TokenStore;

pub struct Shared {
    pub config: SandboxConfig,
    pub data: RwLock<DataSet>,
    pub faults: Mutex<FaultQueue>,
    pub stats: Mutex<Stats>,
    pub tokens: Mutex<TokenStore>,
    /// Faults that hit a relatie write after it was stored (see [`AfterStore`]).
    pub after_store: Mutex<VecDeque<AfterStore>>,
}

/// What the next relatie write (POST or PUT) does after storing the change: the client sees
/// an error or no answer in time, yet the change is there — the case where sending a POST again
/// would create a second relatie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AfterStore {
    /// Answer this 5xx status.
    ServerError { status: u16 },
    /// Answer normally, but only after this delay (longer than the client's timeout).
    Slow { delay_ms: u64 },
}

impl Shared {
    pub fn new(config: SandboxConfig) -> Self {
        let data = DataSet::generate(config.seed, config.customers, config.invoices);
        Self {
            config,
            data: RwLock::new(data),
            faults: Mutex::default(),
            stats: Mutex::default(),
            tokens: Mutex::default(),
            after_store: Mutex::default(),
        }
    }
}

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|e| e.into_inner())
}

pub fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|e| e.into_inner())
}
