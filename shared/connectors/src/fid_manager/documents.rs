//! Reports to "documents to approve": uploaded linked to the picked client (and folder), found
//! again by the marker in their description, replaced by deleting the earlier version first.

use koppel_core::ports::meeting::{ItemFile, ItemKind, PushItem, Pushed, Revision, TargetRef};
use koppel_core::ports::source::ConnectorError;
use reqwest::header::CONTENT_TYPE;

use super::DISPLAY_NAME;
use super::assumptions::{
    DELETE_REFUSED_STATUS, DELETE_SUPPORTED, DOCUMENTS_CLIENT_PARAM, DOCUMENTS_PATH, FIRST_PAGE, FOLDER_REQUIRED,
    MAX_FILE_BYTES, MAX_FIND_PAGES, PAGE_PARAM, PAGE_SIZE, PAGE_SIZE_PARAM, SEARCH_PARAM, UPLOAD_CLIENT_FIELD,
    UPLOAD_DESCRIPTION_FIELD, UPLOAD_FILE_FIELD, UPLOAD_FOLDER_FIELD, UPLOAD_PATH, carries_marker, description,
};
use super::errors::{Subject, error_message};
use super::multipart::Form;
use super::targets::{CLIENT, koppel_side, more};
use super::transport::{Kind, Transport, parse};
use super::wire::{self, Document};

/// The client and folder a report goes to.
struct Place<'a> {
    client: &'a str,
    folder: Option<&'a str>,
}

fn place(target: &TargetRef) -> Result<Place<'_>, ConnectorError> {
    let client = target.id.trim();
    if target.kind != CLIENT || client.is_empty() {
        return Err(koppel_side(format!(
            "a Fid-Manager meeting target is a client (with a folder), not '{}': pick the target again",
            target.kind
        )));
    }
    let folder = target.folder.as_deref().map(str::trim).filter(|f| !f.is_empty());
    if FOLDER_REQUIRED && folder.is_none() {
        return Err(koppel_side("pick a folder of the Fid-Manager client for this meeting".into()));
    }
    Ok(Place { client, folder })
}

/// The report's file, checked before anything is deleted or sent.
fn report(item: &PushItem) -> Result<&ItemFile, ConnectorError> {
    if item.kind != ItemKind::Report {
        return Err(koppel_side(format!("Fid-Manager takes reports only, not {}s", item.kind.as_str())));
    }
    let file = item.file.as_ref().ok_or_else(|| koppel_side(format!("the report '{}' has no file", item.title)))?;
    if file.bytes.len() > MAX_FILE_BYTES {
        return Err(ConnectorError::Rejected {
            provider: DISPLAY_NAME.into(),
            status: 413,
            message: format!(
                "the report '{}' is {} MB; Fid-Manager takes files up to {} MB",
                file.name,
                file.bytes.len().div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    Ok(file)
}

/// `GET …/documents?clientId=&search=<marker>` page by page (at most [`MAX_FIND_PAGES`]): the
/// newest document whose description carries the marker.
pub async fn find(t: &Transport, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
    let place = place(target)?;
    let label = "GET /api/v1/documents";
    let mut found: Vec<Document> = Vec::new();
    for page in 0..MAX_FIND_PAGES {
        let mut url = t.url(&[DOCUMENTS_PATH]);
        url.query_pairs_mut()
            .append_pair(DOCUMENTS_CLIENT_PARAM, place.client)
            .append_pair(SEARCH_PARAM, &item.marker)
            .append_pair(PAGE_PARAM, &FIRST_PAGE.saturating_add(page).to_string())
            .append_pair(PAGE_SIZE_PARAM, &PAGE_SIZE.to_string());
        let reply = t.call(label, Kind::Read, |c| c.get(url.clone())).await?;
        if !reply.is_success() {
            return Err(t.refused(&reply, Subject::Target));
        }
        let list = wire::parse_list(&reply.body).map_err(|e| parse(format!("{label}: {e}")))?;
        found.extend(
            list.items.iter().filter_map(wire::document).filter(|d| carries_marker(&d.description, &item.marker)),
        );
        if !more(&list, page) {
            break;
        }
    }
    if found.len() > 1 {
        tracing::warn!(copies = found.len(), "Fid-Manager holds several documents with one marker; taking the newest");
    }
    Ok(found.into_iter().max_by(newest).map(|d| Pushed { remote_id: d.id, link: None }))
}

/// Numeric ids by value, others by text; the later one in the list wins a tie.
fn newest(a: &Document, b: &Document) -> std::cmp::Ordering {
    match (a.id.parse::<u64>(), b.id.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.id.cmp(&b.id),
    }
}

/// `POST …/documents/to-approve` (multipart). Never retried on a timeout or 5xx.
pub async fn create(t: &Transport, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let place = place(target)?;
    let file = report(item)?;
    upload(t, &place, item, file).await
}

async fn upload(t: &Transport, place: &Place<'_>, item: &PushItem, file: &ItemFile) -> Result<Pushed, ConnectorError> {
    let mut form = Form::new().text(UPLOAD_CLIENT_FIELD, place.client);
    if let Some(folder) = place.folder {
        form = form.text(UPLOAD_FOLDER_FIELD, folder);
    }
    let (content_type, body) = form
        .text(UPLOAD_DESCRIPTION_FIELD, &description(summary(item), &item.marker))
        .file(UPLOAD_FILE_FIELD, &file.name, &file.mime, &file.bytes)
        .finish();
    let url = t.url(&UPLOAD_PATH);
    let label = "POST /api/v1/documents/to-approve";
    let reply = t
        .call(label, Kind::Write, |c| c.post(url.clone()).header(CONTENT_TYPE, content_type.clone()).body(body.clone()))
        .await?;
    if !reply.is_success() {
        return Err(t.refused(&reply, Subject::Target));
    }
    let created = wire::parse_created(&reply.body).map_err(|e| parse(format!("{label}: {e}")))?;
    Ok(Pushed { remote_id: created.id, link: None })
}

/// Deletes the earlier version, then uploads the new one. The delete goes first so that the
/// marker never names two documents: a retry after an uncertain upload finds the new one only.
/// A refused delete (already approved) leaves everything as it is.
pub async fn revise(
    t: &Transport,
    target: &TargetRef,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let place = place(target)?;
    let file = report(item)?;
    if !DELETE_SUPPORTED {
        return Ok(Revision::Unsupported {
            reason: "Fid-Manager cannot remove a document through its API, so the earlier version stays".into(),
        });
    }
    let id = previous.remote_id.trim();
    if !id.is_empty() {
        let url = t.url(&[DOCUMENTS_PATH, id]);
        let reply = t.call("DELETE /api/v1/documents/{id}", Kind::Write, |c| c.delete(url.clone())).await?;
        match reply.status {
            200..=299 | 404 => {}
            status if status == DELETE_REFUSED_STATUS => {
                let secrets = t.secrets();
                let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
                return Ok(Revision::Unsupported {
                    reason: format!(
                        "Fid-Manager keeps the earlier version ({}); Koppel sent no second copy",
                        error_message(&reply.body, &secrets)
                    ),
                });
            }
            _ => return Err(t.refused(&reply, Subject::Document)),
        }
    }
    upload(t, &place, item, file).await.map(Revision::Replaced)
}

/// The description's text: the report's text, else its title.
fn summary(item: &PushItem) -> &str {
    if item.text.trim().is_empty() { &item.title } else { &item.text }
}
