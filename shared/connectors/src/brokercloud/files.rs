//! Reports under the party's files ("Bestanden"; no folder choice): uploaded with the marker in
//! their description, found again by it, replaced by deleting the earlier version first.

use koppel_core::ports::meeting::{ItemFile, ItemKind, PushItem, Pushed, Revision, TargetRef};
use koppel_core::ports::source::ConnectorError;
use reqwest::header::CONTENT_TYPE;

use super::DISPLAY_NAME;
use super::assumptions::{
    DELETE_REFUSED_STATUSES, DELETE_SUPPORTED, FILES_PATH, MAX_FILE_BYTES, MAX_FIND_PAGES, PARTIES_PATH, SEARCH_PARAM,
    UPLOAD_DESCRIPTION_FIELD, UPLOAD_FILE_FIELD, carries_marker, description,
};
use super::errors::Subject;
use super::targets::{PARTY, koppel_side, more, read, window};
use super::transport::{Kind, Transport, parse};
use super::wire::{self, FileRow};
use crate::fid_manager::multipart::Form;

fn party(target: &TargetRef) -> Result<&str, ConnectorError> {
    let id = target.id.trim();
    if target.kind != PARTY || id.is_empty() {
        return Err(koppel_side(format!(
            "a Brokercloud meeting target is a party, not '{}': pick the party again",
            target.kind
        )));
    }
    Ok(id)
}

/// The report's file, checked before anything is deleted or sent.
fn report(item: &PushItem) -> Result<&ItemFile, ConnectorError> {
    if item.kind != ItemKind::Report {
        return Err(koppel_side(format!("Brokercloud takes reports only, not {}s", item.kind.as_str())));
    }
    let file = item.file.as_ref().ok_or_else(|| koppel_side(format!("the report '{}' has no file", item.title)))?;
    if file.bytes.len() > MAX_FILE_BYTES {
        return Err(ConnectorError::Rejected {
            provider: DISPLAY_NAME.into(),
            status: 413,
            message: format!(
                "the report '{}' is {} MB; Koppel sends files up to {} MB to Brokercloud",
                file.name,
                file.bytes.len().div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    Ok(file)
}

/// `GET /api/v2/parties/{id}/files?search[value]=<marker>` page by page (at most
/// [`MAX_FIND_PAGES`]): the newest file whose description carries the marker.
pub async fn find(t: &Transport, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
    let party = party(target)?;
    let mut found: Vec<FileRow> = Vec::new();
    for page in 0..MAX_FIND_PAGES {
        let start = u64::from(page) * u64::from(super::assumptions::PAGE_LENGTH);
        let mut url = t.url(&[PARTIES_PATH, party, FILES_PATH]);
        window(&mut url, page, start);
        url.query_pairs_mut().append_pair(SEARCH_PARAM, &item.marker);
        let table = read(t, "GET /api/v2/parties/{id}/files", url, Subject::Party).await?;
        found.extend(table.rows.iter().filter_map(wire::file).filter(|f| carries_marker(&f.description, &item.marker)));
        if !more(&table, start) {
            break;
        }
    }
    if found.len() > 1 {
        tracing::warn!(copies = found.len(), "Brokercloud holds several files with one marker; taking the newest");
    }
    Ok(found.into_iter().max_by(newest).map(|f| Pushed { remote_id: f.id, link: None }))
}

/// Numeric ids by value, others by text; the later one in the list wins a tie.
fn newest(a: &FileRow, b: &FileRow) -> std::cmp::Ordering {
    match (a.id.parse::<u64>(), b.id.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.id.cmp(&b.id),
    }
}

/// `POST /api/v2/parties/{id}/files` (multipart). Never retried on a timeout or 5xx.
pub async fn create(t: &Transport, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let party = party(target)?;
    let file = report(item)?;
    upload(t, party, item, file).await
}

async fn upload(t: &Transport, party: &str, item: &PushItem, file: &ItemFile) -> Result<Pushed, ConnectorError> {
    let (content_type, body) = Form::new()
        .text(UPLOAD_DESCRIPTION_FIELD, &description(summary(item), &item.marker))
        .file(UPLOAD_FILE_FIELD, &file.name, &file.mime, &file.bytes)
        .finish();
    let url = t.url(&[PARTIES_PATH, party, FILES_PATH]);
    let label = "POST /api/v2/parties/{id}/files";
    let reply = t
        .call(label, Kind::Write, |c| c.post(url.clone()).header(CONTENT_TYPE, content_type.clone()).body(body.clone()))
        .await?;
    if !reply.is_success() {
        return Err(t.refused(&reply, Subject::Party));
    }
    let created = wire::parse_created(&reply.body).map_err(|e| parse(format!("{label}: {e}")))?;
    Ok(Pushed { remote_id: created.id, link: None })
}

/// Deletes the earlier version, then uploads the new one: the marker never names two files, so a
/// retry after an uncertain upload finds the new one only. A delete Brokercloud will not do
/// leaves everything as it is (`Unsupported` with its message).
pub async fn revise(
    t: &Transport,
    target: &TargetRef,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let party = party(target)?;
    let file = report(item)?;
    if !DELETE_SUPPORTED {
        return Ok(Revision::Unsupported {
            reason: "Brokercloud cannot remove a file through its API, so the earlier version stays".into(),
        });
    }
    let id = previous.remote_id.trim();
    if !id.is_empty() {
        let url = t.url(&[PARTIES_PATH, party, FILES_PATH, id]);
        let reply = t.call("DELETE /api/v2/parties/{id}/files/{file}", Kind::Write, |c| c.delete(url.clone())).await?;
        match reply.status {
            200..=299 | 404 => {}
            status if DELETE_REFUSED_STATUSES.contains(&status) => {
                return Ok(Revision::Unsupported {
                    reason: format!(
                        "Brokercloud does not let Koppel remove the earlier version ({}); Koppel sent no second copy",
                        t.message(&reply)
                    ),
                });
            }
            _ => return Err(t.refused(&reply, Subject::File)),
        }
    }
    upload(t, party, item, file).await.map(Revision::Replaced)
}

/// The description's text: the report's text, else its title.
fn summary(item: &PushItem) -> &str {
    if item.text.trim().is_empty() { &item.title } else { &item.text }
}
