//! One Odoo database in memory: a [`Table`] per model and the generic ORM calls (`search`,
//! `read`, `create`, `write`, `unlink`) with the checks Odoo makes on the models Koppel writes:
//! required fields, base64 `datas`, an activity's model and record, dates.

use base64::Engine;
use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

use super::config::BOT_UID;
use super::domain::Domain;
use super::error::OdooError;
use super::generate::{self, TODO_TYPE_ID};
use super::model::{self, ModelSpec, Row, Table};

/// What changed per model since the stats were last reset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Changes {
    pub created: u64,
    pub updated: u64,
    pub deleted: u64,
}

pub struct Database {
    tables: BTreeMap<&'static str, Table>,
    pub changes: BTreeMap<&'static str, Changes>,
    /// Off: an attachment keeps its size and checksum, not its contents.
    pub keep_file_contents: bool,
}

impl Database {
    pub fn generate(seed: u64, partners: usize, events: usize, around: chrono::DateTime<Utc>) -> Self {
        let tables = generate::tables(seed, partners, events, around).into_iter().collect();
        Self { tables, changes: BTreeMap::new(), keep_file_contents: true }
    }

    pub fn table(&self, model: &str) -> Option<&Table> {
        self.tables.get(model)
    }

    pub fn table_mut(&mut self, model: &str) -> Option<&mut Table> {
        self.tables.get_mut(model)
    }

    fn table_of(&self, spec: &ModelSpec) -> Result<&Table, OdooError> {
        self.tables
            .get(spec.name)
            .ok_or_else(|| OdooError::not_found(format!("the model {:?} does not exist", spec.name)))
    }

    fn table_of_mut(&mut self, spec: &ModelSpec) -> Result<&mut Table, OdooError> {
        self.tables
            .get_mut(spec.name)
            .ok_or_else(|| OdooError::not_found(format!("the model {:?} does not exist", spec.name)))
    }

    pub fn changed(&mut self, model: &'static str, change: impl FnOnce(&mut Changes)) {
        change(self.changes.entry(model).or_default());
    }

    pub fn search(
        &self,
        spec: &ModelSpec,
        domain: &Domain,
        active_test: bool,
        order: &[(String, bool)],
        offset: usize,
        limit: Option<usize>,
    ) -> Result<Vec<i64>, OdooError> {
        spec.check_readable(domain.fields())?;
        Ok(self.table_of(spec)?.search(domain, active_test, order, offset, limit))
    }

    /// Rows as Odoo reads them: `id` first, unset fields `false`, many2one as `[id, name]`.
    /// A missing id is a `MissingError`.
    pub fn read(&self, spec: &ModelSpec, ids: &[i64], fields: Option<&[String]>) -> Result<Vec<Value>, OdooError> {
        if let Some(fields) = fields {
            spec.check_readable(fields.iter().map(String::as_str))?;
        }
        let table = self.table_of(spec)?;
        let missing: Vec<i64> = ids.iter().copied().filter(|id| table.get(*id).is_none()).collect();
        if !missing.is_empty() {
            return Err(OdooError::missing(spec.name, &missing, BOT_UID));
        }
        let all: Vec<String> = spec.fields.iter().chain(spec.computed).map(|f| f.to_string()).collect();
        let wanted = fields.filter(|f| !f.is_empty()).unwrap_or(&all);
        Ok(ids.iter().filter_map(|id| table.get(*id)).map(|row| self.shape(spec, row, wanted)).collect())
    }

    fn shape(&self, spec: &ModelSpec, row: &Row, fields: &[String]) -> Value {
        let mut out = serde_json::Map::new();
        out.insert("id".into(), row.get("id").cloned().unwrap_or(Value::Bool(false)));
        for f in fields.iter().filter(|f| *f != "id") {
            let value = match f.as_str() {
                "display_name" => row
                    .get("name")
                    .or_else(|| row.get("summary"))
                    .cloned()
                    .filter(|v| v.is_string())
                    .unwrap_or_else(|| json!(format!("{},{}", spec.name, row.get("id").unwrap_or(&Value::Null)))),
                _ => match (row.get(f), spec.many2one.iter().find(|(m, _)| m == f)) {
                    (Some(Value::Number(id)), Some((_, target))) => {
                        let id = id.as_i64().unwrap_or_default();
                        let name = self
                            .table(target)
                            .and_then(|t| t.get(id))
                            .and_then(|r| r.get("name"))
                            .and_then(Value::as_str)
                            .map_or_else(|| format!("{target},{id}"), str::to_string);
                        json!([id, name])
                    }
                    (Some(v), _) if !v.is_null() => v.clone(),
                    _ => Value::Bool(false),
                },
            };
            out.insert(f.clone(), value);
        }
        Value::Object(out)
    }

    pub fn create(&mut self, spec: &'static ModelSpec, vals: Row, uid: i64) -> Result<i64, OdooError> {
        spec.check_writable(vals.keys())?;
        let row = match spec.name {
            model::ATTACHMENT => attachment(vals, self.keep_file_contents)?,
            model::ACTIVITY => self.activity(vals, uid)?,
            _ => vals,
        };
        let id = self.table_of_mut(spec)?.insert(row);
        self.changed(spec.name, |c| c.created += 1);
        Ok(id)
    }

    pub fn write(&mut self, spec: &'static ModelSpec, ids: &[i64], vals: Row) -> Result<(), OdooError> {
        spec.check_writable(vals.keys())?;
        let mut vals = vals;
        if spec.name == model::ATTACHMENT && vals.contains_key("datas") {
            vals = contents(vals, self.keep_file_contents)?;
        }
        if spec.name == model::ACTIVITY {
            if let Some(d) = vals.get("date_deadline") {
                check_date(d)?;
            }
            if let Some(m) = vals.get("res_model_id") {
                let name = self.model_name(m)?;
                vals.insert("res_model".into(), json!(name));
            }
        }
        let table = self.table_of_mut(spec)?;
        let missing: Vec<i64> = ids.iter().copied().filter(|id| table.get(*id).is_none()).collect();
        if !missing.is_empty() {
            return Err(OdooError::missing(spec.name, &missing, BOT_UID));
        }
        for id in ids {
            if let Some(row) = table.get_mut(*id) {
                row.extend(vals.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        self.changed(spec.name, |c| c.updated += ids.len() as u64);
        Ok(())
    }

    pub fn unlink(&mut self, spec: &'static ModelSpec, ids: &[i64]) -> Result<(), OdooError> {
        let table = self.table_of_mut(spec)?;
        let missing: Vec<i64> = ids.iter().copied().filter(|id| table.get(*id).is_none()).collect();
        if !missing.is_empty() {
            return Err(OdooError::missing(spec.name, &missing, BOT_UID));
        }
        for id in ids {
            table.remove(*id);
        }
        self.changed(spec.name, |c| c.deleted += ids.len() as u64);
        Ok(())
    }

    /// Whether `model(id)` exists (archived rows included).
    pub fn exists(&self, model: &str, id: i64) -> bool {
        self.table(model).is_some_and(|t| t.get(id).is_some())
    }

    fn model_name(&self, model_id: &Value) -> Result<String, OdooError> {
        let id = model_id.as_i64().ok_or_else(|| OdooError::value(format!("res_model_id: {model_id} is not an id")))?;
        self.table(model::IR_MODEL)
            .and_then(|t| t.get(id))
            .and_then(|r| r.get("model"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| OdooError::missing(model::IR_MODEL, &[id], BOT_UID))
    }

    /// `mail.activity.create`: `res_model_id` and `res_id` required and the record must exist;
    /// type, deadline (today), user and `active` get Odoo's defaults.
    fn activity(&self, mut vals: Row, uid: i64) -> Result<Row, OdooError> {
        let model_name = match vals.get("res_model_id") {
            Some(v) if !matches!(v, Value::Bool(false) | Value::Null) => self.model_name(v)?,
            _ => return Err(mandatory("mail.activity", "res_model_id")),
        };
        let res_id = vals.get("res_id").and_then(Value::as_i64).ok_or_else(|| mandatory("mail.activity", "res_id"))?;
        if !self.exists(&model_name, res_id) {
            return Err(OdooError::missing(&model_name, &[res_id], uid));
        }
        let type_id = vals.get("activity_type_id").and_then(Value::as_i64).unwrap_or(TODO_TYPE_ID);
        if !self.exists(model::ACTIVITY_TYPE, type_id) {
            return Err(OdooError::missing(model::ACTIVITY_TYPE, &[type_id], uid));
        }
        match vals.get("date_deadline") {
            Some(d) => check_date(d)?,
            None => {
                vals.insert("date_deadline".into(), json!(Utc::now().date_naive().format("%Y-%m-%d").to_string()));
            }
        }
        vals.insert("res_model".into(), json!(model_name));
        vals.insert("activity_type_id".into(), json!(type_id));
        vals.entry("user_id").or_insert(json!(uid));
        vals.entry("active").or_insert(json!(true));
        Ok(vals)
    }
}

fn mandatory(model: &str, field: &str) -> OdooError {
    OdooError::user_error(format!(
        "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Model: {model}, Field: {field}"
    ))
}

/// `ir.attachment.create`: a name, base64 `datas`, `type` binary by default, `file_size` and
/// `checksum` computed.
fn attachment(mut vals: Row, keep: bool) -> Result<Row, OdooError> {
    if vals.get("name").and_then(Value::as_str).is_none_or(|s| s.trim().is_empty()) {
        return Err(mandatory("ir.attachment", "name"));
    }
    vals.entry("type").or_insert(json!("binary"));
    contents(vals, keep)
}

/// Checks `datas` is base64 and sets `file_size` and `checksum` (SHA-256 here; SHA-1 in Odoo);
/// without `keep` the contents themselves are dropped.
fn contents(mut vals: Row, keep: bool) -> Result<Row, OdooError> {
    let bytes = match vals.get("datas") {
        None | Some(Value::Bool(false)) | Some(Value::Null) => vec![],
        Some(Value::String(s)) => base64::engine::general_purpose::STANDARD
            .decode(s.as_bytes())
            .map_err(|e| OdooError::value(format!("datas is not base64: {e}")))?,
        Some(other) => return Err(OdooError::value(format!("datas must be base64 text, got {other}"))),
    };
    vals.insert("file_size".into(), json!(bytes.len()));
    vals.insert(
        "checksum".into(),
        json!(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>()),
    );
    if !keep {
        vals.insert("datas".into(), json!(false));
    }
    Ok(vals)
}

fn check_date(value: &Value) -> Result<(), OdooError> {
    match value.as_str().map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d")) {
        Some(Ok(_)) => Ok(()),
        _ => Err(OdooError::value(format!("time data {value} does not match format '%Y-%m-%d'"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(v: Value) -> Row {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn attachments_keep_size_and_checksum_and_contents_only_when_asked() {
        let Some(spec) = model::spec(model::ATTACHMENT) else { panic!("spec") };
        for keep in [true, false] {
            let mut db = Database::generate(1, 2, 1, Utc::now());
            db.keep_file_contents = keep;
            let id = db.create(spec, vals(json!({"name": "a.pdf", "datas": "Zm9vYmFy"})), BOT_UID);
            let row = id.ok().and_then(|id| db.table(model::ATTACHMENT).and_then(|t| t.get(id)).cloned());
            let Some(row) = row else { panic!("stored") };
            assert_eq!(row["file_size"], json!(6));
            assert_eq!(row["checksum"], json!("c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2"));
            assert_eq!(row["datas"], if keep { json!("Zm9vYmFy") } else { json!(false) });
        }
        let mut db = Database::generate(1, 2, 1, Utc::now());
        assert!(db.create(spec, vals(json!({"name": "a", "datas": "%%%"})), BOT_UID).is_err());
        assert!(db.create(spec, vals(json!({"datas": "Zm9v"})), BOT_UID).is_err_and(|e| e.status == 422));
        assert!(db.create(spec, vals(json!({"name": "a", "bogus": 1})), BOT_UID).is_err_and(|e| e.status == 500));
    }

    #[test]
    fn activities_need_an_existing_record() {
        let Some(spec) = model::spec(model::ACTIVITY) else { panic!("spec") };
        let mut db = Database::generate(1, 2, 1, Utc::now());
        let ok = db.create(spec, vals(json!({"res_model_id": generate::PARTNER_MODEL_ID, "res_id": 1001})), BOT_UID);
        let row = ok.ok().and_then(|id| db.table(model::ACTIVITY).and_then(|t| t.get(id)).cloned());
        assert!(
            row.is_some_and(|r| r["res_model"] == json!("res.partner") && r["activity_type_id"] == json!(TODO_TYPE_ID))
        );
        let gone = db.create(spec, vals(json!({"res_model_id": generate::PARTNER_MODEL_ID, "res_id": 999})), BOT_UID);
        assert!(gone.is_err_and(|e| e.status == 404 && e.name.ends_with("MissingError")));
        let bad_date = json!({"res_model_id": generate::PARTNER_MODEL_ID, "res_id": 1001, "date_deadline": "1/2/2026"});
        assert!(db.create(spec, vals(bad_date), BOT_UID).is_err());
    }
}
