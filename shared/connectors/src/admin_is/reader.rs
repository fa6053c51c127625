//! Reading lists: one page (JSON array + the checked `rel="next"` link, 404 "nothing found" as
//! empty), rows by id through chunked `in (…)` filters (a 414 halves the chunk), and customer
//! rows turned into records with their addresses.

use chrono::{DateTime, Utc};
use koppel_core::domain::records::Address;
use koppel_core::ports::source::{ConnectorError, RecordProblem, RemoteRecord};
use reqwest::Url;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use super::link::{check_origin, next_link};
use super::wire::{CallError, Wire};
use super::{DISPLAY_NAME, errors, query, rows};

/// One page of a list.
#[derive(Debug, Default)]
pub(crate) struct ListPage {
    pub rows: Vec<Value>,
    pub next: Option<Url>,
}

pub(crate) struct Reader<'a> {
    pub wire: &'a Wire,
    pub per_page: u32,
    /// Cleared for the rest of the session when the key may not read `customeraddresses`.
    pub addresses: &'a AtomicBool,
}

impl Reader<'_> {
    /// `GET url`: the rows and the next link (on the office's own origin; a link back to the same
    /// URL ends the list, so paging cannot loop).
    pub async fn page(&self, url: &Url, endpoint: &str) -> Result<ListPage, CallError> {
        let raw = self.wire.get(url, endpoint).await?;
        match raw.status {
            200..=299 => {}
            404 if errors::is_nothing_found(&raw.body) => return Ok(ListPage::default()),
            414 => return Err(CallError::TooLong),
            status => {
                let secrets = [secrecy::ExposeSecret::expose_secret(&self.wire.api_key)];
                return Err(errors::from_status(status, &raw.body, endpoint, &secrets).into());
            }
        }
        let rows = match serde_json::from_str::<Value>(&raw.body) {
            Ok(Value::Array(rows)) => rows,
            Ok(Value::Null) => Vec::new(),
            _ if raw.body.trim().is_empty() => Vec::new(),
            Ok(_) => return Err(parse(format!("/api/v1/{endpoint} did not answer with a JSON array")).into()),
            Err(e) => return Err(parse(format!("/api/v1/{endpoint} answered with invalid JSON ({e})")).into()),
        };
        let next = match raw.link.as_deref() {
            Some(header) => next_link(header, url)
                .and_then(|n| n.map(|n| check_origin(n, &self.wire.office)).transpose())
                .map_err(|e| parse(format!("/api/v1/{endpoint}: {e}")))?,
            None => None,
        };
        let next = next.filter(|n| {
            let moved = n != url;
            if !moved {
                tracing::warn!(call = endpoint, "Admin IS linked a page to itself; the list ends here");
            }
            moved
        });
        Ok(ListPage { rows, next })
    }

    /// Every row of `endpoint` whose `field` is one of `ids`, through as many `in (…)` calls as the
    /// URL length needs, following next links; a 414 splits the chunk in two.
    pub async fn by_ids(&self, endpoint: &str, field: &str, ids: &[String]) -> Result<Vec<Value>, ConnectorError> {
        let base = self.wire.api_url(&[endpoint]);
        let mut todo = query::chunks(&base, field, ids, self.per_page);
        todo.reverse();
        let mut out = Vec::new();
        while let Some(chunk) = todo.pop() {
            let mut url = query::in_filter(&base, field, &chunk, self.per_page);
            loop {
                match self.page(&url, endpoint).await {
                    Ok(page) => {
                        out.extend(page.rows);
                        match page.next {
                            Some(next) => url = next,
                            None => break,
                        }
                    }
                    Err(CallError::TooLong) if chunk.len() > 1 => {
                        tracing::info!(
                            call = endpoint,
                            ids = chunk.len(),
                            "Admin IS answered 414; splitting the id list"
                        );
                        let (first, second) = chunk.split_at(chunk.len() / 2);
                        todo.push(second.to_vec());
                        todo.push(first.to_vec());
                        break;
                    }
                    Err(CallError::TooLong) => {
                        let message = format!("/api/v1/{endpoint}: the address is too long even for one id (414)");
                        return Err(ConnectorError::Rejected { provider: DISPLAY_NAME.into(), status: 414, message });
                    }
                    Err(CallError::Failed(e)) => return Err(e),
                }
            }
        }
        Ok(out)
    }

    /// Customer rows → records, each with its address and `modified_on(id)`.
    pub async fn records(
        &self,
        customers: Vec<Value>,
        modified_on: impl Fn(&str) -> Option<DateTime<Utc>>,
    ) -> Result<Vec<Result<RemoteRecord, RecordProblem>>, ConnectorError> {
        let ids: Vec<String> = customers.iter().filter_map(|r| rows::id(r, "CustomerId")).collect();
        let mut addresses = self.addresses_of(&ids).await?;
        Ok(customers
            .iter()
            .map(|row| {
                let id = rows::id(row, "CustomerId");
                let address = id.as_deref().and_then(|id| addresses.remove(id));
                let modified = id.as_deref().and_then(&modified_on);
                rows::customer(row, address, modified).map(RemoteRecord::Customer)
            })
            .collect())
    }

    /// The chosen address per customer id; none when addresses are off for this session.
    async fn addresses_of(&self, ids: &[String]) -> Result<HashMap<String, Address>, ConnectorError> {
        if ids.is_empty() || !self.addresses.load(Ordering::Relaxed) {
            return Ok(HashMap::new());
        }
        match self.by_ids("customeraddresses", "CustomerId", ids).await {
            Ok(found) => Ok(rows::addresses(&found)),
            Err(ConnectorError::Forbidden { .. }) => {
                // The office did not allow this endpoint: import without addresses rather than not at all.
                tracing::warn!("the API key may not read customeraddresses; customers are imported without address");
                self.addresses.store(false, Ordering::Relaxed);
                Ok(HashMap::new())
            }
            Err(e) => Err(e),
        }
    }
}

pub(crate) fn parse(message: String) -> ConnectorError {
    ConnectorError::Parse { provider: DISPLAY_NAME.into(), message }
}
