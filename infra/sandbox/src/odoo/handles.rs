//! Handles for tests and tools: inject faults, read stats, and read or change a database's records
//! while the stand-in serves. Cheap to clone.

use base64::Engine;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::config::OdooKey;
use super::faults::OdooFault;
use super::model;
use super::state::Shared;
use super::stats::OdooStatsSnapshot;
use super::store::Database;
use crate::state::lock;

#[derive(Clone)]
pub struct OdooFaults {
    pub(crate) shared: Arc<Shared>,
}

impl OdooFaults {
    pub fn inject(&self, fault: OdooFault) {
        lock(&self.shared.faults).push(fault);
    }
    /// The next `count` calls answer 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limit(&self, count: u32, retry_after_secs: u64) {
        self.inject(OdooFault::rate_limit(count, retry_after_secs));
    }
    /// The next `count` calls answer `status` (500, 502, 503, …) and do nothing.
    pub fn server_error(&self, count: u32, status: u16) {
        self.inject(OdooFault::server_error(count, status));
    }
    /// The next `count` calls are answered after `delay` (real time).
    pub fn slow(&self, count: u32, delay: Duration) {
        self.inject(OdooFault::slow(count, delay));
    }
    /// The next `count` calls are carried out (stored), then the connection is cut.
    pub fn cut_after_store(&self, count: u32) {
        self.inject(OdooFault::cut_after_store(count));
    }
    /// The next `count` calls are carried out, then answered only after `delay` (real time).
    pub fn slow_after_store(&self, count: u32, delay: Duration) {
        self.inject(OdooFault::slow_after_store(count, delay));
    }
    /// The next `count` calls are refused with a 422 `UserError` saying `message`.
    pub fn user_error(&self, count: u32, message: &str) {
        self.inject(OdooFault::user_error(count, message));
    }
    /// This key stops working now (revoked or expired in Odoo): 401 "Invalid apikey".
    pub fn revoke(&self, api_key: &str) {
        lock(&self.shared.revoked).insert(api_key.to_string());
    }
    pub fn restore(&self, api_key: &str) {
        lock(&self.shared.revoked).remove(api_key);
    }
    /// Another key, accepted from now on.
    pub fn add_key(&self, key: OdooKey) {
        lock(&self.shared.keys).push(key);
    }
    pub fn clear(&self) {
        lock(&self.shared.faults).clear();
    }
    pub fn pending(&self) -> Vec<OdooFault> {
        lock(&self.shared.faults).pending()
    }
}

/// A message on a record's chatter, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub id: i64,
    pub body: String,
    pub message_type: String,
    pub subtype_id: Option<i64>,
    pub attachment_ids: Vec<i64>,
}

/// An attachment with its decoded contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAttachment {
    pub id: i64,
    pub name: String,
    pub mimetype: String,
    pub description: String,
    /// The contents (empty when the stand-in keeps no contents: `OdooConfig::keep_file_contents`).
    pub bytes: Vec<u8>,
    pub file_size: u64,
    /// SHA-256 of the contents, hex.
    pub checksum: String,
}

/// An activity (archived ones included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredActivity {
    pub id: i64,
    pub summary: String,
    pub note: String,
    pub date_deadline: String,
    pub activity_type_id: Option<i64>,
    pub res_model_id: Option<i64>,
    pub active: bool,
}

/// One database's records (the first configured one unless chosen with [`Self::database`]).
#[derive(Clone)]
pub struct OdooData {
    pub(crate) shared: Arc<Shared>,
    pub(crate) database: String,
}

impl OdooData {
    /// The same handle on another database.
    pub fn database(&self, name: &str) -> Self {
        Self { shared: self.shared.clone(), database: name.to_string() }
    }

    fn with<T>(&self, f: impl FnOnce(&Database) -> T) -> Option<T> {
        lock(&self.shared.databases).get(&self.database).map(f)
    }

    fn with_mut<T>(&self, f: impl FnOnce(&mut Database) -> T) -> Option<T> {
        lock(&self.shared.databases).get_mut(&self.database).map(f)
    }

    fn rows_on(
        &self,
        model_name: &str,
        res_model_field: &str,
        res_model: &str,
        res_id: i64,
    ) -> Vec<serde_json::Map<String, Value>> {
        self.with(|db| {
            db.table(model_name)
                .map(|t| {
                    t.rows()
                        .filter(|r| r.get(res_model_field).and_then(Value::as_str) == Some(res_model))
                        .filter(|r| r.get("res_id").and_then(Value::as_i64) == Some(res_id))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        })
        .unwrap_or_default()
    }

    /// Rows in a model's table (archived ones included).
    pub fn count(&self, model_name: &str) -> usize {
        self.with(|db| db.table(model_name).map(|t| t.len()).unwrap_or_default()).unwrap_or_default()
    }

    /// A record as stored, e.g. `row("res.partner", 1001)`.
    pub fn row(&self, model_name: &str, id: i64) -> Option<Value> {
        self.with(|db| db.table(model_name).and_then(|t| t.get(id)).cloned().map(Value::Object)).flatten()
    }

    /// Ids of a model's records in id order (archived ones included).
    pub fn ids(&self, model_name: &str) -> Vec<i64> {
        self.with(|db| {
            db.table(model_name)
                .map(|t| t.rows().filter_map(|r| r.get("id").and_then(Value::as_i64)).collect())
                .unwrap_or_default()
        })
        .unwrap_or_default()
    }

    /// Someone deletes a record in Odoo; `false` when there was none.
    pub fn remove(&self, model_name: &str, id: i64) -> bool {
        self.with_mut(|db| db.table_mut(model_name).and_then(|t| t.remove(id)).is_some()).unwrap_or(false)
    }

    /// Someone renames a contact or meeting in Odoo; `false` when there is none.
    pub fn rename(&self, model_name: &str, id: i64, name: &str) -> bool {
        self.with_mut(|db| {
            db.table_mut(model_name)
                .and_then(|t| t.get_mut(id))
                .map(|r| r.insert("name".into(), Value::from(name)))
                .is_some()
        })
        .unwrap_or(false)
    }

    /// Chatter messages on a record, oldest first.
    pub fn messages_on(&self, res_model: &str, res_id: i64) -> Vec<StoredMessage> {
        self.rows_on(model::MESSAGE, "model", res_model, res_id)
            .into_iter()
            .map(|r| StoredMessage {
                id: int(&r, "id").unwrap_or_default(),
                body: text(&r, "body"),
                message_type: text(&r, "message_type"),
                subtype_id: int(&r, "subtype_id"),
                attachment_ids: r
                    .get("attachment_ids")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_i64).collect())
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Attachments on a record, oldest first, contents decoded.
    pub fn attachments_on(&self, res_model: &str, res_id: i64) -> Vec<StoredAttachment> {
        self.rows_on(model::ATTACHMENT, "res_model", res_model, res_id)
            .into_iter()
            .map(|r| StoredAttachment {
                id: int(&r, "id").unwrap_or_default(),
                name: text(&r, "name"),
                mimetype: text(&r, "mimetype"),
                description: text(&r, "description"),
                bytes: base64::engine::general_purpose::STANDARD.decode(text(&r, "datas")).unwrap_or_default(),
                file_size: r.get("file_size").and_then(Value::as_u64).unwrap_or_default(),
                checksum: text(&r, "checksum"),
            })
            .collect()
    }

    /// Activities on a record (archived ones included), oldest first.
    pub fn activities_on(&self, res_model: &str, res_id: i64) -> Vec<StoredActivity> {
        self.rows_on(model::ACTIVITY, "res_model", res_model, res_id)
            .into_iter()
            .map(|r| StoredActivity {
                id: int(&r, "id").unwrap_or_default(),
                summary: text(&r, "summary"),
                note: text(&r, "note"),
                date_deadline: text(&r, "date_deadline"),
                activity_type_id: int(&r, "activity_type_id"),
                res_model_id: int(&r, "res_model_id"),
                active: r.get("active").and_then(Value::as_bool).unwrap_or(true),
            })
            .collect()
    }
}

fn int(r: &serde_json::Map<String, Value>, f: &str) -> Option<i64> {
    r.get(f).and_then(Value::as_i64)
}

fn text(r: &serde_json::Map<String, Value>, f: &str) -> String {
    r.get(f).and_then(Value::as_str).unwrap_or_default().to_string()
}

#[derive(Clone)]
pub struct OdooStats {
    pub(crate) shared: Arc<Shared>,
}

impl OdooStats {
    pub fn snapshot(&self) -> OdooStatsSnapshot {
        let mut changes: BTreeMap<String, super::store::Changes> = BTreeMap::new();
        for db in lock(&self.shared.databases).values() {
            for (model_name, c) in &db.changes {
                let total = changes.entry(model_name.to_string()).or_default();
                total.created += c.created;
                total.updated += c.updated;
                total.deleted += c.deleted;
            }
        }
        lock(&self.shared.stats).snapshot(changes)
    }
    pub fn reset(&self) {
        lock(&self.shared.stats).reset();
        for db in lock(&self.shared.databases).values_mut() {
            db.changes.clear();
        }
    }
}
