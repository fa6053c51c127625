//! One pass over the platform's contacts before sending: which addresses are shared by more
//! than one contact that would be sent (those are not sent), and which addresses exist at all
//! (opt-in creates only what the platform lacks). Addresses are kept as 64-bit digests, so
//! 100,000 contacts cost a few megabytes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::AppError;
use crate::domain::contact::{Contact, looks_like_email};
use crate::platform::contacts;
use crate::ports::ItemStore;

const PAGE: usize = 500;

pub fn digest(email_key: &str) -> u64 {
    let mut h = DefaultHasher::new();
    email_key.hash(&mut h);
    h.finish()
}

/// Would this contact be sent at all (before the duplicate check)?
pub fn eligible(c: &Contact) -> bool {
    c.active && c.newsletter && c.email.as_deref().is_some_and(looks_like_email)
}

#[derive(Debug, Default)]
pub struct Census {
    eligible: HashMap<u64, u32>,
    all: HashSet<u64>,
    pub contacts: u64,
}

impl Census {
    pub async fn take(store: &dyn ItemStore, tenant: &str) -> Result<Self, AppError> {
        let mut census = Census::default();
        let mut token: Option<String> = None;
        loop {
            let (page, next) = contacts::page(store, tenant, PAGE, token.as_deref()).await?;
            for c in &page {
                census.contacts += 1;
                if let Some(e) = c.email_key() {
                    let d = digest(&e);
                    census.all.insert(d);
                    if eligible(c) {
                        *census.eligible.entry(d).or_default() += 1;
                    }
                }
            }
            match next {
                Some(t) => token = Some(t),
                None => return Ok(census),
            }
        }
    }

    pub fn is_duplicate(&self, email_key: &str) -> bool {
        self.eligible.get(&digest(email_key)).is_some_and(|n| *n > 1)
    }

    pub fn duplicate_addresses(&self) -> u64 {
        self.eligible.values().filter(|n| **n > 1).count() as u64
    }

    pub fn knows(&self, email_key: &str) -> bool {
        self.all.contains(&digest(email_key))
    }

    pub fn add(&mut self, email_key: &str) {
        self.all.insert(digest(email_key));
    }

    /// Each shared address with the contacts that share it (a second pass, only when there are any).
    pub async fn duplicates(
        &self,
        store: &dyn ItemStore,
        tenant: &str,
    ) -> Result<BTreeMap<String, Vec<String>>, AppError> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if self.duplicate_addresses() == 0 {
            return Ok(out);
        }
        let mut token: Option<String> = None;
        loop {
            let (page, next) = contacts::page(store, tenant, PAGE, token.as_deref()).await?;
            for c in page.iter().filter(|c| eligible(c)) {
                if let Some(e) = c.email_key().filter(|e| self.is_duplicate(e)) {
                    out.entry(e).or_default().push(c.label());
                }
            }
            match next {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }
}
