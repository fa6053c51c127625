//! `POST /json/2/{model}/{method}`: counted; a due fault; the bearer key and the database
//! (`X-Odoo-Database`, or the only one); the JSON body; the call. With an `AfterStore` fault the
//! call is carried out and then the answer is cut off or held back.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;

use super::{answered, early, take};
use crate::odoo::config::BOT_UID;
use crate::odoo::error::OdooError;
use crate::odoo::faults::OdooFaultKind;
use crate::odoo::methods::{self, Args};
use crate::odoo::state::Shared;
use crate::state::lock;

pub async fn call(
    State(shared): State<Arc<Shared>>,
    Path((model, method)): Path<(String, String)>,
    http_method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/json/2/{model}/{method}");
    lock(&shared.stats).arrived(&format!("{http_method} {path}"));
    let response = match take(&shared, &path) {
        Some(kind @ OdooFaultKind::AfterStore { .. }) => {
            let response = serve(&shared, &model, &method, &http_method, &headers, &body);
            return withheld(&shared, kind, &http_method, &path, response).await;
        }
        fault => match early(fault).await {
            Some(early) => early,
            None => serve(&shared, &model, &method, &http_method, &headers, &body),
        },
    };
    answered(&shared, http_method.as_str(), &path, &response);
    response
}

fn serve(shared: &Shared, model: &str, method: &str, http: &Method, headers: &HeaderMap, body: &Bytes) -> Response {
    match run(shared, model, method, http, headers, body) {
        Ok(value) => axum::Json(value).into_response(),
        Err(e) => e.into_response(),
    }
}

fn run(
    shared: &Shared,
    model: &str,
    method: &str,
    http: &Method,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<serde_json::Value, OdooError> {
    if http != Method::POST {
        return Err(OdooError::not_found("Did you mean POST /json/2/<model>/<method>?"));
    }
    let header = headers.get("x-odoo-database").and_then(|v| v.to_str().ok());
    let Some(database) = shared.database_for(header) else {
        return Err(OdooError::not_found("Not Found"));
    };
    let key = bearer(headers).ok_or_else(OdooError::unauthorized)?;
    if !shared.accepts(&database, &key) {
        return Err(OdooError::unauthorized());
    }
    let value = if body.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(body)
            .map_err(|e| OdooError::bad_request(format!("could not parse the body as json: {e}")))?
    };
    let args = Args::parse(model, method, value, BOT_UID)?;
    let mut dbs = lock(&shared.databases);
    let db = dbs.get_mut(&database).ok_or_else(|| OdooError::not_found("Not Found"))?;
    methods::dispatch(db, &args)
}

/// The call was carried out; now the client gets no usable answer.
async fn withheld(shared: &Shared, kind: OdooFaultKind, method: &Method, path: &str, response: Response) -> Response {
    match kind {
        OdooFaultKind::AfterStore { delay_ms: Some(ms) } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            answered(shared, method.as_str(), path, &response);
            response
        }
        _ => {
            // Promise more bytes than are sent: the server closes the connection mid-body and the
            // client reads an incomplete answer (a transport error).
            lock(&shared.stats).answered(crate::stats::RequestLine {
                method: method.to_string(),
                path: path.to_string(),
                query: None,
                status: 0,
            });
            let mut cut = Response::new(Body::from("["));
            *cut.status_mut() = StatusCode::OK;
            cut.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            cut.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from_static("65536"));
            cut
        }
    }
}

/// The `bearer` value of `Authorization` (scheme case-insensitive) [C].
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}
