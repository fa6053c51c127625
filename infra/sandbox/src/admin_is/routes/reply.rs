//! Answers in Admin IS's shapes: errors `{"ErrorMessage": "…"}`, 404 "Nothing found" for an empty
//! list, and pages with an RFC 8288 `link` header (`first`, `prev`, `next`, `last`).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "ErrorMessage": message.into() }))).into_response()
}

pub fn nothing_found() -> Response {
    error(StatusCode::NOT_FOUND, "Nothing found")
}

pub async fn no_route() -> Response {
    error(StatusCode::NOT_FOUND, "No HTTP resource was found that matches the request URI.")
}

/// The query parameters a list call understands.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub filter: Option<String>,
    pub per_page: Option<String>,
    pub page: Option<String>,
}

impl ListQuery {
    pub fn read(pairs: Vec<(String, String)>) -> Self {
        let mut q = ListQuery::default();
        for (k, v) in pairs {
            match k.to_ascii_lowercase().as_str() {
                "filter" => q.filter = Some(v),
                "per_page" => q.per_page = Some(v),
                "page" => q.page = Some(v),
                _ => {}
            }
        }
        q
    }
}

/// Where a page was asked: the host and path the links are built on.
pub struct Origin {
    pub host: String,
    pub path: String,
}

/// Which rows a page holds.
pub struct Window {
    pub start: usize,
    pub per_page: u32,
    pub page: usize,
    pub pages: usize,
}

/// Why there is no page to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPage {
    /// 400 with this message.
    Bad(&'static str),
    /// 404 "Nothing found": no rows, or past the last page.
    NothingFound,
}

impl NoPage {
    pub fn answer(self) -> Response {
        match self {
            NoPage::Bad(message) => error(StatusCode::BAD_REQUEST, message),
            NoPage::NothingFound => nothing_found(),
        }
    }
}

/// Page `page` (1-based) of `len` rows, `per_page` capped at `max`.
pub fn window(len: usize, q: &ListQuery, default: u32, max: u32) -> Result<Window, NoPage> {
    let per_page = match q.per_page.as_deref().map(|p| p.trim().parse::<u32>()) {
        None => default.max(1),
        Some(Ok(n)) if n > 0 => n.min(max.max(1)),
        Some(_) => return Err(NoPage::Bad("per_page must be a positive whole number")),
    };
    let page = match q.page.as_deref().map(|p| p.trim().parse::<usize>()) {
        None => 1,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => return Err(NoPage::Bad("page must be a positive whole number")),
    };
    let pages = len.div_ceil(per_page as usize);
    if len == 0 || page > pages {
        return Err(NoPage::NothingFound);
    }
    Ok(Window { start: (page - 1) * per_page as usize, per_page, page, pages })
}

/// The page's rows with the `link` header (`first`, `prev`, `next`, `last`).
pub fn page(body: Vec<Value>, w: &Window, q: &ListQuery, origin: &Origin) -> Response {
    let link = |p: usize, rel: &str| format!("<{}>; rel=\"{rel}\"", url(origin, q.filter.as_deref(), w.per_page, p));
    let mut links = vec![link(1, "first")];
    if w.page > 1 {
        links.push(link(w.page - 1, "prev"));
    }
    if w.page < w.pages {
        links.push(link(w.page + 1, "next"));
    }
    links.push(link(w.pages, "last"));
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

/// `http://{host}{path}?Filter=…&per_page=…&page=…`, spaces as `%20`.
fn url(origin: &Origin, filter: Option<&str>, per_page: u32, page: usize) -> String {
    let mut query = String::new();
    if let Some(f) = filter {
        query.push_str("Filter=");
        query.push_str(&encode(f));
        query.push('&');
    }
    query.push_str(&format!("per_page={per_page}&page={page}"));
    format!("http://{}{}?{query}", origin.host, origin.path)
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '&' => out.push_str("%26"),
            '#' => out.push_str("%23"),
            '+' => out.push_str("%2B"),
            '\'' => out.push_str("%27"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}
