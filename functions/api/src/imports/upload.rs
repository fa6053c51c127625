//! The upload: the body is the file itself; the mapping and options are in the query string
//! (`?matching_key=vat_number&map.name=Naam&map.vat_number=BTW&sheet=Klanten`).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, TimeZone, Utc};
use koppel_core::AppError;
use koppel_core::domain::settings_input::FieldProblem;
use koppel_core::import::MappingRequest;
use koppel_core::import::mapping::{parse_field, parse_key};
use koppel_runtime::http::ApiError;
use koppel_runtime::http::error::{ErrorBody, code};
use koppel_sheets::SheetFile;

/// The largest file one request takes: Lambda's request limit (6 MB). Behind API Gateway an
/// .xlsx body arrives base64-encoded, which leaves about 4.5 MB for the file itself.
pub const MAX_UPLOAD_BYTES: usize = 6 * 1024 * 1024;
/// Time kept back from the Lambda deadline to save the import and answer.
const DEADLINE_MARGIN_SECS: i64 = 4;
/// API Gateway gives up on an answer after 30 s, whatever the function's timeout.
const GATEWAY_BUDGET_SECS: i64 = 26;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Content types a spreadsheet arrives with (browsers label .csv files in several ways).
const ACCEPTED: [&str; 7] = [
    XLSX,
    "text/csv",
    "application/csv",
    "text/comma-separated-values",
    "text/plain",
    "application/vnd.ms-excel",
    "application/octet-stream",
];

/// The query string of both upload routes, for the OpenAPI document ([`options`] parses it:
/// unknown parameters and fields are refused by name).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ImportParams {
    /// `customer_number`, `vat_number`, `email` or `name`: how rows find their platform customer.
    /// Default: the first of these that has a column.
    matching_key: Option<koppel_core::domain::matching_key::MatchingKey>,
    /// The worksheet to read (.xlsx). Default: the first visible one.
    sheet: Option<String>,
    /// The column holding the name (the header as in the file). Every `map.<field>` overrides the
    /// column suggested from the headers; an empty value leaves that field out.
    #[serde(rename = "map.name")]
    map_name: Option<String>,
    #[serde(rename = "map.customer_number")]
    map_customer_number: Option<String>,
    #[serde(rename = "map.vat_number")]
    map_vat_number: Option<String>,
    #[serde(rename = "map.email")]
    map_email: Option<String>,
    #[serde(rename = "map.phone")]
    map_phone: Option<String>,
    #[serde(rename = "map.coc_number")]
    map_coc_number: Option<String>,
    #[serde(rename = "map.street")]
    map_street: Option<String>,
    #[serde(rename = "map.postcode")]
    map_postcode: Option<String>,
    #[serde(rename = "map.city")]
    map_city: Option<String>,
}

/// What the query string asks for.
#[derive(Debug, Default)]
pub struct Options {
    pub mapping: MappingRequest,
    pub sheet: Option<String>,
    pub problems: Option<usize>,
    pub resume: Option<String>,
}

/// Parse the query string; `extra` names the parameters this route takes besides the mapping.
pub fn options(pairs: Vec<(String, String)>, extra: &[&str]) -> Result<Options, ApiError> {
    let mut o = Options::default();
    let mut problems = Vec::new();
    for (name, value) in pairs {
        let value = value.trim().to_string();
        match name.as_str() {
            "matching_key" if !value.is_empty() => match parse_key(&value) {
                Ok(k) => o.mapping.matching_key = Some(k),
                Err(p) => problems.push(p),
            },
            "matching_key" => {}
            "sheet" => o.sheet = Some(value).filter(|v| !v.is_empty()),
            "problems" if extra.contains(&"problems") => match value.parse::<usize>() {
                Ok(n) if n >= 1 => o.problems = Some(n),
                _ => problems
                    .push(FieldProblem::new("problems", "give how many problems to list: a number from 1 to 500")),
            },
            "resume" if extra.contains(&"resume") => o.resume = Some(value).filter(|v| !v.is_empty()),
            other => match other.strip_prefix("map.") {
                Some(field) => match parse_field(field) {
                    Ok(f) => {
                        o.mapping.columns.insert(f, value);
                    }
                    Err(p) => problems.push(p),
                },
                None => {
                    let known =
                        ["matching_key", "sheet", "map.<field>"].iter().chain(extra).copied().collect::<Vec<_>>();
                    problems.push(FieldProblem::new(
                        other,
                        format!("{other:?} is not a parameter of this route; it takes: {}", known.join(", ")),
                    ));
                }
            },
        }
    }
    if problems.is_empty() { Ok(o) } else { Err(AppError::Invalid(problems).into()) }
}

/// Why an upload is refused (the use-case's own refusals come as [`UploadError::App`]).
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file was sent as a form (multipart/form-data); send the file itself as the request body")]
    Form,
    #[error("Content-Type {0} is not a spreadsheet")]
    ContentType(String),
    #[error("the file is larger than {} MB, the most one upload can be", MAX_UPLOAD_BYTES >> 20)]
    TooLarge,
    #[error("the request body could not be read")]
    Unreadable,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<ApiError> for UploadError {
    fn from(e: ApiError) -> Self {
        UploadError::App(e.0)
    }
}

impl IntoResponse for UploadError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let (status, body) = match self {
            UploadError::Form | UploadError::ContentType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorBody::new(code::INVALID_INPUT, message).with_hint(format!(
                    "Send the .xlsx or .csv file as the body, with Content-Type {XLSX}, text/csv or application/octet-stream."
                )),
            ),
            UploadError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorBody::new(code::PAYLOAD_TOO_LARGE, message).with_hint(
                    "Save the list as .xlsx (much smaller than .csv), or split it into files of at most 6 MB and \
                     import them one after the other.",
                ),
            ),
            UploadError::Unreadable => {
                (StatusCode::BAD_REQUEST, ErrorBody::new(code::INVALID_INPUT, message).with_hint("Send the file again."))
            }
            UploadError::App(e) => return ApiError(e).into_response(),
        };
        tracing::info!(status = status.as_u16(), code = %body.error, "upload refused");
        body.into_response_with(status)
    }
}

/// The uploaded file, checked: a spreadsheet content type (or none), within the size limit, an
/// .xlsx or .csv file.
pub fn file(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    sheet: Option<&str>,
) -> Result<SheetFile, UploadError> {
    content_type(headers)?;
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE { UploadError::TooLarge } else { UploadError::Unreadable }
    })?;
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(UploadError::TooLarge);
    }
    SheetFile::new(bytes, sheet).map_err(|e| {
        let field = if matches!(e, koppel_sheets::SheetError::NoSuchSheet { .. }) { "sheet" } else { "file" };
        AppError::invalid(field, e.to_string()).into()
    })
}

fn content_type(headers: &HeaderMap) -> Result<(), UploadError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else { return Ok(()) };
    let mime = value.to_str().unwrap_or_default().split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match mime.as_str() {
        "" => Ok(()),
        m if ACCEPTED.contains(&m) => Ok(()),
        "multipart/form-data" => Err(UploadError::Form),
        _ => Err(UploadError::ContentType(mime)),
    }
}

/// When to stop writing: in Lambda, a few seconds before the invocation's deadline and before
/// API Gateway stops waiting; elsewhere (the local runner, tests) there is no limit.
pub fn deadline(lambda_deadline_ms: Option<u64>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let ms = i64::try_from(lambda_deadline_ms?).ok()?;
    let lambda = Utc.timestamp_millis_opt(ms).single()? - Duration::seconds(DEADLINE_MARGIN_SECS);
    Some(lambda.min(now + Duration::seconds(GATEWAY_BUDGET_SECS)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn the_query_string_becomes_the_mapping() {
        let o = options(
            pairs(&[("matching_key", "email"), ("map.name", " Naam "), ("map.phone", ""), ("sheet", "Klanten")]),
            &[],
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(o.mapping.matching_key, Some(koppel_core::domain::matching_key::MatchingKey::Email));
        assert_eq!(o.mapping.columns.len(), 2, "map.phone= takes the phone column away");
        assert_eq!(o.sheet.as_deref(), Some("Klanten"));
    }

    #[test]
    fn unknown_parameters_and_fields_are_named() {
        let Err(ApiError(AppError::Invalid(p))) =
            options(pairs(&[("map.adres", "A"), ("resume", "x"), ("matching_key", "kvk")]), &["problems"])
        else {
            panic!("accepted");
        };
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["map.adres", "resume", "matching_key"]);
        assert!(p[1].message.contains("it takes: matching_key, sheet, map.<field>, problems"), "{}", p[1].message);
    }

    #[test]
    fn the_deadline_leaves_time_to_answer() {
        let now = Utc.timestamp_opt(1_000, 0).single().unwrap_or_default();
        assert_eq!(deadline(None, now), None);
        assert_eq!(deadline(Some(1_029_000), now), Utc.timestamp_opt(1_025, 0).single());
        assert_eq!(deadline(Some(1_900_000), now), Utc.timestamp_opt(1_026, 0).single(), "API Gateway's 30 s");
    }
}
