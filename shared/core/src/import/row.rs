//! One row → the customer values it holds, or the reasons it cannot be imported.

use serde::{Deserialize, Serialize};

use super::fields::CustomerField;
use super::mapping::Resolved;
use super::source::SheetRow;
use super::vat;
use crate::domain::contact::looks_like_email;
use crate::domain::records::{Address, RemoteCustomer};

/// Longest name a customer may have (as `POST /customers`).
pub const MAX_NAME: usize = 200;
/// Longest value of any other field.
pub const MAX_VALUE: usize = 500;

/// Why a row (or one cell of it) cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowProblem {
    /// The row number as the file shows it (Excel's row; a CSV file's line).
    pub row: u64,
    /// The column's header, when the problem is in one cell.
    pub column: Option<String>,
    /// The customer field of that column.
    pub field: Option<CustomerField>,
    pub message: String,
}

/// A row that can be imported: its values, and its matching-key value (normalised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub row: u64,
    pub values: RemoteCustomer,
    pub key_value: String,
}

/// A value as shown in a message: quoted, at most 60 characters.
fn shown(v: &str) -> String {
    if v.chars().count() > 60 { format!("{:?}…", v.chars().take(60).collect::<String>()) } else { format!("{v:?}") }
}

/// Read and check one (non-blank) row.
pub fn check(row: &SheetRow, mapping: &Resolved) -> Result<Candidate, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut values = RemoteCustomer {
        contact_person: None,
        remote_id: String::new(),
        modified_on: None,
        customer_number: None,
        name: String::new(),
        email: None,
        vat_number: None,
        coc_number: None,
        phone: None,
        address: Address::default(),
        is_customer: true,
        inactive: false,
    };
    for col in &mapping.columns {
        let value = row.cells.get(col.index).map(|c| c.trim()).unwrap_or_default();
        let problem = |message: String| RowProblem {
            row: row.number,
            column: Some(col.header.clone()),
            field: Some(col.field),
            message,
        };
        let max = if col.field == CustomerField::Name { MAX_NAME } else { MAX_VALUE };
        if value.chars().count() > max {
            problems.push(problem(format!("longer than {max} characters: {}", shown(value))));
            continue;
        }
        if value.is_empty() {
            if col.field == CustomerField::Name {
                problems.push(problem("the name is empty; every customer needs a name".into()));
            }
            continue;
        }
        match col.field {
            CustomerField::Email if !looks_like_email(value) => {
                problems.push(problem(format!("{} is not an e-mail address", shown(value))));
                continue;
            }
            CustomerField::VatNumber => {
                if let Err(why) = vat::check(value) {
                    problems.push(problem(why));
                    continue;
                }
            }
            _ => {}
        }
        let v = Some(value.to_string());
        match col.field {
            CustomerField::Name => values.name = value.to_string(),
            CustomerField::CustomerNumber => values.customer_number = v,
            CustomerField::VatNumber => values.vat_number = v,
            CustomerField::Email => values.email = v,
            CustomerField::Phone => values.phone = v,
            CustomerField::CocNumber => values.coc_number = v,
            CustomerField::Street => values.address.street = v,
            CustomerField::Postcode => values.address.postcode = v,
            CustomerField::City => values.address.city = v,
        }
    }
    let key = mapping.key;
    let key_value = values.key_value(key);
    let key_cell_ok = !problems.iter().any(|p| p.field == Some(CustomerField::of_key(key)));
    if key_value.is_none() && key_cell_ok && !(key == crate::domain::matching_key::MatchingKey::Name) {
        let column = mapping.column(CustomerField::of_key(key)).map(|c| c.header.clone());
        problems.push(RowProblem {
            row: row.number,
            column,
            field: Some(CustomerField::of_key(key)),
            message: format!(
                "the {} is empty, so the row cannot be matched to a platform customer; fill it in, or import with another matching key",
                key.label()
            ),
        });
    }
    match key_value {
        Some(key_value) if problems.is_empty() => Ok(Candidate { row: row.number, values, key_value }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::matching_key::MatchingKey;
    use crate::import::mapping::{MappingRequest, resolve};

    fn mapping(key: MatchingKey) -> Resolved {
        let headers: Vec<String> =
            ["Naam", "BTW", "E-mail", "Telefoon", "Postcode"].iter().map(|s| s.to_string()).collect();
        let req = MappingRequest { matching_key: Some(key), ..Default::default() };
        resolve(&headers, &req).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn row(cells: &[&str]) -> SheetRow {
        SheetRow::new(7, cells.iter().map(|c| c.to_string()).collect())
    }

    fn reasons(r: Result<Candidate, Vec<RowProblem>>) -> Vec<(Option<String>, String)> {
        r.err().unwrap_or_default().into_iter().map(|p| (p.column, p.message)).collect()
    }

    #[test]
    fn a_good_row_gives_trimmed_values_and_its_key() {
        let c = check(
            &row(&[" Bakkerij de Vries ", "BE 0202.239.951", "Info@Vries.be", "", "9000"]),
            &mapping(MatchingKey::VatNumber),
        );
        let c = c.unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!((c.row, c.values.name.as_str(), c.key_value.as_str()), (7, "Bakkerij de Vries", "BE0202239951"));
        assert_eq!(c.values.vat_number.as_deref(), Some("BE 0202.239.951"), "kept as typed");
        assert_eq!((c.values.phone.as_deref(), c.values.address.postcode.as_deref()), (None, Some("9000")));
    }

    #[test]
    fn every_reason_names_its_column() {
        let r = reasons(check(&row(&["", "BE123", "jan@", "x"]), &mapping(MatchingKey::Email)));
        assert_eq!(r.len(), 3, "{r:?}");
        assert_eq!(r[0].0.as_deref(), Some("Naam"));
        assert!(r[0].1.contains("needs a name"), "{r:?}");
        assert_eq!(r[1].0.as_deref(), Some("BTW"));
        assert!(r[1].1.contains("10 digits"), "{r:?}");
        assert_eq!((r[2].0.as_deref(), r[2].1.as_str()), (Some("E-mail"), "\"jan@\" is not an e-mail address"));
    }

    #[test]
    fn an_empty_key_is_a_problem_unless_the_key_is_the_name() {
        let r = reasons(check(&row(&["Bakkerij", "", "", ""]), &mapping(MatchingKey::VatNumber)));
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].1.starts_with("the VAT number is empty, so the row cannot be matched"), "{r:?}");
        let by_name = check(&row(&["Bakkerij, B.V."]), &mapping(MatchingKey::Name)).map(|c| c.key_value);
        assert_eq!(by_name, Ok("bakkerij b v".to_string()));
    }

    #[test]
    fn overlong_values_are_refused() {
        let long = "x".repeat(MAX_NAME + 1);
        let r = reasons(check(&row(&[&long, "", "a@b.be"]), &mapping(MatchingKey::Email)));
        assert!(r[0].1.starts_with("longer than 200 characters"), "{r:?}");
    }
}
