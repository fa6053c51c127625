//! Case-insensitive access to one JSON row, with errors that name the field.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::values;

/// Lower-cases every object key, recursively, so `ModifiedOn`, `modifiedOn` and
/// `modifiedon` read the same.
pub fn lower_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k.to_lowercase(), lower_keys(v))).collect()),
        Value::Array(items) => Value::Array(items.into_iter().map(lower_keys).collect()),
        other => other,
    }
}

/// One row whose keys are already lower case.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
}

pub type FieldResult<T> = Result<T, String>;

impl<'a> Fields<'a> {
    pub fn of(value: &'a Value) -> FieldResult<Self> {
        value.as_object().map(|map| Fields { map }).ok_or_else(|| "the row is not a JSON object".to_string())
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// Text; empty text counts as absent.
    pub fn text(&self, key: &str) -> FieldResult<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(_) => Err(format!("{key} is not text")),
        }
    }

    pub fn required_text(&self, key: &str) -> FieldResult<String> {
        self.text(key)?.ok_or_else(|| format!("{key} is missing"))
    }

    /// A code: text, or a whole number (`relatiecode` is an int in the model).
    pub fn code(&self, key: &str) -> FieldResult<Option<String>> {
        match self.get(key) {
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
            _ => self.text(key),
        }
    }

    pub fn required_code(&self, key: &str) -> FieldResult<String> {
        self.code(key)?.ok_or_else(|| format!("{key} is missing"))
    }

    pub fn flag(&self, key: &str) -> FieldResult<bool> {
        match self.get(key) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(format!("{key} is not true/false")),
        }
    }

    pub fn datetime(&self, key: &str) -> FieldResult<Option<DateTime<Utc>>> {
        match self.text(key)? {
            None => Ok(None),
            Some(s) => values::parse_datetime(&s).map(Some).ok_or_else(|| format!("{key} is not a date-time: {s:.40}")),
        }
    }

    pub fn date(&self, key: &str) -> FieldResult<Option<NaiveDate>> {
        match self.text(key)? {
            None => Ok(None),
            Some(s) => values::parse_date(&s).map(Some).ok_or_else(|| format!("{key} is not a date: {s:.40}")),
        }
    }

    pub fn required_date(&self, key: &str) -> FieldResult<NaiveDate> {
        self.date(key)?.ok_or_else(|| format!("{key} is missing"))
    }

    /// A decimal amount (number, or number as text) in cents.
    pub fn required_cents(&self, key: &str) -> FieldResult<i64> {
        let text = match self.get(key) {
            None => return Err(format!("{key} is missing")),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(format!("{key} is not an amount")),
        };
        values::decimal_to_cents(&text).ok_or_else(|| format!("{key} is not an amount: {text:.40}"))
    }

    /// The `id` of a reference object such as `relatie: {"id": "…"}`.
    pub fn reference_id(&self, key: &str) -> FieldResult<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Fields::of(v)?.text("id"),
            Some(_) => Err(format!("{key} is not a reference object")),
        }
    }

    /// A nested object's fields, if present.
    pub fn object(&self, key: &str) -> FieldResult<Option<Fields<'a>>> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Fields::of(v).map(Some),
            Some(_) => Err(format!("{key} is not an object")),
        }
    }

    /// Strings of an array, or of one comma-separated string (how some serialisers print
    /// .NET flag enums).
    pub fn string_list(&self, key: &str) -> FieldResult<Vec<String>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => {
                Ok(s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect())
            }
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string).ok_or_else(|| format!("{key} holds a non-text entry")))
                .collect(),
            Some(_) => Err(format!("{key} is not a list")),
        }
    }
}
