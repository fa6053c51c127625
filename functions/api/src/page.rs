//! Lists: `?limit=&page_token=` in, `{"items": [...], "next_page_token": ...}` out.

use serde::{Deserialize, Serialize};

/// How many items a page has when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 50;

/// Every list answer. `next_page_token` is `null` on the last page (and for lists that are not paged).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_page_token: Option<String>,
}

impl<T> Page<T> {
    /// A list that is returned whole.
    pub fn all(items: Vec<T>) -> Self {
        Self { items, next_page_token: None }
    }
    pub fn from_parts((items, next_page_token): (Vec<T>, Option<String>)) -> Self {
        Self { items, next_page_token }
    }
}

/// A paged list's query string.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page (default 50; the server caps it).
    pub limit: Option<usize>,
    /// `next_page_token` of the previous page.
    pub page_token: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_LIMIT)
    }
    pub fn token(&self) -> Option<&str> {
        self.page_token.as_deref().filter(|t| !t.is_empty())
    }
}

/// The query string of a list that is capped but not paged.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LimitQuery {
    /// Most items to return (default 50; the server caps it).
    pub limit: Option<usize>,
}

impl LimitQuery {
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_LIMIT)
    }
}
