//! Column mapping: which column holds which customer field, and the key rows are matched by.
//! What the caller names overrides the suggestion from the headers; every problem is named at
//! once, before a row is read.

use std::collections::BTreeMap;

use super::fields::{self, CustomerField};
use crate::AppError;
use crate::domain::matching_key::MatchingKey;
use crate::domain::settings_input::FieldProblem;

/// What the caller asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappingRequest {
    /// Field → column header. An empty header takes a suggested column away ("do not import").
    pub columns: BTreeMap<CustomerField, String>,
    /// `None`: the first mapped of customer number, VAT number, e-mail address, name.
    pub matching_key: Option<MatchingKey>,
}

/// One mapped column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub field: CustomerField,
    /// Position in the row (0-based).
    pub index: usize,
    /// The header as the file has it.
    pub header: String,
}

/// The mapping in force for a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub columns: Vec<Column>,
    pub key: MatchingKey,
}

impl Resolved {
    pub fn column(&self, field: CustomerField) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == field)
    }
    /// Field → header, as shown to the user and stored on the import.
    pub fn as_map(&self) -> BTreeMap<CustomerField, String> {
        self.columns.iter().map(|c| (c.field, c.header.clone())).collect()
    }
}

/// Key order when none is given: the most specific first.
const KEY_PREFERENCE: [MatchingKey; 4] =
    [MatchingKey::CustomerNumber, MatchingKey::VatNumber, MatchingKey::Email, MatchingKey::Name];

/// A `map.<field>` name: the field, or a problem that lists the fields.
pub fn parse_field(name: &str) -> Result<CustomerField, FieldProblem> {
    CustomerField::parse(name).ok_or_else(|| {
        FieldProblem::new(
            &format!("map.{name}"),
            format!("{name:?} is not a customer field; map one of: {}", CustomerField::names()),
        )
    })
}

/// A `matching_key` value: the key, or a problem that lists the keys.
pub fn parse_key(value: &str) -> Result<MatchingKey, FieldProblem> {
    MatchingKey::parse(value).ok_or_else(|| {
        let keys = MatchingKey::ALL.map(MatchingKey::as_str).join(", ");
        FieldProblem::new("matching_key", format!("{value:?} is not a matching key; use one of: {keys}"))
    })
}

/// The column whose header is `wanted`: exactly, else ignoring case and surrounding spaces, else
/// ignoring punctuation and accents too ("BTW nummer" finds "BTW-nummer").
fn find(headers: &[String], wanted: &str) -> Option<usize> {
    let lower = wanted.trim().to_lowercase();
    let folded = fields::fold(wanted);
    headers
        .iter()
        .position(|h| h == wanted)
        .or_else(|| headers.iter().position(|h| h.trim().to_lowercase() == lower))
        .or_else(|| (!folded.is_empty()).then(|| headers.iter().position(|h| fields::fold(h) == folded)).flatten())
}

fn listed(headers: &[String]) -> String {
    let named: Vec<String> = headers.iter().filter(|h| !h.trim().is_empty()).map(|h| format!("{h:?}")).collect();
    if named.is_empty() { "none (the header row is empty)".into() } else { named.join(", ") }
}

/// The mapping for these headers: the suggestion, overridden by the request.
pub fn resolve(headers: &[String], request: &MappingRequest) -> Result<Resolved, AppError> {
    let mut wanted = fields::suggest(headers);
    for (field, header) in &request.columns {
        if header.trim().is_empty() {
            wanted.remove(field);
        } else {
            wanted.insert(*field, header.clone());
        }
    }
    let mut problems = Vec::new();
    let mut columns = Vec::new();
    for (field, header) in &wanted {
        match find(headers, header) {
            Some(index) => columns.push(Column { field: *field, index, header: headers[index].clone() }),
            None => problems.push(FieldProblem::new(
                &format!("map.{}", field.as_str()),
                format!("the file has no column {header:?}; its columns are: {}", listed(headers)),
            )),
        }
    }
    if !wanted.contains_key(&CustomerField::Name) {
        problems.push(FieldProblem::new(
            "map.name",
            format!(
                "no column is mapped to the customer's name; add map.name=<column header> (the file's columns are: {})",
                listed(headers)
            ),
        ));
    }
    let key = match request.matching_key {
        Some(k) if wanted.contains_key(&CustomerField::of_key(k)) => Some(k),
        Some(k) => {
            problems.push(FieldProblem::new(
                "matching_key",
                format!(
                    "matching by {} needs a column for it; add map.{}=<column header> or choose another matching key",
                    k.label(),
                    k.as_str()
                ),
            ));
            None
        }
        None => KEY_PREFERENCE.into_iter().find(|k| wanted.contains_key(&CustomerField::of_key(*k))),
    };
    match key {
        Some(key) if problems.is_empty() => Ok(Resolved { columns, key }),
        _ => Err(AppError::Invalid(problems)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    fn problems(r: Result<Resolved, AppError>) -> Vec<FieldProblem> {
        match r {
            Err(AppError::Invalid(p)) => p,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn the_request_overrides_the_suggestion_and_picks_the_key() -> Result<(), AppError> {
        let h = headers(&["Naam", "BTW", "Mail privé", "E-mail", "Klantnr"]);
        let mut req = MappingRequest::default();
        req.columns.insert(CustomerField::Email, "mail privé".into()); // case differs
        req.columns.insert(CustomerField::CustomerNumber, String::new()); // not imported
        let r = resolve(&h, &req)?;
        assert_eq!(r.column(CustomerField::Email).map(|c| (c.index, c.header.as_str())), Some((2, "Mail privé")));
        assert_eq!(r.column(CustomerField::CustomerNumber), None);
        assert_eq!(r.key, MatchingKey::VatNumber, "customer number is not mapped, VAT number is next");
        req.matching_key = Some(MatchingKey::Email);
        assert_eq!(resolve(&h, &req)?.key, MatchingKey::Email);
        Ok(())
    }

    #[test]
    fn headers_are_found_ignoring_punctuation() -> Result<(), AppError> {
        let mut req = MappingRequest::default();
        req.columns.insert(CustomerField::VatNumber, "btw nummer".into());
        req.columns.insert(CustomerField::Name, "Relatie".into());
        let r = resolve(&headers(&["Relatie", "BTW-nummer"]), &req)?;
        assert_eq!(r.column(CustomerField::VatNumber).map(|c| c.index), Some(1));
        Ok(())
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let mut req = MappingRequest { matching_key: Some(MatchingKey::VatNumber), ..Default::default() };
        req.columns.insert(CustomerField::Email, "Emial".into());
        let p = problems(resolve(&headers(&["Omschrijving", "E-mail"]), &req));
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["map.email", "map.name", "matching_key"], "{p:?}");
        assert!(p[0].message.contains("no column \"Emial\"") && p[0].message.contains("\"Omschrijving\""), "{p:?}");
        assert!(p[1].message.contains("add map.name="), "{p:?}");
        assert!(p[2].message.contains("map.vat_number="), "{p:?}");
    }

    #[test]
    fn unknown_fields_and_keys_list_the_valid_ones() {
        let p = parse_field("adres").err().unwrap_or_else(|| FieldProblem::new("", ""));
        assert_eq!(p.field, "map.adres");
        assert!(p.message.contains("name, customer_number, vat_number"), "{}", p.message);
        let k = parse_key("kvk").err().unwrap_or_else(|| FieldProblem::new("", ""));
        assert!(k.message.contains("customer_number, vat_number, email, name"), "{}", k.message);
        assert_eq!(parse_key("email"), Ok(MatchingKey::Email));
    }
}
