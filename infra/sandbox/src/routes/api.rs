//! `GET /v2/echo/{text}`, `/v2/companyInfo`, `/v2/relaties`, `/v2/verkoopfacturen` (one
//! relatie and the writes: `relaties.rs`).

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

use crate::data::Resource;
use crate::odata;
use crate::rng::{Stream, guid_text};
use crate::state::{Shared, read};

/// The body shape of the real echo is unknown; clients only look at the status.
pub async fn echo(Path(text): Path<String>) -> Json<Value> {
    Json(json!({"echo": text}))
}

pub async fn company_info(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let config = &shared.config;
    Json(json!({
        "administratieIdentifier": guid_text(Stream::new(config.seed, 99, 0).guid()),
        "administratieNaam": config.administration_name,
        "bedrijfsnaam": config.administration_name,
        "plaats": "Utrecht",
        "btwNummer": "NL000099998B57",
        "kvKNummer": "99999999",
        "huidigBoekjaar": 2024,
    }))
}

pub async fn relaties(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    list(&shared, Resource::Relaties, query.as_deref().unwrap_or_default())
}

pub async fn verkoopfacturen(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    list(&shared, Resource::Verkoopfacturen, query.as_deref().unwrap_or_default())
}

/// A bare JSON array, like SnelStart; a bad query is a 400 with a SnelStart-style body.
fn list(shared: &Shared, resource: Resource, raw_query: &str) -> Response {
    match odata::parse(raw_query, resource.model(), resource == Resource::Verkoopfacturen) {
        Ok(query) => Json(Value::Array(read(&shared.data).page(resource, &query))).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, Json(e.body())).into_response(),
    }
}
