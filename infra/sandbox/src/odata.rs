//! The OData subset the sandbox understands: `$top` (≤ 500), `$skip`, and `$filter` as
//! `Field op literal [and …]` with `gt ge lt le eq` on `ModifiedOn` (and `factuurdatum` on
//! invoices), datetime literals unquoted ISO-8601. Anything else is a 400 with a SnelStart
//! style body, never a panic.

use serde_json::{Value, json};

use crate::dotnet;

/// The documented default (and the sandbox's maximum) for `$top`.
pub const MAX_TOP: u64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ModifiedOn,
    InvoiceDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cmp {
    pub field: Field,
    pub op: Op,
    pub ms: i64,
}

impl Cmp {
    pub fn holds(&self, value: i64) -> bool {
        match self.op {
            Op::Gt => value > self.ms,
            Op::Ge => value >= self.ms,
            Op::Lt => value < self.ms,
            Op::Le => value <= self.ms,
            Op::Eq => value == self.ms,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub filter: Vec<Cmp>,
    pub top: u64,
    pub skip: u64,
}

/// A 400 answer: which of the §1.12 body shapes, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// Variant B: `{"modelState": {"$top": ["…"]}}`.
    ModelState { key: &'static str, message: String },
    /// Variant C: `{"message": "…"}`.
    Message(String),
    /// Variant A: `[{"errorCode": "…", "message": "…"}]`.
    Coded { code: &'static str, message: String },
}

impl QueryError {
    pub fn body(&self) -> Value {
        match self {
            QueryError::ModelState { key, message } => json!({"modelState": {*key: [message]}}),
            QueryError::Message(message) => json!({"message": message}),
            QueryError::Coded { code, message } => json!([{"errorCode": code, "message": message}]),
        }
    }
}

/// `model` names the resource in messages (`RelatieModel`); `allows_invoice_date` says
/// whether `factuurdatum` exists on it.
pub fn parse(raw_query: &str, model: &str, allows_invoice_date: bool) -> Result<ListQuery, QueryError> {
    let mut query = ListQuery { filter: Vec::new(), top: MAX_TOP, skip: 0 };
    for (key, value) in pairs(raw_query) {
        match key.as_str() {
            "$top" => {
                query.top = number("$top", &value)?;
                if query.top > MAX_TOP {
                    return Err(QueryError::ModelState {
                        key: "$top",
                        message: format!(
                            "The limit of '{MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '{value}'."
                        ),
                    });
                }
            }
            "$skip" => query.skip = number("$skip", &value)?,
            "$filter" => query.filter = filter(&value, model, allows_invoice_date)?,
            "$orderby" | "$select" | "$expand" | "$apply" | "$count" => {
                return Err(QueryError::Message(format!("The query option '{key}' is not supported by the sandbox.")));
            }
            _ => {}
        }
    }
    Ok(query)
}

fn number(key: &'static str, value: &str) -> Result<u64, QueryError> {
    value
        .trim()
        .parse::<u64>()
        .map_err(|_| QueryError::ModelState { key, message: format!("The value '{value}' is not valid for {key}.") })
}

fn filter(text: &str, model: &str, allows_invoice_date: bool) -> Result<Vec<Cmp>, QueryError> {
    let invalid = |why: String| QueryError::Message(format!("The query specified in the URI is not valid. {why}"));
    let tokens: Vec<&str> = text.split_whitespace().collect();
    if tokens.is_empty() {
        return Err(invalid("The $filter is empty.".into()));
    }
    let mut out = Vec::new();
    let mut rest = tokens.as_slice();
    loop {
        let [field, op, literal, tail @ ..] = rest else {
            return Err(invalid(format!("Syntax error at position {} in '{text}'.", text.len())));
        };
        let field = match field.to_ascii_lowercase().as_str() {
            "modifiedon" => Field::ModifiedOn,
            "factuurdatum" if allows_invoice_date => Field::InvoiceDate,
            _ => {
                return Err(QueryError::Coded {
                    code: "ODataQueryInvalid",
                    message: format!("Could not find a property named '{field}' on type '{model}'."),
                });
            }
        };
        let op = match op.to_ascii_lowercase().as_str() {
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            "eq" => Op::Eq,
            other => return Err(invalid(format!("The operator '{other}' is not supported by the sandbox."))),
        };
        let Some(ms) = dotnet::parse_ms(literal) else {
            return Err(invalid(format!(
                "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and '{literal}'."
            )));
        };
        out.push(Cmp { field, op, ms });
        match tail {
            [] => return Ok(out),
            [and, more @ ..] if and.eq_ignore_ascii_case("and") => rest = more,
            [other, ..] => return Err(invalid(format!("Syntax error at '{other}' in '{text}'."))),
        }
    }
}

/// Query pairs, percent-decoded (`+` is a space).
pub fn pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[path = "odata_tests.rs"]
mod tests;
