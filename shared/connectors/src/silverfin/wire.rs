//! What Silverfin sends and receives, as Koppel reads it. Ids arrive as numbers (or text) and are
//! kept as text. Unknown fields are ignored; missing optional ones are `None`.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::assumptions::{
    FOLDER_ENTRY_FIELDS, FOLDER_KIND, PERIOD_END_FIELD, PERIOD_START_FIELD, REMARK_DONE_AT_FIELD, REMARK_FLAG_FIELD,
    REMARK_TEXT_FIELD, REMARK_TODO_FIELD,
};

/// `GET /user/firm` [C].
#[derive(Debug, Clone, Deserialize)]
pub struct Firm {
    #[serde(default)]
    pub name: Option<String>,
}

/// One row of `GET /companies` [C2].
#[derive(Debug, Clone, Deserialize)]
pub struct Company {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub file_code: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
}

/// One row of `GET /companies/{id}/periods` [C path; fields U, see the assumptions].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub id: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

/// A remark (note or to-do) [C2 existence; fields U except `todo`, `done_at` C].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remark {
    pub id: String,
    pub text: String,
    pub done: bool,
}

/// A period row; `None` without an id.
pub fn period(row: &Value) -> Option<Period> {
    Some(Period {
        id: id_of(row.get("id")?)?,
        start_date: row.get(PERIOD_START_FIELD).and_then(date),
        end_date: row.get(PERIOD_END_FIELD).and_then(date),
    })
}

/// A remark row; `None` without an id. A missing text reads as empty.
pub fn remark(row: &Value) -> Option<Remark> {
    Some(Remark {
        id: id_of(row.get("id")?)?,
        text: row.get(REMARK_TEXT_FIELD).and_then(Value::as_str).unwrap_or_default().to_string(),
        done: row.get(REMARK_DONE_AT_FIELD).is_some_and(|v| !v.is_null()),
    })
}

/// The body that creates a remark [U].
pub fn new_remark(text: &str, todo: bool) -> Value {
    let mut body = Map::new();
    body.insert(REMARK_TEXT_FIELD.into(), Value::from(text));
    body.insert(REMARK_TODO_FIELD.into(), Value::from(todo));
    Value::Object(body)
}

/// The body that flags a to-do remark done or open [U].
pub fn flag(done: bool) -> Value {
    let mut body = Map::new();
    body.insert(REMARK_FLAG_FIELD.into(), Value::from(done));
    Value::Object(body)
}

/// The answer to creating a permanent document: `{id, path[], name, type, …}` [C2].
#[derive(Debug, Clone, Deserialize)]
pub struct Created {
    #[serde(deserialize_with = "id")]
    pub id: String,
}

/// One entry of a permanent folder's content [U].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderEntry {
    pub id: String,
    pub name: String,
    pub is_folder: bool,
}

/// The entries of a folder answer: a bare array, or the first array among
/// [`FOLDER_ENTRY_FIELDS`] of an object [U]. Rows without an id or a name are skipped.
pub fn folder_entries(body: &Value) -> Result<Vec<FolderEntry>, String> {
    let rows = match body {
        Value::Array(rows) => rows,
        Value::Object(map) => match FOLDER_ENTRY_FIELDS.iter().find_map(|f| map.get(*f).and_then(Value::as_array)) {
            Some(rows) => rows,
            None => return Ok(Vec::new()),
        },
        _ => return Err("a permanent folder is not a JSON object or array".into()),
    };
    Ok(rows
        .iter()
        .filter_map(|row| {
            let id = id_of(row.get("id")?)?;
            let name = row.get("name")?.as_str()?.to_string();
            let is_folder =
                row.get("type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case(FOLDER_KIND));
            Some(FolderEntry { id, name, is_folder })
        })
        .collect())
}

/// A number or a non-empty string id as text.
pub fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let value = Value::deserialize(d)?;
    id_of(&value).ok_or_else(|| serde::de::Error::custom(format!("an id must be a number or text, got {value}")))
}

/// `YYYY-MM-DD`, or a timestamp starting with it; anything else is `None`.
fn date(value: &Value) -> Option<NaiveDate> {
    value.as_str().and_then(|s| s.get(..10)).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// A JSON array of `T`; a row that cannot be read is an error naming `what`.
pub fn rows<T: for<'de> Deserialize<'de>>(body: &str, what: &str) -> Result<Vec<T>, String> {
    serde_json::from_str::<Vec<T>>(body).map_err(|e| format!("{what} is not the expected JSON array: {e}"))
}

/// One JSON object of `T`.
pub fn one<T: for<'de> Deserialize<'de>>(body: &str, what: &str) -> Result<T, String> {
    serde_json::from_str::<T>(body).map_err(|e| format!("{what} is not the expected JSON object: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_dates_and_rows_are_read_leniently() {
        let companies: Result<Vec<Company>, _> =
            rows(r#"[{"id":12,"name":"Acme","file_code":"A1","extra":true},{"id":"13"}]"#, "companies");
        let companies = companies.unwrap_or_default();
        assert_eq!(companies.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec!["12", "13"]);
        assert_eq!(companies[0].file_code.as_deref(), Some("A1"));
        assert!(rows::<Company>(r#"[{"id":null}]"#, "companies").is_err());
        assert!(rows::<Company>(r#"{"id":1}"#, "companies").is_err());

        let p = period(&json!({"id":5,"start_date":"2026-01-01","end_date":"2026-12-31T00:00:00Z"}));
        assert_eq!(p.as_ref().and_then(|p| p.end_date), NaiveDate::from_ymd_opt(2026, 12, 31));
        let p = period(&json!({"id":5,"end_date":"soon"}));
        assert_eq!(p.map(|p| (p.start_date, p.end_date)), Some((None, None)));
        assert_eq!(period(&json!({"end_date":"2026-12-31"})), None);
    }

    #[test]
    fn done_state_and_folder_entries() {
        let r = remark(&json!({"id":1,"text":"x","todo":true,"done_at":null}));
        assert_eq!(r.map(|r| (r.text, r.done)), Some(("x".to_string(), false)));
        let r = remark(&json!({"id":1,"done_at":"2026-11-21T10:00:00Z"}));
        assert_eq!(r.map(|r| (r.text, r.done)), Some((String::new(), true)));
        assert_eq!(new_remark("t", true), json!({"text":"t","todo":true}));
        assert_eq!(flag(false), json!({"done":false}));

        let folder = json!({"id":0,"children":[{"id":7,"name":"a.pdf","type":"document"},{"id":8,"name":"Sub","type":"folder"},{"name":"no id"}]});
        let entries = folder_entries(&folder).unwrap_or_default();
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].id.as_str(), entries[0].is_folder, entries[1].is_folder), ("7", false, true));
        assert_eq!(folder_entries(&json!([{"id":"9","name":"b"}])).map(|e| e.len()), Ok(1));
        assert_eq!(folder_entries(&json!({"id":0})).map(|e| e.len()), Ok(0));
        assert!(folder_entries(&json!("x")).is_err());
    }
}
