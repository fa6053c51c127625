//! `SearchActorsAdvanced`: every restriction must hold (AND). Operators are SuperOffice's
//! archive restriction names (`assumptions::TEXT_OPERATORS`, `NUMBER_OPERATORS`); text compares
//! without case. Every restriction is checked before anything is read: an unknown operator or
//! field is an error naming what Koppel knows.

use super::actors::platform_value;
use super::assumptions::{NUMBER_OPERATORS, SEARCH_CAP, TEXT_OPERATORS, split_person};
use super::contract::{Outcome, Response, Restriction};
use super::errors::{self, code};
use super::fields::{self, ActorKind, FieldView};
use super::search::{answer, scan_matching};
use super::target::{self, Call};
use super::values;
use crate::domain::records::RemoteCustomer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Begins,
    Contains,
    Is,
    NotBegins,
    NotContains,
    IsNot,
    Ends,
    NotEnds,
    Equals,
    Unequals,
    Greater,
    Less,
    Between,
}

impl Op {
    fn parse(raw: &str) -> Option<Self> {
        let all = [
            ("begins", Op::Begins),
            ("contains", Op::Contains),
            ("is", Op::Is),
            ("notBegins", Op::NotBegins),
            ("notContains", Op::NotContains),
            ("isNot", Op::IsNot),
            ("=", Op::Is),
            ("ends", Op::Ends),
            ("notEnds", Op::NotEnds),
            ("equals", Op::Equals),
            ("unequals", Op::Unequals),
            ("greater", Op::Greater),
            ("less", Op::Less),
            ("between", Op::Between),
        ];
        all.iter().find(|(name, _)| name.eq_ignore_ascii_case(raw.trim())).map(|(_, op)| *op)
    }
    fn negated(self) -> bool {
        matches!(self, Op::NotBegins | Op::NotContains | Op::IsNot | Op::NotEnds | Op::Unequals)
    }
}

/// One checked restriction.
struct Check<'a> {
    view: FieldView<'a>,
    op: Op,
    /// Decoded and lower-cased values.
    values: Vec<String>,
}

fn operator_unknown(raw: &str) -> Outcome {
    let known = TEXT_OPERATORS.iter().chain(NUMBER_OPERATORS.iter()).copied().collect::<Vec<_>>().join(", ");
    Outcome::error(
        code::OPERATOR_UNKNOWN,
        format!("Koppel cannot search with the operator {:?}. It knows: {known}.", errors::echo(raw)),
        format!("unknown operator {:?}; known: {known}", errors::echo(raw)),
    )
}

fn bad(user: String) -> Outcome {
    Outcome::error(code::BAD_REQUEST, user.clone(), user)
}

fn plain(raw: &str) -> String {
    match values::decode(raw) {
        Ok(values::Value::Int(i)) => i.to_string(),
        _ => raw.trim().to_lowercase(),
    }
}

fn checks<'a>(
    views: &[FieldView<'a>],
    kind: ActorKind,
    restrictions: &[Restriction],
) -> Result<Vec<Check<'a>>, Outcome> {
    let mut out = Vec::new();
    for r in restrictions {
        let Some(view) = fields::find(views, &r.field_key) else {
            let offered = views.iter().map(|v| v.def.key).collect::<Vec<_>>().join(", ");
            return Err(Outcome::error(
                code::FIELD_UNKNOWN,
                format!(
                    "Koppel cannot search {} by {:?}. It offers: {offered}.",
                    kind.name(),
                    errors::echo(&r.field_key)
                ),
                format!("unknown or hidden field {:?}; offered: {offered}", errors::echo(&r.field_key)),
            ));
        };
        let op = Op::parse(&r.operator).ok_or_else(|| operator_unknown(&r.operator))?;
        let values: Vec<String> = r.values.iter().map(|v| plain(v)).collect();
        let needed = if op == Op::Between { 2 } else { 1 };
        if values.len() < needed {
            return Err(bad(format!("the {:?} restriction on {} needs {needed} value(s)", r.operator, view.def.key)));
        }
        if matches!(op, Op::Greater | Op::Less | Op::Between) && values.iter().any(|v| v.parse::<i64>().is_err()) {
            return Err(bad(format!("the {:?} restriction on {} needs whole numbers", r.operator, view.def.key)));
        }
        out.push(Check { view, op, values });
    }
    Ok(out)
}

/// The field's text as searched (lower case; empty when the customer has none).
fn field_text(c: &RemoteCustomer, view: &FieldView<'_>) -> String {
    let raw = platform_value(c, view.def.platform).unwrap_or_default();
    match view.def.key {
        "FIRSTNAME" => split_person(&raw).0,
        "LASTNAME" => split_person(&raw).1,
        _ => raw,
    }
    .to_lowercase()
}

fn holds(check: &Check<'_>, c: &RemoteCustomer) -> bool {
    let text = field_text(c, &check.view);
    let number = text.trim().parse::<i64>().ok();
    let one = |v: &String| -> bool {
        match check.op {
            Op::Begins | Op::NotBegins => text.starts_with(v.as_str()),
            Op::Contains | Op::NotContains => text.contains(v.as_str()),
            Op::Is | Op::IsNot => text == *v,
            Op::Ends | Op::NotEnds => text.ends_with(v.as_str()),
            Op::Equals | Op::Unequals => match (number, v.parse::<i64>()) {
                (Some(a), Ok(b)) => a == b,
                _ => text == *v,
            },
            Op::Greater => number.zip(v.parse::<i64>().ok()).is_some_and(|(a, b)| a > b),
            Op::Less => number.zip(v.parse::<i64>().ok()).is_some_and(|(a, b)| a < b),
            Op::Between => false,
        }
    };
    if check.op == Op::Between {
        let (lo, hi) = (check.values[0].parse::<i64>().ok(), check.values[1].parse::<i64>().ok());
        return matches!((number, lo, hi), (Some(n), Some(lo), Some(hi)) if lo <= n && n <= hi);
    }
    let any = check.values.iter().any(one);
    if check.op.negated() { !any } else { any }
}

pub async fn search(
    call: &Call<'_>,
    raw_guid: &str,
    actor_type: &str,
    restrictions: &[Restriction],
    field_keys: &[String],
) -> Result<Response, Outcome> {
    let t = call.target(raw_guid).await?;
    let kind = target::actor_kind(actor_type)?;
    let views = fields::visible(kind, call.rules());
    let checks = checks(&views, kind, restrictions)?;
    let (records, more) = scan_matching(call, &t.koppel.id, SEARCH_CAP, |c| {
        c.is_customer
            && (kind == ActorKind::Customer || platform_value(c, "contact_person").is_some())
            && checks.iter().all(|check| holds(check, c))
    })
    .await?;
    Ok(answer(kind, &records, &fields::selected(&views, field_keys), more))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erp::actors::blank_customer;

    fn restriction(field: &str, op: &str, values: &[&str]) -> Restriction {
        Restriction {
            field_key: field.into(),
            operator: op.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn matches(r: Restriction, c: &RemoteCustomer) -> bool {
        let views = fields::visible(ActorKind::Customer, None);
        let checks = checks(&views, ActorKind::Customer, &[r]).expect("valid");
        holds(&checks[0], c)
    }

    #[test]
    fn operators_compare_text_without_case_and_numbers_as_numbers() {
        let mut c = blank_customer();
        c.name = "Bakkerij Jansen".into();
        c.customer_number = Some("1005".into());
        assert!(matches(restriction("NAME", "begins", &["bakker"]), &c));
        assert!(matches(restriction("name", "CONTAINS", &["JANS"]), &c));
        assert!(matches(restriction("NAME", "is", &["bakkerij jansen"]), &c));
        assert!(!matches(restriction("NAME", "notBegins", &["Bakker"]), &c));
        assert!(matches(restriction("NAME", "notContains", &["visser"]), &c));
        assert!(matches(restriction("NAME", "isNot", &["x"]), &c));
        assert!(matches(restriction("NAME", "=", &["BAKKERIJ JANSEN"]), &c));
        assert!(matches(restriction("NAME", "ends", &["JANSEN"]), &c));
        assert!(!matches(restriction("NAME", "notends", &["jansen"]), &c));
        assert!(matches(restriction("NAME", "notEnds", &["bakker"]), &c));
        assert!(matches(restriction("NUMBER1", "equals", &["[I:1005]"]), &c));
        assert!(matches(restriction("NUMBER1", "greater", &["1000"]), &c));
        assert!(!matches(restriction("NUMBER1", "less", &["1000"]), &c));
        assert!(matches(restriction("NUMBER1", "between", &["1000", "[I:1010]"]), &c));
        assert!(matches(restriction("EMAIL", "isNot", &["a@b.nl"]), &c), "an empty field is not a@b.nl");
    }

    #[test]
    fn unknown_operators_and_fields_are_errors_naming_the_known_ones() {
        let views = fields::visible(ActorKind::Customer, None);
        let Err(op) = checks(&views, ActorKind::Customer, &[restriction("NAME", "like", &["x"])]) else {
            panic!("expected an error")
        };
        assert_eq!(op.error_code, "operator_unknown");
        assert!(op.user_explanation.contains("begins, contains, is"), "{}", op.user_explanation);
        let Err(field) = checks(&views, ActorKind::Customer, &[restriction("SHOESIZE", "is", &["x"])]) else {
            panic!("expected an error")
        };
        assert_eq!(field.error_code, "field_unknown");
        let Err(nums) = checks(&views, ActorKind::Customer, &[restriction("NUMBER1", "greater", &["abc"])]) else {
            panic!("expected an error")
        };
        assert_eq!(nums.error_code, "bad_request");
    }
}
