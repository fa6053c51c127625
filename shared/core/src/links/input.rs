//! The body of `PUT /connections/{id}/link-rules`, read part by part so that every problem is
//! reported at once: unknown keys (a typo would otherwise be ignored silently) and values of
//! the wrong shape, each under its path (`fields[2].direction`).

use serde_json::{Map, Value};

use crate::domain::link_rules::{FieldRule, LinkRules, Visibility};
use crate::domain::settings_input::FieldProblem;

const TOP_KEYS: [&str; 3] = ["visibility", "fields", "priority"];
const RULE_KEYS: [&str; 5] = ["field", "direction", "default_value", "list_values", "order"];
const VISIBILITY_KEYS: [&str; 3] = ["kind", "users", "groups"];

/// The request body as sent, read by [`parse`] (so that unknown keys and every shape problem
/// are reported, not just serde's first).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(transparent)]
pub struct LinkRulesBody(pub Value);

/// What could be read, where each rule stood in the body, and what could not be read.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rules: LinkRules,
    /// `positions[i]`: the index in the body's `fields` of `rules.fields[i]`.
    pub positions: Vec<usize>,
    pub problems: Vec<FieldProblem>,
}

pub fn parse(body: &Value) -> Parsed {
    let mut out = Parsed::default();
    let Some(top) = body.as_object() else {
        out.problems.push(FieldProblem::new(
            "body",
            "send a JSON object: {\"visibility\": {...}, \"fields\": [...], \"priority\": 1}",
        ));
        return out;
    };
    unknown_keys(top, &TOP_KEYS, "", &mut out.problems);
    if let Some(v) = top.get("visibility").filter(|v| !v.is_null()) {
        out.rules.visibility = read_visibility(v, &mut out.problems);
    }
    match top.get("fields") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if let Some(rule) = read_rule(i, item, &mut out.problems) {
                    out.rules.fields.push(rule);
                    out.positions.push(i);
                }
            }
        }
        Some(_) => out.problems.push(FieldProblem::new("fields", "send a list of field rules: [{\"field\": ...}]")),
    }
    match top.get("priority") {
        None | Some(Value::Null) => {}
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(p) => out.rules.priority = Some(p),
            None => out.problems.push(FieldProblem::new(
                "priority",
                format!("{v} is not a priority; send a whole number from 1 (wins) upwards, or leave it out"),
            )),
        },
    }
    out
}

fn read_visibility(v: &Value, problems: &mut Vec<FieldProblem>) -> Visibility {
    if let Some(map) = v.as_object() {
        unknown_keys(map, &VISIBILITY_KEYS, "visibility.", problems);
    }
    serde_json::from_value(v.clone()).unwrap_or_else(|e| {
        problems.push(FieldProblem::new(
            "visibility",
            format!(
                "{e}; send {{\"kind\": \"all_users\"}} or {{\"kind\": \"named\", \"users\": [...], \"groups\": [...]}}"
            ),
        ));
        Visibility::default()
    })
}

fn read_rule(i: usize, item: &Value, problems: &mut Vec<FieldProblem>) -> Option<FieldRule> {
    let path = format!("fields[{i}]");
    let Some(map) = item.as_object() else {
        problems.push(FieldProblem::new(&path, "send an object: {\"field\": \"email\", \"direction\": \"both\"}"));
        return None;
    };
    unknown_keys(map, &RULE_KEYS, &format!("{path}."), problems);
    match serde_json::from_value::<FieldRule>(item.clone()) {
        Ok(rule) => Some(rule),
        Err(e) => {
            let hint = if e.to_string().contains("variant") {
                "; direction is one of to_platform, to_provider, both, off"
            } else {
                ""
            };
            problems.push(FieldProblem::new(&path, format!("{e}{hint}")));
            None
        }
    }
}

fn unknown_keys(map: &Map<String, Value>, known: &[&str], prefix: &str, problems: &mut Vec<FieldProblem>) {
    for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
        problems.push(FieldProblem::new(
            &format!("{prefix}{key}"),
            format!("unknown key {key:?}; the known keys here are {}", known.join(", ")),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_unreadable_part_is_reported_and_the_rest_is_kept() {
        let body = json!({
            "priorty": 1,
            "priority": -2,
            "visibility": {"kind": "some"},
            "fields": [
                {"field": "email", "direction": "both"},
                {"field": "phone", "direction": "sideways"},
                {"field": "city", "direction": "off", "colour": "red"},
                "name"
            ]
        });
        let p = parse(&body);
        let fields: Vec<&str> = p.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["priorty", "visibility", "fields[1]", "fields[2].colour", "fields[3]", "priority"]);
        assert!(p.problems[2].message.contains("to_platform, to_provider, both, off"), "{:?}", p.problems[2]);
        assert_eq!(p.positions, [0, 2]);
        assert_eq!(p.rules.fields.len(), 2);
    }

    #[test]
    fn a_valid_body_reads_whole() {
        let body = json!({
            "visibility": {"kind": "named", "users": ["u1"], "groups": []},
            "fields": [{"field": "city", "direction": "to_platform", "list_values": {"A'dam": "Amsterdam"}, "order": 3}],
            "priority": 2
        });
        let p = parse(&body);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.rules.priority, Some(2));
        assert_eq!(p.rules.fields[0].list_values.get("A'dam").map(String::as_str), Some("Amsterdam"));
        assert!(matches!(p.rules.visibility, Visibility::Named { ref users, .. } if users == &["u1".to_string()]));
    }

    #[test]
    fn not_an_object() {
        assert_eq!(parse(&json!([1])).problems[0].field, "body");
    }
}
