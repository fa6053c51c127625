//! Bearer tokens the sandbox issued, with their expiry; "expire all now" for tests.

use std::collections::HashMap;
use std::time::{Duration, Instant};

const HISTORY: usize = 1_000;

#[derive(Debug, Default)]
pub struct TokenStore {
    issued: HashMap<String, Instant>,
    /// The last tokens issued, expired ones included (a test hook: tests assert that no
    /// token reaches a log line).
    history: Vec<String>,
}

impl TokenStore {
    pub fn issue(&mut self, ttl: Duration) -> String {
        let now = Instant::now();
        self.issued.retain(|_, expires| *expires > now);
        let token: String = (0..4).map(|_| format!("{:016x}", rand::random::<u64>())).collect();
        self.issued.insert(token.clone(), now + ttl);
        if self.history.len() == HISTORY {
            self.history.remove(0);
        }
        self.history.push(token.clone());
        token
    }

    pub fn history(&self) -> Vec<String> {
        self.history.clone()
    }

    pub fn is_valid(&self, token: &str) -> bool {
        self.issued.get(token).is_some_and(|expires| *expires > Instant::now())
    }

    pub fn expire_all(&mut self) {
        self.issued.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_check_expire() {
        let mut store = TokenStore::default();
        let a = store.issue(Duration::from_secs(60));
        let b = store.issue(Duration::ZERO);
        assert_ne!(a, b);
        assert!(store.is_valid(&a));
        assert!(!store.is_valid(&b), "zero ttl is expired at once");
        assert!(!store.is_valid("made-up"));
        store.expire_all();
        assert!(!store.is_valid(&a));
        assert_eq!(store.history(), vec![a, b]);
    }
}
