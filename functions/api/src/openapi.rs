//! `/openapi.json`: the OpenAPI document, generated from the handlers' `#[utoipa::path]`s and
//! the domain types' schemas, with the test-connection function's part merged in.

use std::sync::LazyLock;

use koppel_runtime::http::{ErrorBody, Json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, RefOr, Response, ResponseBuilder, content::ContentBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::{activation, catalog, connections, contacts, customers, link_rules, links, runs, sync_now};

#[derive(OpenApi)]
#[openapi(
    info(title = "Koppel", description = "Koppel's integration API. The tenant comes from the bearer token."),
    paths(
        document,
        catalog::list,
        link_rules::list_connections, connections::create, link_rules::get_connection, connections::update,
        connections::delete, link_rules::get, link_rules::put,
        activation::activate, activation::deactivate,
        sync_now::request,
        runs::list, runs::get, runs::logs,
        links::unmatched, links::link, links::unlink,
        customers::list, customers::create, customers::get, customers::merge, customers::invoices,
        customers::payments,
        contacts::list, contacts::put, contacts::get, contacts::communications,
    ),
    components(schemas(ErrorBody)),
    modifiers(&Security, &CommonErrors),
    security(("bearer" = [])),
    tags(
        (name = "connectors", description = "What can be connected"),
        (name = "connections", description = "A tenant's links to provider accounts"),
        (name = "runs", description = "Syncs and their logs"),
        (name = "links", description = "Manual linking of provider customers"),
        (name = "customers", description = "Platform customers and their records"),
        (name = "contacts", description = "Platform contacts (newsletter) and their communications"),
        (name = "webhooks", description = "Requests from providers (verified by a per-connection token)"),
    )
)]
pub struct ApiDoc;

static DOCUMENT: LazyLock<Document> = LazyLock::new(|| {
    let mut doc = ApiDoc::openapi();
    doc.merge(test_connection::TestConnectionDoc::openapi());
    doc.merge(flexmail_webhook::FlexmailWebhookDoc::openapi());
    doc.merge(crate::imports::ImportsDoc::openapi());
    doc.merge(oauth_callback::OAuthCallbackDoc::openapi());
    doc.merge(meeting_push::MeetingPushDoc::openapi());
    CommonErrors.modify(&mut doc);
    doc
});

/// The whole HTTP API as an OpenAPI document (no token needed).
#[utoipa::path(get, path = "/openapi.json", operation_id = "get_openapi", tag = "connectors", security(()),
    responses((status = 200, description = "This document", content_type = "application/json")))]
pub async fn document() -> Json<&'static Document> {
    Json(&DOCUMENT)
}

/// The bearer scheme: a JWT whose tenant claim (`TENANT_CLAIM`) names the caller's tenant.
struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut Document) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .description(Some("A JWT whose tenant claim names the tenant; verified by API Gateway."))
            .build();
        doc.components.get_or_insert_with(Default::default).add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Answers every authenticated operation can give, so each path lists only its own.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, doc: &mut Document) {
        let common = [
            ("401", "No valid token"),
            ("403", "The token names no usable tenant"),
            ("500", "Koppel failed; logged"),
            ("503", "A backing service is unavailable; try again"),
        ];
        for item in doc.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.patch, &mut item.delete, &mut item.put];
            for op in ops.into_iter().flatten() {
                let public = op.security.as_ref().is_some_and(|s| s.iter().all(|r| r == &Default::default()));
                for (status, description) in common.iter().filter(|_| !public) {
                    op.responses.responses.entry(status.to_string()).or_insert_with(|| error_response(description));
                }
            }
        }
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    let content =
        ContentBuilder::new().schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(ErrorBody::name()))));
    RefOr::T(ResponseBuilder::new().description(description).content("application/json", content.build()).build())
}
