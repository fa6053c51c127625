//! The state every request and every handle shares. Locks are never held across an await.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

use super::config::{OdooConfig, OdooKey};
use super::faults::FaultQueue;
use super::stats::Stats;
use super::store::Database;
use crate::state::lock;

pub struct Shared {
    pub config: OdooConfig,
    pub databases: Mutex<BTreeMap<String, Database>>,
    pub keys: Mutex<Vec<OdooKey>>,
    /// Keys revoked (or expired) on demand: 401 until restored.
    pub revoked: Mutex<HashSet<String>>,
    pub faults: Mutex<FaultQueue>,
    pub stats: Mutex<Stats>,
}

impl Shared {
    pub fn new(config: OdooConfig) -> Self {
        let databases = config
            .databases
            .iter()
            .enumerate()
            .map(|(n, name)| {
                let seed = config.seed.wrapping_add(n as u64);
                let mut db = Database::generate(seed, config.partners, config.events, config.events_around);
                db.keep_file_contents = config.keep_file_contents;
                (name.clone(), db)
            })
            .collect();
        let keys = config.keys.clone();
        Self {
            config,
            databases: Mutex::new(databases),
            keys: Mutex::new(keys),
            revoked: Mutex::default(),
            faults: Mutex::default(),
            stats: Mutex::default(),
        }
    }

    /// Whether `key` is a valid, unrevoked key of `database`.
    pub fn accepts(&self, database: &str, key: &str) -> bool {
        !lock(&self.revoked).contains(key)
            && lock(&self.keys).iter().any(|k| k.api_key == key && k.database == database)
    }

    /// The database a call names (`X-Odoo-Database`), or the only one when it names none.
    pub fn database_for(&self, header: Option<&str>) -> Option<String> {
        let dbs = lock(&self.databases);
        match header.map(str::trim).filter(|h| !h.is_empty()) {
            Some(name) => dbs.contains_key(name).then(|| name.to_string()),
            None if dbs.len() == 1 => dbs.keys().next().cloned(),
            None => None,
        }
    }

    pub fn first_database(&self) -> String {
        self.config.databases.first().cloned().unwrap_or_default()
    }
}
