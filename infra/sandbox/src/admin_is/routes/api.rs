//! The endpoints: token, API settings, customers (list, one), customer addresses and the change
//! feed. Lists page by `per_page` (capped at `MaxRecordsPerPage`) and `page`, with `link` headers.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDateTime;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::reply::{ListQuery, Origin, error, nothing_found, page, window};
use crate::admin_is::filter::{Filter, Filterable, Val};
use crate::admin_is::model::{Change, Customer, CustomerAddress, DATETIME_FORMAT};
use crate::admin_is::state::Shared;
use crate::state::{lock, read};

type Pairs = Query<Vec<(String, String)>>;

/// `GET /api/v1/token/{apiKey}` → `{TokenGuid, TimeToLive}`.
pub async fn token(State(shared): State<Arc<Shared>>, Path(key): Path<String>) -> Response {
    if key != shared.config.api_key {
        return error(StatusCode::UNAUTHORIZED, "The API key is not valid.");
    }
    if !shared.vendor_active.load(Ordering::SeqCst) {
        return error(StatusCode::FORBIDDEN, "The software is not active for this office.");
    }
    let now = shared.config.clock.now();
    let until = now + chrono::Duration::from_std(shared.config.token_ttl).unwrap_or_default();
    let n = shared.token_serial.fetch_add(1, Ordering::SeqCst);
    let token = lock(&shared.tokens).issue(shared.config.seed, n, until);
    Json(json!({ "TokenGuid": token, "TimeToLive": until.naive_utc().format(DATETIME_FORMAT).to_string() }))
        .into_response()
}

/// `GET /api/v1/apisettings`.
pub async fn settings(State(shared): State<Arc<Shared>>) -> Response {
    let c = &shared.config;
    Json(json!({
        "DefaultRecordsPerPage": c.default_per_page,
        "MaxRecordsPerPage": c.max_per_page,
        "DurationToken": c.token_ttl.as_secs() / 60,
        "RateLimit": c.rate_limit,
    }))
    .into_response()
}

/// Writes are refused (the guard already answered 405; this never runs).
pub async fn read_only() -> Response {
    error(StatusCode::METHOD_NOT_ALLOWED, "read-only")
}

const CUSTOMER_FIELDS: [&str; 10] = [
    "CustomerId",
    "Name",
    "Firstname",
    "Email",
    "VATNr",
    "CustCode",
    "IsActive",
    "IsCompany",
    "Newsletter",
    "CreationDate",
];
const ADDRESS_FIELDS: [&str; 6] =
    ["CustomerId", "CustomerAddressId", "RegisteredOffice", "InvoiceAddress", "PostalAddress", "City"];
const CHANGE_FIELDS: [&str; 6] = ["LogId", "ActionType", "TableName", "Id", "OwnId", "DateAction"];

/// `GET /api/v1/customers[?Filter=…][&per_page=N][&page=P]`, in `CustomerId` order.
pub async fn customers(State(shared): State<Arc<Shared>>, headers: HeaderMap, Query(q): Pairs) -> Response {
    let q = ListQuery::read(q);
    let store = read(&shared.store);
    let rows = select(store.customers(), q.filter.as_deref(), &CUSTOMER_FIELDS, usize::MAX);
    respond(&shared, rows, &q, &headers, "/api/v1/customers")
}

/// `GET /api/v1/customers/{id}`.
pub async fn customer(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let found = id.trim().parse::<u64>().ok().and_then(|id| read(&shared.store).customer(id).cloned());
    match found.and_then(|c| serde_json::to_value(c).ok()) {
        Some(c) => Json(c).into_response(),
        None => nothing_found(),
    }
}

/// `GET /api/v1/customeraddresses[?Filter=…]`.
pub async fn addresses(State(shared): State<Arc<Shared>>, headers: HeaderMap, Query(q): Pairs) -> Response {
    let q = ListQuery::read(q);
    let store = read(&shared.store);
    let rows = select(store.addresses(), q.filter.as_deref(), &ADDRESS_FIELDS, usize::MAX);
    respond(&shared, rows, &q, &headers, "/api/v1/customeraddresses")
}

/// `GET /api/v1/customer/changes?Filter=…`, oldest first, at most `feed_max_rows` per query.
pub async fn changes(State(shared): State<Arc<Shared>>, headers: HeaderMap, Query(q): Pairs) -> Response {
    let q = ListQuery::read(q);
    let store = read(&shared.store);
    let rows = select(store.changes().iter(), q.filter.as_deref(), &CHANGE_FIELDS, shared.config.feed_max_rows);
    respond(&shared, rows, &q, &headers, "/api/v1/customer/changes")
}

/// The asked page of `rows`, printed (only that page is turned into JSON).
fn respond<T: Printable>(
    shared: &Shared,
    rows: Result<Vec<&T>, String>,
    q: &ListQuery,
    headers: &HeaderMap,
    path: &str,
) -> Response {
    let rows = match rows {
        Ok(rows) => rows,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let w = match window(rows.len(), q, shared.config.default_per_page, shared.config.max_per_page) {
        Ok(w) => w,
        Err(no_page) => return no_page.answer(),
    };
    let body: Vec<Value> = rows.iter().skip(w.start).take(w.per_page as usize).map(|r| r.print()).collect();
    let asked = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1").to_string();
    let host = lock(&shared.link_host).clone().unwrap_or(asked);
    page(body, &w, q, &Origin { host, path: path.to_string() })
}

/// The rows passing `filter` (all when none), at most `cap`.
fn select<'a, T: Filterable + 'a>(
    rows: impl Iterator<Item = &'a T>,
    filter: Option<&str>,
    fields: &[&str],
    cap: usize,
) -> Result<Vec<&'a T>, String> {
    let filter = match filter.map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => Some(Filter::parse(f, fields)?),
        None => None,
    };
    let mut out = Vec::new();
    for row in rows {
        if out.len() >= cap {
            break;
        }
        if filter.as_ref().map_or(Ok(true), |f| f.matches(row))? {
            out.push(row);
        }
    }
    Ok(out)
}

/// How a row is printed.
trait Printable {
    fn print(&self) -> Value;
}

impl Printable for Customer {
    fn print(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl Printable for CustomerAddress {
    fn print(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl Printable for Change {
    fn print(&self) -> Value {
        self.to_json()
    }
}

fn text(v: &Option<String>) -> Val {
    Val::Text(v.clone().unwrap_or_default())
}

impl Filterable for Customer {
    fn field(&self, field: &str) -> Option<Val> {
        Some(match field {
            "CustomerId" => Val::Num(self.customer_id as i64),
            "Name" => Val::Text(self.name.clone()),
            "Firstname" => text(&self.firstname),
            "Email" => text(&self.email),
            "VATNr" => text(&self.vat_nr),
            "CustCode" => text(&self.cust_code),
            "IsActive" => Val::Bool(self.is_active),
            "IsCompany" => Val::Bool(self.is_company),
            "Newsletter" => Val::Bool(self.newsletter),
            "CreationDate" => Val::Time(NaiveDateTime::parse_from_str(&self.creation_date, DATETIME_FORMAT).ok()?),
            _ => return None,
        })
    }
}

impl Filterable for CustomerAddress {
    fn field(&self, field: &str) -> Option<Val> {
        Some(match field {
            "CustomerId" => Val::Num(self.customer_id as i64),
            "CustomerAddressId" => Val::Num(self.customer_address_id as i64),
            "RegisteredOffice" => Val::Bool(self.registered_office),
            "InvoiceAddress" => Val::Bool(self.invoice_address),
            "PostalAddress" => Val::Bool(self.postal_address),
            "City" => Val::Text(self.city.clone()),
            _ => return None,
        })
    }
}

impl Filterable for Change {
    fn field(&self, field: &str) -> Option<Val> {
        Some(match field {
            "LogId" => Val::Num(self.log_id as i64),
            "ActionType" => Val::Text(self.action.as_str().into()),
            "TableName" => Val::Text(self.table.into()),
            "Id" => Val::Num(self.id as i64),
            "OwnId" => Val::Num(self.own_id as i64),
            "DateAction" => Val::Time(self.at),
            _ => return None,
        })
    }
}
