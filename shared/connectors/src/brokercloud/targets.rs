//! The picker's list: parties, paged and searched by Brokercloud (DataTables parameters [C]).

use koppel_core::ports::meeting::{TargetPage, TargetQuery};
use koppel_core::ports::source::ConnectorError;
use reqwest::Url;

use super::DISPLAY_NAME;
use super::assumptions::{
    DRAW_PARAM, LENGTH_PARAM, ORDER_PARAMS, PAGE_LENGTH, PARTIES_PATH, SEARCH_PARAM, START_PARAM,
};
use super::errors::Subject;
use super::transport::{Kind, Transport, parse};
use super::wire::{self, TablePage};

/// The one target kind Brokercloud offers (`catalog_push`).
pub const PARTY: &str = "party";

/// `GET /api/v2/parties?draw=&start=&length=100&search[value]=&columns[0][data]=name&order…`.
pub async fn list(t: &Transport, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
    if query.kind != PARTY {
        return Err(koppel_side(format!("Brokercloud has no '{}' targets; pick a party", query.kind)));
    }
    let start = u64::from(query.page) * u64::from(PAGE_LENGTH);
    let mut url = t.url(&[PARTIES_PATH]);
    window(&mut url, query.page, start);
    url.query_pairs_mut().extend_pairs(ORDER_PARAMS);
    if let Some(search) = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        url.query_pairs_mut().append_pair(SEARCH_PARAM, search);
    }
    let page = read(t, "GET /api/v2/parties", url, Subject::Account).await?;
    let more = more(&page, start);
    Ok(TargetPage { targets: page.rows.iter().filter_map(wire::party).collect(), more })
}

/// `draw`, `start` and `length` of one page.
pub fn window(url: &mut Url, page: u32, start: u64) {
    url.query_pairs_mut()
        .append_pair(DRAW_PARAM, &(u64::from(page) + 1).to_string())
        .append_pair(START_PARAM, &start.to_string())
        .append_pair(LENGTH_PARAM, &PAGE_LENGTH.to_string());
}

/// More rows after this page: by `recordsFiltered`, else a full page may have a successor.
pub fn more(page: &TablePage, start: u64) -> bool {
    let seen = start + page.rows.len() as u64;
    match page.filtered {
        Some(filtered) => seen < filtered && !page.rows.is_empty(),
        None => page.rows.len() as u64 >= u64::from(PAGE_LENGTH),
    }
}

pub async fn read(t: &Transport, label: &str, url: Url, subject: Subject) -> Result<TablePage, ConnectorError> {
    let reply = t.call(label, Kind::Read, |c| c.get(url.clone())).await?;
    if !reply.is_success() {
        return Err(t.refused(&reply, subject));
    }
    wire::parse_table(&reply.body).map_err(|e| parse(format!("{label}: {e}")))
}

/// A request Koppel itself cannot make sense of (status 0: nothing was sent).
pub fn koppel_side(message: String) -> ConnectorError {
    ConnectorError::Rejected { provider: DISPLAY_NAME.into(), status: 0, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize, filtered: Option<u64>) -> TablePage {
        TablePage { rows: vec![serde_json::Map::new(); n], filtered, total: filtered }
    }

    #[test]
    fn more_rows() {
        assert!(more(&page(100, Some(401)), 300));
        assert!(!more(&page(1, Some(401)), 400));
        assert!(!more(&page(100, Some(400)), 300), "an exact multiple ends without an empty call");
        assert!(!more(&page(0, Some(999)), 1_000), "an empty page ends the list whatever the count says");
        assert!(more(&page(100, None), 0) && !more(&page(3, None), 0));
    }
}
