//! Time and identifiers, injectable for tests.

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
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
