//! Time and identifiers, injectable for tests.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Wait (the newsletter engine waits for its per-minute call budget). Test clocks advance
    /// their time instead of sleeping.
    async fn sleep(&self, d: Duration) {
        tokio::time::sleep(d).await;
    }
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

pub trait IdGen: Send + Sync {
    /// A new sortable unique id (ULID text).
    fn new_id(&self) -> String;
}

pub struct UlidGen;

impl IdGen for UlidGen {
    fn new_id(&self) -> String {
        ulid::Ulid::new().to_string()
    }
}
