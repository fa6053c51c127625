//! Spreadsheet import of customers: preview (dry run), import, and the imports' outcomes.
//! The body is the .xlsx or .csv file itself; see `docs/import.md`.

pub mod upload;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Extension, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use koppel_core::import::{self, ImportDetail, ImportOptions, ImportRecord, Ports, Preview, PreviewOptions};
use koppel_runtime::http::{ApiError, AppState, ErrorBody, Json, Query, Tenant};
use upload::UploadError;

use crate::page::{LimitQuery, Page};

/// The import routes, with the upload size limit on the two that take a file.
pub fn routes() -> Router<AppState> {
    // One byte more than allowed, so that "too large" is told apart from "exactly the limit".
    let limit = DefaultBodyLimit::max(upload::MAX_UPLOAD_BYTES + 1);
    Router::new()
        .route("/imports/customers/preview", post(preview).layer(limit))
        .route("/imports/customers", post(run).layer(limit))
        .route("/imports", get(list))
        .route("/imports/{id}", get(read))
}

type LambdaContext = Option<Extension<lambda_http::Context>>;

/// What an import of this file would do; writes nothing.
#[utoipa::path(post, path = "/imports/customers/preview", operation_id = "preview_customer_import", tag = "imports",
    request_body(description = "The .xlsx or .csv file itself (at most 6 MB)", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
        (Vec<u8> = "application/octet-stream"))),
    params(upload::ImportParams, ("problems" = Option<usize>, Query, description = "How many problems to list (default 100, at most 500)")),
    responses(
        (status = 200, description = "Counts, the first problems by row and column, the mapping in force", body = Preview),
        (status = 400, description = "Not a sheet, no data rows, a mapping naming a missing column, no name column, an unknown field; nothing written", body = ErrorBody),
        (status = 413, description = "The file is larger than 6 MB", body = ErrorBody),
        (status = 415, description = "The body is not a spreadsheet (e.g. a form upload)", body = ErrorBody),
    ))]
pub async fn preview(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    lambda: LambdaContext,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Preview>, UploadError> {
    let o = upload::options(q, &["problems"])?;
    let file = upload::file(&headers, body, o.sheet.as_deref())?;
    let deadline = upload::deadline(lambda.map(|Extension(c)| c.deadline), s.deps.clock.now());
    let options = PreviewOptions { mapping: o.mapping, problems: o.problems, deadline };
    Ok(Json(import::preview(Ports::of(&s.deps), &t, &file, options).await?))
}

/// Import the file: valid rows are created or updated (matched by the key), unchanged rows cost
/// nothing, invalid rows are listed with the reason. `?resume={id}` goes on with an import that
/// stopped (same file).
#[utoipa::path(post, path = "/imports/customers", operation_id = "import_customers", tag = "imports",
    request_body(description = "The .xlsx or .csv file itself (at most 6 MB)", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/csv"),
        (Vec<u8> = "application/octet-stream"))),
    params(upload::ImportParams, ("resume" = Option<String>, Query, description = "Go on with this import (it stopped; same file, its mapping)")),
    responses(
        (status = 201, description = "The import; `status` is `completed`, or `incomplete` at the time limit (resume it)", body = ImportDetail,
            headers(("Location" = String, description = "/imports/{id}"))),
        (status = 200, description = "The resumed import", body = ImportDetail),
        (status = 400, description = "Not a sheet, no data rows, a mapping naming a missing column, no name column, an unknown field; nothing written", body = ErrorBody),
        (status = 404, description = "No such import to resume for this tenant", body = ErrorBody),
        (status = 409, description = "The import to resume is complete, still running, or was another file", body = ErrorBody),
        (status = 413, description = "The file is larger than 6 MB", body = ErrorBody),
        (status = 415, description = "The body is not a spreadsheet (e.g. a form upload)", body = ErrorBody),
    ))]
pub async fn run(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    lambda: LambdaContext,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, UploadError> {
    let o = upload::options(q, &["resume"])?;
    let file = upload::file(&headers, body, o.sheet.as_deref())?;
    let deadline = upload::deadline(lambda.map(|Extension(c)| c.deadline), s.deps.clock.now());
    let resumed = o.resume.is_some();
    let options = ImportOptions { mapping: o.mapping, deadline, resume: o.resume };
    let detail = import::import(Ports::of(&s.deps), &t, &file, options).await?;
    let location = format!("/imports/{}", detail.import.id);
    let status = if resumed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, [(header::LOCATION, location)], Json(detail)).into_response())
}

/// The tenant's imports, newest first (summaries; the problems are on each import).
#[utoipa::path(get, path = "/imports", operation_id = "list_imports", tag = "imports", params(LimitQuery),
    responses((status = 200, description = "The imports (not paged; at most 200)", body = Page<ImportRecord>)))]
pub async fn list(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Query(q): Query<LimitQuery>,
) -> Result<Json<Page<ImportRecord>>, ApiError> {
    Ok(Json(Page::all(import::record::list(s.deps.store.as_ref(), &t, q.limit()).await?)))
}

/// One import: its counts, status and the first 500 row problems.
#[utoipa::path(get, path = "/imports/{id}", operation_id = "get_import", tag = "imports",
    params(("id" = String, Path, description = "Import id")),
    responses(
        (status = 200, description = "The import with its problems", body = ImportDetail),
        (status = 404, description = "No such import for this tenant", body = ErrorBody),
    ))]
pub async fn read(
    State(s): State<AppState>,
    Tenant(t): Tenant,
    Path(id): Path<String>,
) -> Result<Json<ImportDetail>, ApiError> {
    Ok(Json(import::record::load(s.deps.store.as_ref(), &t, &id).await?))
}

/// This module's part of `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(preview, run, list, read),
    components(schemas(Preview, ImportDetail, ImportRecord, ErrorBody)),
    tags((name = "imports", description = "Spreadsheet import of customers (.xlsx, .csv)"))
)]
pub struct ImportsDoc;
