//! Odoo's JSON-2 answers as Koppel reads them. An unset field comes as `false` [C], so text
//! fields are [`OdooText`].

use serde::Deserialize;
use serde_json::Value;

/// A text field: a string, or `false`/`null` when unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OdooText(pub Option<String>);

impl OdooText {
    /// The trimmed text, `None` when unset or blank.
    pub fn text(&self) -> Option<String> {
        self.0.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
    }
}

impl<'de> Deserialize<'de> for OdooText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => OdooText(Some(s)),
            Value::Number(n) => OdooText(Some(n.to_string())),
            _ => OdooText(None),
        })
    }
}

/// `res.partner/search_read` with `["name", "email", "vat", "is_company"]`.
#[derive(Debug, Clone, Deserialize)]
pub struct PartnerRow {
    pub id: i64,
    #[serde(default)]
    pub name: OdooText,
    #[serde(default)]
    pub email: OdooText,
    #[serde(default)]
    pub vat: OdooText,
}

/// `calendar.event/search_read` with `["name", "start"]`.
#[derive(Debug, Clone, Deserialize)]
pub struct EventRow {
    pub id: i64,
    #[serde(default)]
    pub name: OdooText,
    #[serde(default)]
    pub start: OdooText,
}

/// Any `search_read` row when only the id matters.
#[derive(Debug, Clone, Deserialize)]
pub struct IdRow {
    pub id: i64,
}

/// `mail.activity` as `find` and `revise` read it.
#[derive(Debug, Clone, Deserialize)]
pub struct ActivityRow {
    pub id: i64,
    /// Absent on an Odoo without archived activities: then an activity that exists is open.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// `GET /web/version` [C].
#[derive(Debug, Clone, Deserialize)]
pub struct Version {
    #[serde(default)]
    pub version: OdooText,
}

/// The rows of a `search_read` answer; anything but a list of objects with an `id` is a parse error.
pub fn rows<T: for<'de> Deserialize<'de>>(value: Value, call: &str) -> Result<Vec<T>, super::errors::Failure> {
    serde_json::from_value(value)
        .map_err(|e| super::errors::Failure::Error(super::errors::parse_error(&format!("{call}: {e}"))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unset_text_is_false() {
        let row: Result<PartnerRow, _> =
            serde_json::from_value(json!({"id": 1, "name": "A", "email": false, "vat": null}));
        let row = row.ok();
        assert_eq!(row.as_ref().and_then(|r| r.name.text()), Some("A".into()));
        assert_eq!(row.as_ref().and_then(|r| r.email.text()), None);
        assert_eq!(row.and_then(|r| r.vat.text()), None);
        let a: Option<ActivityRow> = serde_json::from_value(json!({"id": 3})).ok();
        assert_eq!(a.map(|a| (a.id, a.active)), Some((3, true)));
        assert!(rows::<IdRow>(json!({"id": 1}), "x").is_err());
        assert_eq!(rows::<IdRow>(json!([{"id": 4}]), "x").map(|r| r.len()).ok(), Some(1));
    }
}
