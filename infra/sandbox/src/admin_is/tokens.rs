//! Issued tokens: a GUID each, valid until its `TimeToLive`; all of them can be expired at once.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use crate::rng::{Stream, guid_text};

#[derive(Debug, Default)]
pub struct Tokens {
    valid_until: HashMap<String, DateTime<Utc>>,
    issued: Vec<String>,
}

impl Tokens {
    /// A new token valid until `until`; `n` makes it unique (the count of token calls).
    pub fn issue(&mut self, seed: u64, n: u64, until: DateTime<Utc>) -> String {
        let token = guid_text(Stream::new(seed, 401, n).guid());
        self.valid_until.insert(token.clone(), until);
        self.issued.push(token.clone());
        token
    }

    pub fn is_valid(&self, token: &str, now: DateTime<Utc>) -> bool {
        self.valid_until.get(token.trim()).is_some_and(|until| now < *until)
    }

    /// Every token stops working now (they stay known, so a test can look for them in logs).
    pub fn expire_all(&mut self) {
        self.valid_until.clear();
    }

    /// Every token issued so far, expired ones included.
    pub fn issued(&self) -> Vec<String> {
        self.issued.clone()
    }
}
