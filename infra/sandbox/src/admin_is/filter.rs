//! The `Filter=` mini-language, as far as Koppel uses it: `Field op value` clauses joined by
//! `and`; ops `eq ne gt ge lt le in` and `not in`; values are numbers, `'text'` (datetimes as
//! `'YYYY-MM-DD HH:MM:SS'`) or lists `(a, b)`. A field the resource does not have, or a value of
//! the wrong type, is an error (the API answers 400).

use chrono::{NaiveDate, NaiveDateTime};
use std::cmp::Ordering;
use std::collections::HashSet;

/// A field's value on a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Num(i64),
    Text(String),
    Time(NaiveDateTime),
    Bool(bool),
}

/// What a resource exposes to filters.
pub trait Filterable {
    /// The value of `field` (exact name, any case), or `None` when the resource has no such field.
    fn field(&self, field: &str) -> Option<Val>;
}

#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Num(i64),
    Text(String),
    List(Vec<Lit>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    In,
    NotIn,
}

#[derive(Debug, Clone, PartialEq)]
struct Clause {
    field: String,
    op: Op,
    value: Lit,
    /// An `in` / `not in` list of numbers, as a set (a 500-id list against 50,000 rows).
    numbers: Option<HashSet<i64>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter(Vec<Clause>);

impl Filter {
    /// Parses `text`; `fields` are the names the resource accepts (any case).
    pub fn parse(text: &str, fields: &[&str]) -> Result<Self, String> {
        let tokens = tokenize(text)?;
        let mut it = tokens.into_iter().peekable();
        let mut clauses = Vec::new();
        loop {
            let Some(Tok::Word(field)) = it.next() else {
                return Err("a filter clause must start with a field".into());
            };
            let Some(name) = fields.iter().find(|f| f.eq_ignore_ascii_case(&field)) else {
                return Err(format!("Filter field '{field}' does not exist"));
            };
            let op = match it.next() {
                Some(Tok::Word(w)) => match w.to_ascii_lowercase().as_str() {
                    "eq" => Op::Eq,
                    "ne" => Op::Ne,
                    "gt" => Op::Gt,
                    "ge" => Op::Ge,
                    "lt" => Op::Lt,
                    "le" => Op::Le,
                    "in" => Op::In,
                    "not" if matches!(it.next(), Some(Tok::Word(ref x)) if x.eq_ignore_ascii_case("in")) => Op::NotIn,
                    other => return Err(format!("unknown filter operator '{other}'")),
                },
                _ => return Err(format!("no operator after '{field}'")),
            };
            let value = literal(&mut it)?;
            if matches!(op, Op::In | Op::NotIn) != matches!(value, Lit::List(_)) {
                return Err(format!("'{field}': in / not in take a list, other operators one value"));
            }
            let numbers = match &value {
                Lit::List(items) => items.iter().map(|i| if let Lit::Num(n) = i { Some(*n) } else { None }).collect(),
                _ => None,
            };
            clauses.push(Clause { field: name.to_string(), op, value, numbers });
            match it.next() {
                None => return Ok(Filter(clauses)),
                Some(Tok::Word(w)) if w.eq_ignore_ascii_case("and") => {}
                Some(other) => return Err(format!("expected 'and', found {other:?}")),
            }
        }
    }

    /// Whether `row` passes every clause; a type mismatch is an error.
    pub fn matches(&self, row: &impl Filterable) -> Result<bool, String> {
        for c in &self.0 {
            let value = row.field(&c.field).ok_or_else(|| format!("Filter field '{}' does not exist", c.field))?;
            let pass = match (&c.op, &c.value) {
                (Op::In, _) if let (Some(set), Val::Num(v)) = (&c.numbers, &value) => set.contains(v),
                (Op::NotIn, _) if let (Some(set), Val::Num(v)) = (&c.numbers, &value) => !set.contains(v),
                (Op::In, Lit::List(items)) => any_equal(&value, items, &c.field)?,
                (Op::NotIn, Lit::List(items)) => !any_equal(&value, items, &c.field)?,
                (op, lit) => {
                    let ord = compare(&value, lit, &c.field)?;
                    match op {
                        Op::Eq => ord == Ordering::Equal,
                        Op::Ne => ord != Ordering::Equal,
                        Op::Gt => ord == Ordering::Greater,
                        Op::Ge => ord != Ordering::Less,
                        Op::Lt => ord == Ordering::Less,
                        _ => ord != Ordering::Greater,
                    }
                }
            };
            if !pass {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

fn any_equal(value: &Val, items: &[Lit], field: &str) -> Result<bool, String> {
    for item in items {
        if compare(value, item, field)? == Ordering::Equal {
            return Ok(true);
        }
    }
    Ok(false)
}

fn compare(value: &Val, lit: &Lit, field: &str) -> Result<Ordering, String> {
    let mismatch = || format!("the value for '{field}' has the wrong type");
    match (value, lit) {
        (Val::Num(v), Lit::Num(l)) => Ok(v.cmp(l)),
        (Val::Bool(v), Lit::Num(l)) if *l == 0 || *l == 1 => Ok(i64::from(*v).cmp(l)),
        (Val::Text(v), Lit::Text(l)) => Ok(v.to_lowercase().cmp(&l.to_lowercase())),
        (Val::Time(v), Lit::Text(l)) => Ok(v.cmp(&datetime(l).ok_or_else(mismatch)?)),
        _ => Err(mismatch()),
    }
}

fn datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Text(String),
    Open,
    Close,
    Comma,
}

fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' => {
                chars.next();
                out.push(match c {
                    '(' => Tok::Open,
                    ')' => Tok::Close,
                    _ => Tok::Comma,
                });
            }
            '\'' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            s.push('\'');
                        }
                        Some('\'') => break,
                        Some(ch) => s.push(ch),
                        None => return Err("a quoted value is not closed".into()),
                    }
                }
                out.push(Tok::Text(s));
            }
            _ => {
                let mut w = String::new();
                while let Some(&ch) = chars.peek() {
                    if ch.is_whitespace() || matches!(ch, '(' | ')' | ',' | '\'') {
                        break;
                    }
                    w.push(ch);
                    chars.next();
                }
                out.push(Tok::Word(w));
            }
        }
    }
    Ok(out)
}

fn literal(it: &mut std::iter::Peekable<std::vec::IntoIter<Tok>>) -> Result<Lit, String> {
    match it.next() {
        Some(Tok::Text(s)) => Ok(Lit::Text(s)),
        Some(Tok::Word(w)) => w.parse::<i64>().map(Lit::Num).map_err(|_| format!("'{w}' is not a value")),
        Some(Tok::Open) => {
            let mut items = Vec::new();
            loop {
                if it.peek() == Some(&Tok::Close) && items.is_empty() {
                    it.next();
                    return Ok(Lit::List(items));
                }
                items.push(literal(it)?);
                match it.next() {
                    Some(Tok::Comma) => {}
                    Some(Tok::Close) => return Ok(Lit::List(items)),
                    _ => return Err("a list must be closed with ')'".into()),
                }
            }
        }
        _ => Err("a value is missing".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row(i64, &'static str, &'static str, bool);

    impl Filterable for Row {
        fn field(&self, field: &str) -> Option<Val> {
            match field {
                "CustomerId" => Some(Val::Num(self.0)),
                "TableName" => Some(Val::Text(self.1.into())),
                "DateAction" => datetime(self.2).map(Val::Time),
                "IsActive" => Some(Val::Bool(self.3)),
                _ => None,
            }
        }
    }

    const FIELDS: [&str; 4] = ["CustomerId", "TableName", "DateAction", "IsActive"];

    fn check(filter: &str, row: &Row) -> Result<bool, String> {
        Filter::parse(filter, &FIELDS)?.matches(row)
    }

    #[test]
    fn what_koppel_sends() {
        let row = Row(12, "CUSTOMER", "2024-05-01 12:00:00", true);
        let cases = [
            ("CustomerId in (1, 12, 30)", true),
            ("customerid in (1,2)", false),
            ("CustomerId not in (12)", false),
            ("CustomerId eq 12 and IsActive eq 1", true),
            ("IsActive eq 0", false),
            ("TableName in ('CUSTOMER') and DateAction ge '2024-05-01 12:00:00'", true),
            ("TableName in ('customer') and DateAction gt '2024-05-01 12:00:00'", false),
            ("DateAction lt '2024-05-02'", true),
            ("DateAction ge '2024-05-01T11:59:59' and DateAction le '2024-05-01 12:00:00'", true),
        ];
        for (filter, expected) in cases {
            assert_eq!(check(filter, &row), Ok(expected), "{filter}");
        }
    }

    #[test]
    fn mistakes_are_refused() {
        let row = Row(1, "CUSTOMER", "2024-05-01 12:00:00", true);
        for bad in [
            "Name eq 'x'",
            "CustomerId in 3",
            "CustomerId eq (1)",
            "CustomerId between 1",
            "CustomerId eq 'x'",
            "DateAction ge 'yesterday'",
            "CustomerId in (1, 2",
            "TableName eq 'CUSTOMER",
            "CustomerId eq 1 or CustomerId eq 2",
            "",
        ] {
            assert!(check(bad, &row).is_err(), "{bad}");
        }
    }
}
