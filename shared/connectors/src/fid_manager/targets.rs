//! The picker's lists: clients (searched by Fid-Manager) and a client's folders (filtered by
//! Koppel: the list is small and its search parameter is unknown).

use koppel_core::ports::meeting::{Target, TargetPage, TargetQuery};
use koppel_core::ports::source::ConnectorError;
use reqwest::Url;

use super::DISPLAY_NAME;
use super::assumptions::{
    CLIENTS_PATH, FIRST_PAGE, FOLDERS_PATH, PAGE_PARAM, PAGE_SIZE, PAGE_SIZE_PARAM, SEARCH_PARAM,
};
use super::errors::Subject;
use super::transport::{Kind, Transport, parse};
use super::wire::{self, ListPage};

/// The target kinds Fid-Manager offers (`catalog_push`): clients, and folders of a client.
pub const CLIENT: &str = "client";
pub const FOLDER: &str = "folder";

pub async fn list(t: &Transport, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
    match query.kind.as_str() {
        CLIENT => clients(t, query).await,
        FOLDER => folders(t, query).await,
        other => Err(koppel_side(format!("Fid-Manager has no '{other}' targets; pick a client (and a folder)"))),
    }
}

/// `GET …/clients?search=&page=&pageSize=`.
async fn clients(t: &Transport, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
    let mut url = paged(t.url(&[CLIENTS_PATH]), query.page);
    if let Some(search) = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        url.query_pairs_mut().append_pair(SEARCH_PARAM, search);
    }
    let page = read(t, "GET /api/v1/clients", url, Subject::Account).await?;
    let more = more(&page, query.page);
    Ok(TargetPage { targets: page.items.iter().filter_map(wire::client).collect(), more })
}

/// `GET …/clients/{id}/folders?page=&pageSize=`, filtered by the search text.
async fn folders(t: &Transport, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
    let Some(client) = query.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
        return Err(koppel_side("pick a Fid-Manager client first; its folders are listed then".into()));
    };
    let url = paged(t.url(&[CLIENTS_PATH, client, FOLDERS_PATH]), query.page);
    let page = read(t, "GET /api/v1/clients/{id}/folders", url, Subject::Target).await?;
    let more = more(&page, query.page);
    let wanted = query.search.as_deref().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let targets = page
        .items
        .iter()
        .filter_map(wire::folder)
        .filter(|f| wanted.as_deref().is_none_or(|w| matches(f, w)))
        .collect();
    Ok(TargetPage { targets, more })
}

fn matches(target: &Target, wanted: &str) -> bool {
    target.name.to_lowercase().contains(wanted)
        || target.detail.as_deref().is_some_and(|d| d.to_lowercase().contains(wanted))
}

fn paged(mut url: Url, page: u32) -> Url {
    url.query_pairs_mut()
        .append_pair(PAGE_PARAM, &FIRST_PAGE.saturating_add(page).to_string())
        .append_pair(PAGE_SIZE_PARAM, &PAGE_SIZE.to_string());
    url
}

/// More pages: by the total when Fid-Manager gives one, else a full page may have a successor.
pub fn more(page: &ListPage, page_number: u32) -> bool {
    let seen = u64::from(page_number) * u64::from(PAGE_SIZE) + page.items.len() as u64;
    match page.total {
        Some(total) => seen < total && !page.items.is_empty(),
        None => page.items.len() as u64 >= u64::from(PAGE_SIZE),
    }
}

async fn read(t: &Transport, label: &str, url: Url, subject: Subject) -> Result<ListPage, ConnectorError> {
    let reply = t.call(label, Kind::Read, |c| c.get(url.clone())).await?;
    if !reply.is_success() {
        return Err(t.refused(&reply, subject));
    }
    wire::parse_list(&reply.body).map_err(|e| parse(format!("{label}: {e}")))
}

/// A request Koppel itself cannot make sense of (status 0: nothing was sent).
pub fn koppel_side(message: String) -> ConnectorError {
    ConnectorError::Rejected { provider: DISPLAY_NAME.into(), status: 0, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize, total: Option<u64>) -> ListPage {
        ListPage { items: vec![serde_json::Map::new(); n], total }
    }

    #[test]
    fn more_pages() {
        assert!(more(&page(100, Some(301)), 0));
        assert!(more(&page(100, Some(301)), 2));
        assert!(!more(&page(1, Some(301)), 3));
        assert!(!more(&page(100, Some(200)), 1), "an exact multiple ends without an empty call");
        assert!(!more(&page(0, Some(999)), 3), "an empty page ends the list whatever the count says");
        assert!(more(&page(100, None), 5));
        assert!(!more(&page(99, None), 0));
    }
}
