//! The models the stand-in serves and their fields, and one in-memory table per model: rows are
//! JSON objects, ids count up per table, searches filter with a [`Domain`] and sort by `order`.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

use super::domain::Domain;
use super::error::OdooError;

pub type Row = Map<String, Value>;

/// A model; rows with `active: false` are archived (hidden unless `context.active_test` is false).
pub struct ModelSpec {
    pub name: &'static str,
    /// Stored fields (writable unless listed in `computed`), `id` excluded.
    pub fields: &'static [&'static str],
    /// Read-only fields the stand-in computes.
    pub computed: &'static [&'static str],
    /// many2one fields: read back as `[id, "display name"]` [C].
    pub many2one: &'static [(&'static str, &'static str)],
    /// Inherits `mail.thread`: accepts `message_post`.
    pub chatter: bool,
}

pub const PARTNER: &str = "res.partner";
pub const EVENT: &str = "calendar.event";
pub const MESSAGE: &str = "mail.message";
pub const ATTACHMENT: &str = "ir.attachment";
pub const ACTIVITY: &str = "mail.activity";
pub const IR_MODEL: &str = "ir.model";
pub const ACTIVITY_TYPE: &str = "mail.activity.type";
pub const SUBTYPE: &str = "mail.message.subtype";
pub const USERS: &str = "res.users";

pub const MODELS: &[ModelSpec] = &[
    ModelSpec {
        name: PARTNER,
        fields: &["name", "email", "vat", "is_company", "phone", "city", "active"],
        computed: &["display_name"],
        many2one: &[],
        chatter: true,
    },
    ModelSpec {
        name: EVENT,
        fields: &["name", "start", "stop", "allday", "partner_ids", "user_id", "description", "location", "active"],
        computed: &["display_name"],
        many2one: &[("user_id", USERS)],
        chatter: true,
    },
    ModelSpec {
        name: MESSAGE,
        fields: &[
            "model",
            "res_id",
            "body",
            "subject",
            "message_type",
            "subtype_id",
            "author_id",
            "attachment_ids",
            "date",
        ],
        computed: &["display_name"],
        many2one: &[("subtype_id", SUBTYPE), ("author_id", PARTNER)],
        chatter: false,
    },
    ModelSpec {
        name: ATTACHMENT,
        fields: &["name", "datas", "mimetype", "res_model", "res_id", "description", "type"],
        computed: &["display_name", "file_size", "checksum"],
        many2one: &[],
        chatter: false,
    },
    ModelSpec {
        name: ACTIVITY,
        fields: &[
            "res_model_id",
            "res_id",
            "activity_type_id",
            "summary",
            "note",
            "date_deadline",
            "user_id",
            "active",
        ],
        computed: &["display_name", "res_model"],
        many2one: &[("res_model_id", IR_MODEL), ("activity_type_id", ACTIVITY_TYPE), ("user_id", USERS)],
        chatter: false,
    },
    ModelSpec {
        name: IR_MODEL,
        fields: &["model", "name"],
        computed: &["display_name"],
        many2one: &[],
        chatter: false,
    },
    ModelSpec {
        name: ACTIVITY_TYPE,
        fields: &["name", "category"],
        computed: &["display_name"],
        many2one: &[],
        chatter: false,
    },
    ModelSpec { name: SUBTYPE, fields: &["name"], computed: &["display_name"], many2one: &[], chatter: false },
    ModelSpec {
        name: USERS,
        fields: &["name", "login", "partner_id"],
        computed: &["display_name"],
        many2one: &[("partner_id", PARTNER)],
        chatter: false,
    },
];

pub fn spec(model: &str) -> Option<&'static ModelSpec> {
    MODELS.iter().find(|m| m.name == model)
}

impl ModelSpec {
    pub fn readable(&self, field: &str) -> bool {
        field == "id" || self.fields.contains(&field) || self.computed.contains(&field)
    }

    /// Refuses a field the model does not have, as Odoo does (a `ValueError`: HTTP 500).
    pub fn check_readable<'a>(&self, fields: impl IntoIterator<Item = &'a str>) -> Result<(), OdooError> {
        for f in fields {
            if !self.readable(f) {
                return Err(OdooError::value(format!("Invalid field {f:?} on model {:?}", self.name)));
            }
        }
        Ok(())
    }

    pub fn check_writable<'a>(&self, fields: impl IntoIterator<Item = &'a String>) -> Result<(), OdooError> {
        for f in fields {
            if !self.fields.contains(&f.as_str()) {
                return Err(OdooError::value(format!("Invalid field {f:?} on model {:?}", self.name)));
            }
        }
        Ok(())
    }
}

/// `"name asc, id desc"` → `[("name", false), ("id", true)]` (true = descending).
pub fn parse_order(order: Option<&str>, spec: &ModelSpec) -> Result<Vec<(String, bool)>, OdooError> {
    let Some(order) = order.map(str::trim).filter(|o| !o.is_empty()) else {
        return Ok(vec![("id".into(), false)]);
    };
    let mut keys = Vec::new();
    for part in order.split(',') {
        let mut words = part.split_whitespace();
        let field = words.next().unwrap_or_default().to_string();
        let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(OdooError::value(format!("Invalid \"order\" specified ({order})"))),
        };
        if !spec.readable(&field) || words.next().is_some() {
            return Err(OdooError::value(format!("Invalid \"order\" specified ({order})")));
        }
        keys.push((field, desc));
    }
    Ok(keys)
}

#[derive(Debug, Default, Clone)]
pub struct Table {
    rows: BTreeMap<i64, Row>,
    next_id: i64,
}

impl Table {
    pub fn starting_at(first_id: i64) -> Self {
        Self { rows: BTreeMap::new(), next_id: first_id }
    }

    pub fn insert(&mut self, mut row: Row) -> i64 {
        let id = self.next_id.max(1);
        self.next_id = id + 1;
        row.insert("id".into(), Value::from(id));
        self.rows.insert(id, row);
        id
    }

    /// A row with a fixed id (technical rows whose ids tests know).
    pub fn insert_at(&mut self, id: i64, mut row: Row) {
        row.insert("id".into(), Value::from(id));
        self.rows.insert(id, row);
        self.next_id = self.next_id.max(id + 1);
    }

    pub fn get(&self, id: i64) -> Option<&Row> {
        self.rows.get(&id)
    }

    pub fn get_mut(&mut self, id: i64) -> Option<&mut Row> {
        self.rows.get_mut(&id)
    }

    pub fn remove(&mut self, id: i64) -> Option<Row> {
        self.rows.remove(&id)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.values()
    }

    /// Ids matching `domain` (archived rows only when `active_test` is off or the domain names
    /// `active`), sorted by `order`, then `offset` / `limit`.
    pub fn search(
        &self,
        domain: &Domain,
        active_test: bool,
        order: &[(String, bool)],
        offset: usize,
        limit: Option<usize>,
    ) -> Vec<i64> {
        let hide_archived = active_test && !domain.mentions("active");
        let mut hits: Vec<&Row> = self
            .rows
            .values()
            .filter(|r| !hide_archived || r.get("active").and_then(Value::as_bool).unwrap_or(true))
            .filter(|r| domain.matches(r))
            .collect();
        if order != [("id".to_string(), false)] {
            hits.sort_by(|a, b| {
                order
                    .iter()
                    .map(|(f, desc)| {
                        let o = sort_key(a.get(f)).cmp(&sort_key(b.get(f)));
                        if *desc { o.reverse() } else { o }
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        let ids = hits.into_iter().filter_map(|r| r.get("id").and_then(Value::as_i64)).skip(offset);
        match limit {
            Some(n) => ids.take(n).collect(),
            None => ids.collect(),
        }
    }
}

/// Unset first, then numbers, then text (case-insensitive).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Unset,
    Number(i64),
    Text(String),
}

fn sort_key(v: Option<&Value>) -> SortKey {
    match v {
        Some(Value::Number(n)) => SortKey::Number(n.as_i64().unwrap_or_default()),
        Some(Value::String(s)) => SortKey::Text(s.to_lowercase()),
        Some(Value::Bool(true)) => SortKey::Number(1),
        _ => SortKey::Unset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> Row {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn search_filters_sorts_and_pages() {
        let mut t = Table::starting_at(10);
        for (name, active) in [("b", true), ("A", true), ("c", false), ("a", true)] {
            t.insert(row(json!({"name": name, "active": active})));
        }
        let Some(spec) = spec(PARTNER) else { panic!("partner spec") };
        let order = parse_order(Some("name asc, id desc"), spec).unwrap_or_default();
        assert_eq!(t.search(&Domain::All, true, &order, 0, None), vec![13, 11, 10]);
        assert_eq!(t.search(&Domain::All, false, &order, 1, Some(2)), vec![11, 10]);
        let archived = Domain::parse(Some(&json!([["active", "=", false]]))).unwrap_or(Domain::All);
        assert_eq!(t.search(&archived, true, &order, 0, None), vec![12]);
        assert!(parse_order(Some("nope asc"), spec).is_err());
        assert!(parse_order(Some("name sideways"), spec).is_err());
    }
}
