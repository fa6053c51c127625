//! HAL list answers: `{"total": N, "limit": L, "offset": O, "_embedded": {"item": [...]}}`.
//! `_embedded` is left out when the list is empty (S FM-3); that is zero rows, not an error.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct HalList {
    pub items: Vec<Value>,
    /// The top-level `total`, when the answer has one (not-paged lists may not).
    pub total: Option<u64>,
}

/// Reads a list answer; `Err` says what is wrong with it (for a `Parse` error).
pub fn read_list(body: Option<Value>) -> Result<HalList, String> {
    let Some(Value::Object(mut map)) = body else {
        return Err("the list answer is not a JSON object".into());
    };
    let total = match map.get("total") {
        None | Some(Value::Null) => None,
        Some(value) => Some(value.as_u64().ok_or("`total` is not a whole number")?),
    };
    let items = match map.remove("_embedded") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(mut embedded)) => match embedded.remove("item") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => return Err("`_embedded.item` is not an array".into()),
        },
        Some(_) => return Err("`_embedded` is not an object".into()),
    };
    Ok(HalList { items, total })
}

/// A JSON id (number or string) as text; `None` when absent, empty or another type.
pub fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// A string field, trimmed; `None` when absent, null, empty or not a string.
pub fn text(row: &Value, key: &str) -> Option<String> {
    row.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_items_and_total() {
        let list = read_list(Some(json!({"total": 3, "_embedded": {"item": [{"id": 1}, {"id": 2}]}})));
        assert_eq!(list, Ok(HalList { items: vec![json!({"id": 1}), json!({"id": 2})], total: Some(3) }));
    }

    #[test]
    fn missing_embedded_is_empty() {
        assert_eq!(read_list(Some(json!({"total": 0, "_links": {}}))), Ok(HalList { items: vec![], total: Some(0) }));
        assert_eq!(read_list(Some(json!({"_embedded": {}}))), Ok(HalList { items: vec![], total: None }));
    }

    #[test]
    fn refuses_other_shapes() {
        for body in [
            None,
            Some(json!([])),
            Some(json!({"total": "many"})),
            Some(json!({"_embedded": []})),
            Some(json!({"_embedded": {"item": {}}})),
        ] {
            assert!(read_list(body.clone()).is_err(), "{body:?}");
        }
    }

    #[test]
    fn ids_and_texts() {
        assert_eq!(id_text(Some(&json!(12))), Some("12".into()));
        assert_eq!(id_text(Some(&json!(" ab "))), Some("ab".into()));
        assert_eq!(id_text(Some(&json!(""))), None);
        assert_eq!(id_text(Some(&json!(null))), None);
        assert_eq!(id_text(None), None);
        assert_eq!(text(&json!({"a": " x "}), "a"), Some("x".into()));
        assert_eq!(text(&json!({"a": 1}), "a"), None);
    }
}
