//! Sync priority between connections that feed the same platform customer.
//!
//! `Customer.field_sources[field]` names the connection that last wrote the field. A connection
//! may write a field when nobody is recorded for it, when it is the recorded writer itself, or
//! when its priority is the same as or better (a lower number) than the recorded writer's. A
//! connection without a priority loses to every numbered one; two without one are equal. Equal
//! priorities: the last writer wins. A recorded writer that no longer exists claims nothing.

use std::collections::HashMap;

use crate::domain::connection::Connection;
use crate::ports::ItemStore;
use crate::{AppError, keys, repo};

/// Whether a writer with priority `writer` may overwrite a field recorded for one with `recorded`.
pub fn may_overwrite(writer: Option<u32>, recorded: Option<u32>) -> bool {
    match (writer, recorded) {
        (Some(w), Some(r)) => w <= r,
        (None, Some(_)) => false,
        (_, None) => true,
    }
}

/// The writing connection's priority and, loaded lazily and kept for one page, the priorities
/// of the connections recorded as writers.
#[derive(Debug, Clone)]
pub struct Priorities {
    writer: String,
    own: Option<u32>,
    known: HashMap<String, Option<u32>>,
}

impl Priorities {
    pub fn for_connection(conn: &Connection) -> Self {
        Self::new(conn.id.clone(), conn.link.as_ref().and_then(|l| l.priority))
    }

    /// The writer `writer` with priority `own` (`None`: no priority).
    pub fn new(writer: impl Into<String>, own: Option<u32>) -> Self {
        Self { writer: writer.into(), own, known: HashMap::new() }
    }

    /// Records the priority of another connection (what [`Priorities::learn`] loads).
    pub fn know(&mut self, connection: impl Into<String>, priority: Option<u32>) {
        self.known.insert(connection.into(), priority);
    }

    /// The writing connection's id (what `field_sources` records for its writes).
    pub fn writer(&self) -> &str {
        &self.writer
    }

    /// Loads the priorities of the connections among `ids` not seen yet on this page, in one
    /// batch read. Connections that no longer exist count as having no claim.
    pub async fn learn<'a>(
        &mut self,
        store: &dyn ItemStore,
        tenant: &str,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), AppError> {
        let pk = keys::tenant(tenant);
        let mut wanted: Vec<String> = Vec::new();
        for id in ids {
            if id != self.writer && !self.known.contains_key(id) && !wanted.iter().any(|w| w == id) {
                wanted.push(id.to_string());
            }
        }
        for chunk in wanted.chunks(100) {
            let keys: Vec<(String, String)> = chunk.iter().map(|id| (pk.clone(), keys::connection_sk(id))).collect();
            for item in store.batch_get(&keys).await? {
                let conn: Connection = repo::decode(&item)?;
                self.known.insert(conn.id.clone(), conn.link.as_ref().and_then(|l| l.priority));
            }
            for id in chunk {
                self.known.entry(id.clone()).or_insert(None);
            }
        }
        Ok(())
    }

    /// Whether the writer may write a field whose recorded writer is `recorded` (learn it first;
    /// an unlearnt writer counts as having no claim).
    pub fn may_write(&self, recorded: Option<&str>) -> bool {
        match recorded {
            None => true,
            Some(id) if id == self.writer => true,
            Some(id) => may_overwrite(self.own, self.known.get(id).copied().flatten()),
        }
    }

    /// How many other connections' priorities are known (loaded) on this page.
    pub fn loaded(&self) -> usize {
        self.known.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_priority_table() {
        assert!(may_overwrite(Some(1), Some(2)), "better wins");
        assert!(may_overwrite(Some(2), Some(2)), "equal: last writer wins");
        assert!(!may_overwrite(Some(2), Some(1)), "worse loses");
        assert!(may_overwrite(Some(5), None), "numbered beats none");
        assert!(!may_overwrite(None, Some(9)), "none loses to numbered");
        assert!(may_overwrite(None, None), "none vs none: last writer wins");
    }

    #[test]
    fn recorded_writers() {
        let mut p = Priorities::new("c2", Some(2));
        p.know("c1", Some(1));
        p.know("c3", Some(3));
        p.know("gone", None);
        assert!(p.may_write(None));
        assert!(p.may_write(Some("c2")), "its own field");
        assert!(!p.may_write(Some("c1")));
        assert!(p.may_write(Some("c3")));
        assert!(p.may_write(Some("gone")));
    }
}
