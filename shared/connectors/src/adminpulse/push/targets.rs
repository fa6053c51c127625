//! The target picker: AdminPulse relations, a page at a time, searched by the user's text.

use koppel_core::ports::meeting::{Target, TargetPage, TargetQuery};
use koppel_core::ports::source::{ConnectorError, PageNext, RemoteRecord};
use serde_json::Value;

use super::super::assumptions::{RELATION_SEARCH_PARAM, TARGET_PAGE_SIZE};
use super::super::session::RELATIONS_PATH;
use super::super::{page, rows};
use super::calls::{enc, parse};
use super::session::{AdminPulseMeetingSession, TARGET_KIND};

const LIST: &str = "GET /relations";

/// `GET /relations?page={n}&pageSize=100[&search=…]`: rows Koppel cannot read are left out, and
/// with a search only rows with some field containing the text (whatever AdminPulse made of it).
pub(crate) async fn page(s: &AdminPulseMeetingSession, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
    let search = query.search.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let mut path = format!("{RELATIONS_PATH}?page={}&pageSize={TARGET_PAGE_SIZE}", query.page);
    if let Some(text) = search {
        path.push_str(&format!("&{RELATION_SEARCH_PARAM}={}", enc(text)));
    }
    let body = s.read(&path, LIST).await?;
    let listing = page::read_listing(&body).map_err(|message| parse(LIST, message))?;
    let next = page::next(u64::from(query.page), listing.rows.len(), TARGET_PAGE_SIZE, listing.page_count);
    let needle = search.map(str::to_lowercase);
    let targets = listing
        .rows
        .into_iter()
        .filter(|row| needle.as_deref().is_none_or(|n| mentions(row, n, 2)))
        .filter_map(target)
        .collect();
    Ok(TargetPage { targets, more: matches!(next, PageNext::Token(_)) })
}

/// A relation as the picker shows it: its name, and its client code, VAT number and city.
fn target(row: Value) -> Option<Target> {
    let Ok(RemoteRecord::Customer(c)) = rows::read_row(row) else { return None };
    let detail: Vec<String> = [c.customer_number, c.vat_number, c.address.city].into_iter().flatten().collect();
    Some(Target {
        kind: TARGET_KIND.into(),
        id: c.remote_id,
        name: c.name,
        detail: (!detail.is_empty()).then(|| detail.join(" · ")),
    })
}

/// Whether some text or number in `value` (objects `depth` deep) contains `needle` (lowercase).
fn mentions(value: &Value, needle: &str, depth: u8) -> bool {
    match value {
        Value::String(s) => s.to_lowercase().contains(needle),
        Value::Number(n) => n.to_string().contains(needle),
        Value::Object(map) if depth > 0 => map.values().any(|v| mentions(v, needle, depth - 1)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_become_targets_with_a_detail() {
        let t = target(json!({"id": 7, "uniqueIdentifier": "K7", "name": "Garage Maes", "vatNumber": "0412345678",
            "address": {"city": "Gent"}}));
        assert_eq!(
            t,
            Some(Target {
                kind: "relation".into(),
                id: "7".into(),
                name: "Garage Maes".into(),
                detail: Some("K7 · BE0412345678 · Gent".into())
            })
        );
        let bare = target(json!({"id": "a", "name": "X"}));
        assert_eq!(bare.and_then(|t| t.detail), None);
        assert_eq!(target(json!({"name": "no id"})), None);
    }

    #[test]
    fn a_search_matches_any_field_ignoring_case() {
        let row =
            json!({"id": 1, "name": "Bakkerij Peeters", "uniqueIdentifier": 100_017, "address": {"city": "Gent"}});
        for needle in ["peeters", "100017", "gent"] {
            assert!(mentions(&row, needle, 2), "{needle}");
        }
        assert!(!mentions(&row, "maes", 2));
    }
}
