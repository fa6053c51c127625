//! Brokercloud's wire format: the DataTables list answer, parties, files and the upload answer.
//! Every field name comes from [`super::assumptions`]; answers are read leniently (ids as
//! numbers or text, unknown fields ignored).

use koppel_core::ports::meeting::Target;
use serde_json::{Map, Value};

use super::assumptions::{
    CITY_FIELD, DATA_FIELD, FILE_DESCRIPTION_FIELD, FILTERED_FIELD, FIRST_NAME_FIELD, ID_FIELD, LAST_NAME_FIELD,
    NAME_FIELDS, NUMBER_FIELD, PREFIX_FIELD, SUFFIX_FIELD, TOTAL_FIELD,
};

/// One page of a DataTables list.
#[derive(Debug, Clone, PartialEq)]
pub struct TablePage {
    pub rows: Vec<Map<String, Value>>,
    /// `recordsFiltered` (after the search), else `recordsTotal`.
    pub filtered: Option<u64>,
    pub total: Option<u64>,
}

/// `{draw, recordsTotal, recordsFiltered, data: [...]}`; rows that are not objects are skipped.
pub fn parse_table(body: &str) -> Result<TablePage, String> {
    let value: Value = serde_json::from_str(body).map_err(|_| "the list is not JSON".to_string())?;
    let Value::Object(mut map) = value else {
        return Err("the list is not a JSON object".to_string());
    };
    let total = map.get(TOTAL_FIELD).and_then(Value::as_u64);
    let filtered = map.get(FILTERED_FIELD).and_then(Value::as_u64).or(total);
    let Some(Value::Array(rows)) = map.remove(DATA_FIELD) else {
        return Err(format!("the list has no {DATA_FIELD} array"));
    };
    let rows = rows
        .into_iter()
        .filter_map(|r| match r {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .collect();
    Ok(TablePage { rows, filtered, total })
}

fn text(row: &Map<String, Value>, field: &str) -> Option<String> {
    match row.get(field)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An id as text (`42` and `"42"` alike).
pub fn id_of(row: &Map<String, Value>) -> Option<String> {
    text(row, ID_FIELD)
}

/// The party reference as Brokercloud shows it: `A21/1` = prefix `A`, number 21, suffix 1 [C].
pub fn reference(row: &Map<String, Value>) -> Option<String> {
    let number = text(row, NUMBER_FIELD)?;
    let prefix = text(row, PREFIX_FIELD).unwrap_or_default();
    Some(match text(row, SUFFIX_FIELD) {
        Some(suffix) => format!("{prefix}{number}/{suffix}"),
        None => format!("{prefix}{number}"),
    })
}

/// A party row → a picker entry (`None` without an id).
pub fn party(row: &Map<String, Value>) -> Option<Target> {
    let id = id_of(row)?;
    let reference = reference(row);
    let person = [text(row, FIRST_NAME_FIELD), text(row, LAST_NAME_FIELD)].into_iter().flatten().collect::<Vec<_>>();
    let name = NAME_FIELDS
        .iter()
        .find_map(|f| text(row, f))
        .or_else(|| (!person.is_empty()).then(|| person.join(" ")))
        .or_else(|| reference.clone())
        .unwrap_or_else(|| format!("Party {id}"));
    let detail: Vec<String> = [reference, text(row, CITY_FIELD)].into_iter().flatten().collect();
    let detail = (!detail.is_empty()).then(|| detail.join(" · "));
    Some(Target { kind: "party".into(), id, name, detail })
}

/// A file's id and description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub id: String,
    pub description: String,
}

pub fn file(row: &Map<String, Value>) -> Option<FileRow> {
    Some(FileRow { id: id_of(row)?, description: text(row, FILE_DESCRIPTION_FIELD).unwrap_or_default() })
}

/// The upload answer: the file itself, or `{"data": file}`.
pub fn parse_created(body: &str) -> Result<FileRow, String> {
    let value: Value = serde_json::from_str(body).map_err(|_| "the upload answer is not JSON".to_string())?;
    let direct = value.as_object().and_then(file);
    let wrapped = || value.get(DATA_FIELD).and_then(Value::as_object).and_then(file);
    direct.or_else(wrapped).ok_or_else(|| format!("the upload answer has no {ID_FIELD}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn tables() {
        let page = parse_table(r#"{"draw":1,"recordsTotal":400,"recordsFiltered":12,"data":[{"id":1},7]}"#);
        assert_eq!(page.map(|p| (p.rows.len(), p.filtered, p.total)), Ok((1, Some(12), Some(400))));
        let page = parse_table(r#"{"recordsTotal":3,"data":[]}"#);
        assert_eq!(page.map(|p| p.filtered), Ok(Some(3)));
        for bad in ["[]", r#"{"rows":[]}"#, "nope"] {
            assert!(parse_table(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parties() {
        let p = party(&row(json!({"id":21,"prefix":"A","number":21,"suffix":1,"name":"Peeters NV","city":"Gent"})));
        assert_eq!(
            p.map(|p| (p.id, p.name, p.detail)),
            Some(("21".into(), "Peeters NV".into(), Some("A21/1 · Gent".into())))
        );
        let p = party(&row(json!({"id":"x","number":"7","first_name":"An","last_name":"Maes"})));
        assert_eq!(p.map(|p| (p.name, p.detail)), Some(("An Maes".into(), Some("7".into()))));
        let p = party(&row(json!({"id":3,"prefix":"B","number":3})));
        assert_eq!(p.map(|p| p.name), Some("B3".into()));
        assert_eq!(party(&row(json!({"name":"no id"}))), None);
    }

    #[test]
    fn upload_answers() {
        let plain = parse_created(r#"{"id":5,"filename":"a.pdf","description":"d"}"#);
        assert_eq!(plain, Ok(FileRow { id: "5".into(), description: "d".into() }));
        let wrapped = parse_created(r#"{"data":{"id":"f-6"}}"#);
        assert_eq!(wrapped.map(|f| f.id), Ok("f-6".into()));
        assert!(parse_created(r#"{"ok":true}"#).is_err());
    }
}
