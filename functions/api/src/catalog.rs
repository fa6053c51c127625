//! The connectors a tenant can set up, with their setup fields and streams.

use koppel_core::domain::catalog::{self, ConnectorSpec};
use koppel_runtime::http::{Json, Tenant};

use crate::page::Page;

/// The catalog: providers, auth type, setup fields, streams.
#[utoipa::path(get, path = "/connectors", operation_id = "list_connectors", tag = "connectors",
    responses((status = 200, description = "Every connector Koppel offers", body = Page<ConnectorSpec>)))]
pub async fn list(_caller: Tenant) -> Json<Page<ConnectorSpec>> {
    Json(Page::all(catalog::catalog()))
}
