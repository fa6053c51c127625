//! Odoo search domains, as far as the stand-in serves them: leaves `[field, operator, value]`
//! with `=`, `!=`, `ilike`, `not ilike`, `in`, `not in`, `<`, `<=`, `>`, `>=`, and the prefix
//! operators `&`, `|`, `!` (consecutive terms are and-ed) [C: Odoo's Polish-notation domains].
//! A list field (many2many) matches `=` / `in` when it contains the value. `false` is "unset".

use serde_json::Value;

use super::error::OdooError;

#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    All,
    Leaf { field: String, op: Op, value: Value },
    And(Box<Domain>, Box<Domain>),
    Or(Box<Domain>, Box<Domain>),
    Not(Box<Domain>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Ilike,
    NotIlike,
    In,
    NotIn,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Domain {
    /// Parses a JSON domain (`[]` or absent: everything).
    pub fn parse(value: Option<&Value>) -> Result<Self, OdooError> {
        let terms = match value {
            None | Some(Value::Null) => return Ok(Domain::All),
            Some(Value::Array(terms)) => terms,
            Some(other) => return Err(OdooError::value(format!("Invalid domain: {other}"))),
        };
        let mut rest = terms.as_slice();
        let mut parsed = Vec::new();
        while !rest.is_empty() {
            let (term, after) = parse_term(rest)?;
            parsed.push(term);
            rest = after;
        }
        Ok(parsed.into_iter().reduce(|a, b| Domain::And(Box::new(a), Box::new(b))).unwrap_or(Domain::All))
    }

    /// Whether the domain names `field` (a search on `active` turns the active test off).
    pub fn mentions(&self, name: &str) -> bool {
        match self {
            Domain::All => false,
            Domain::Leaf { field, .. } => field == name,
            Domain::And(a, b) | Domain::Or(a, b) => a.mentions(name) || b.mentions(name),
            Domain::Not(a) => a.mentions(name),
        }
    }

    pub fn matches(&self, row: &serde_json::Map<String, Value>) -> bool {
        match self {
            Domain::All => true,
            Domain::Leaf { field, op, value } => leaf(row.get(field).unwrap_or(&Value::Bool(false)), *op, value),
            Domain::And(a, b) => a.matches(row) && b.matches(row),
            Domain::Or(a, b) => a.matches(row) || b.matches(row),
            Domain::Not(a) => !a.matches(row),
        }
    }

    /// Every field a leaf names (checked against the model's fields).
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Domain::All => vec![],
            Domain::Leaf { field, .. } => vec![field.as_str()],
            Domain::And(a, b) | Domain::Or(a, b) => [a.fields(), b.fields()].concat(),
            Domain::Not(a) => a.fields(),
        }
    }
}

fn parse_term(terms: &[Value]) -> Result<(Domain, &[Value]), OdooError> {
    let Some((first, rest)) = terms.split_first() else {
        return Err(OdooError::value("Invalid domain: an operator lacks its operands".into()));
    };
    match first {
        Value::String(op) if op == "&" || op == "|" => {
            let (a, rest) = parse_term(rest)?;
            let (b, rest) = parse_term(rest)?;
            let node =
                if op == "&" { Domain::And(Box::new(a), Box::new(b)) } else { Domain::Or(Box::new(a), Box::new(b)) };
            Ok((node, rest))
        }
        Value::String(op) if op == "!" => {
            let (a, rest) = parse_term(rest)?;
            Ok((Domain::Not(Box::new(a)), rest))
        }
        Value::Array(leaf) if leaf.len() == 3 => {
            let field = leaf[0].as_str().ok_or_else(|| invalid(first))?.to_string();
            let op = match leaf[1].as_str().map(str::to_ascii_lowercase).as_deref() {
                Some("=") | Some("==") => Op::Eq,
                Some("!=") | Some("<>") => Op::Ne,
                Some("ilike") => Op::Ilike,
                Some("not ilike") => Op::NotIlike,
                Some("in") => Op::In,
                Some("not in") => Op::NotIn,
                Some("<") => Op::Lt,
                Some("<=") => Op::Le,
                Some(">") => Op::Gt,
                Some(">=") => Op::Ge,
                _ => return Err(invalid(first)),
            };
            if matches!(op, Op::In | Op::NotIn) && !leaf[2].is_array() {
                return Err(invalid(first));
            }
            Ok((Domain::Leaf { field, op, value: leaf[2].clone() }, rest))
        }
        other => Err(invalid(other)),
    }
}

fn invalid(term: &Value) -> OdooError {
    OdooError::value(format!("Invalid leaf {term}"))
}

fn leaf(actual: &Value, op: Op, expected: &Value) -> bool {
    match op {
        Op::Eq => equal(actual, expected),
        Op::Ne => !equal(actual, expected),
        Op::Ilike => ilike(actual, expected),
        Op::NotIlike => !ilike(actual, expected),
        Op::In => expected.as_array().is_some_and(|list| list.iter().any(|v| equal(actual, v))),
        Op::NotIn => !expected.as_array().is_some_and(|list| list.iter().any(|v| equal(actual, v))),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => match compare(actual, expected) {
            Some(ordering) => match op {
                Op::Lt => ordering.is_lt(),
                Op::Le => ordering.is_le(),
                Op::Gt => ordering.is_gt(),
                _ => ordering.is_ge(),
            },
            None => false,
        },
    }
}

/// Numbers compare as numbers; a list (many2many) contains the value; a many2one `[id, name]`
/// compares by id.
fn equal(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Array(items), v) if !v.is_array() => match items.as_slice() {
            [Value::Number(id), Value::String(_)] => equal(&Value::Number(id.clone()), v),
            _ => items.iter().any(|i| equal(i, v)),
        },
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Null, Value::Bool(false)) | (Value::Bool(false), Value::Null) => true,
        (a, b) => a == b,
    }
}

fn compare(actual: &Value, expected: &Value) -> Option<std::cmp::Ordering> {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => Some(a.as_str().cmp(b.as_str())),
        _ => None,
    }
}

/// Odoo wraps the value in `%…%`; `%` and `_` inside it are wildcards too.
fn ilike(actual: &Value, pattern: &Value) -> bool {
    let text = match actual {
        Value::String(s) => s.to_lowercase(),
        Value::Number(n) => n.to_string(),
        _ => return false,
    };
    let Some(pattern) = pattern.as_str() else { return false };
    let pattern: Vec<char> = format!("%{}%", pattern.to_lowercase()).chars().collect();
    let text: Vec<char> = text.chars().collect();
    like(&text, &pattern)
}

/// Iterative LIKE matching with backtracking on the last `%`.
fn like(text: &[char], pattern: &[char]) -> bool {
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '_' || pattern[p] == text[t]) {
            t += 1;
            p += 1;
        } else if p < pattern.len() && pattern[p] == '%' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '%')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> serde_json::Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn hit(domain: Value, r: &serde_json::Map<String, Value>) -> bool {
        match Domain::parse(Some(&domain)) {
            Ok(d) => d.matches(r),
            Err(e) => panic!("{domain}: {e:?}"),
        }
    }

    #[test]
    fn leaves_and_operators() {
        let r = row(
            json!({"id": 5, "name": "Bakkerij Peeters", "vat": false, "partner_ids": [1, 2], "start": "2026-03-02 09:00:00", "user_id": [2, "Bot"]}),
        );
        assert!(hit(json!([]), &r));
        assert!(hit(json!([["id", "=", 5]]), &r));
        assert!(hit(json!([["name", "ilike", "peet"]]), &r));
        assert!(hit(json!([["name", "ilike", "%kerij%ee%"]]), &r));
        assert!(hit(json!([["name", "ilike", "bakker_j"]]), &r));
        assert!(!hit(json!([["name", "ilike", "janssens"]]), &r));
        assert!(!hit(json!([["vat", "ilike", "BE"]]), &r), "unset never matches ilike");
        assert!(hit(json!([["vat", "=", false]]), &r));
        assert!(hit(json!([["id", "in", [4, 5]]]), &r));
        assert!(hit(json!([["partner_ids", "in", [2, 9]]]), &r));
        assert!(hit(json!([["partner_ids", "=", 1]]), &r));
        assert!(hit(json!([["user_id", "=", 2]]), &r));
        assert!(hit(json!([["start", ">=", "2026-03-01 00:00:00"]]), &r));
        assert!(!hit(json!([["start", "<", "2026-03-01 00:00:00"]]), &r));
        assert!(hit(json!(["|", ["name", "ilike", "x"], ["id", "=", 5]]), &r));
        assert!(!hit(json!([["name", "ilike", "x"], ["id", "=", 5]]), &r), "implicit and");
        assert!(hit(json!(["!", ["id", "=", 6]]), &r));
        assert!(hit(json!(["|", "|", ["name", "ilike", "x"], ["vat", "ilike", "y"], ["id", "!=", 6]]), &r));
    }

    #[test]
    fn bad_domains_are_refused() {
        for bad in [
            json!("x"),
            json!(["|", ["a", "=", 1]]),
            json!([["a", "~", 1]]),
            json!([["a", "in", 1]]),
            json!([["a", "="]]),
        ] {
            assert!(Domain::parse(Some(&bad)).is_err(), "{bad}");
        }
        let d = Domain::parse(Some(&json!(["|", ["active", "=", false], ["name", "=", "x"]])));
        assert!(d.is_ok_and(|d| d.mentions("active") && d.fields() == vec!["active", "name"]));
    }
}
