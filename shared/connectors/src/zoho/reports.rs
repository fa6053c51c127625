//! Reports: uploaded to WorkDrive first (when the connection names a folder; its link becomes
//! `Pushed::link`), then attached to the event. The marker is in the file name of both.
//! `remote_id` is `{attachment id}` or `{attachment id}|{WorkDrive resource id}`.

use koppel_core::ports::meeting::{ItemFile, PushItem, Pushed, Revision};
use koppel_core::ports::source::ConnectorError;
use reqwest::Method;

use super::assumptions::{ATTACHMENT_FIELDS, ATTACHMENT_PART, EVENTS_MODULE, PER_PAGE, file_name_with_marker};
use super::multipart::Form;
use super::notes::gone;
use super::session::{Payload, ZohoSession, enc, valid_id};
use super::wire::{self, AttachmentRow};
use super::workdrive::{self, DriveFile};
use super::{DISPLAY_NAME, errors};

fn file(item: &PushItem) -> Result<&ItemFile, ConnectorError> {
    item.file.as_ref().ok_or_else(|| ConnectorError::Rejected {
        provider: DISPLAY_NAME.into(),
        status: 0,
        message: "a report without a file cannot be attached to a Zoho event".into(),
    })
}

/// The name both copies carry: the file's name (else the report's title) with the marker.
pub fn name(item: &PushItem, file: &ItemFile) -> String {
    let base = if file.name.trim().is_empty() { item.title.trim() } else { file.name.trim() };
    file_name_with_marker(base, &item.marker)
}

fn remote_id(attachment: &str, drive: Option<&DriveFile>) -> String {
    match drive {
        Some(d) => format!("{attachment}|{}", d.id),
        None => attachment.to_string(),
    }
}

/// `(attachment id, WorkDrive id)` from a `remote_id`.
pub fn split(remote_id: &str) -> (&str, Option<&str>) {
    match remote_id.split_once('|') {
        Some((a, d)) => (a.trim(), Some(d.trim()).filter(|d| !d.is_empty())),
        None => (remote_id.trim(), None),
    }
}

async fn attach(session: &ZohoSession, event: &str, name: &str, file: &ItemFile) -> Result<String, ConnectorError> {
    let (content_type, body) = Form::new().file(ATTACHMENT_PART, name, &file.mime, &file.bytes).finish();
    let url = session.crm(&format!("/{EVENTS_MODULE}/{}/Attachments", enc(event)));
    let payload = Payload::Form { content_type, body };
    match session.write_record("POST /Events/{id}/Attachments", Method::POST, &url, &payload).await {
        Ok(id) => Ok(id),
        Err(e) => Err(session.explain(event, e).await),
    }
}

/// The WorkDrive copy, when the connection names a folder. The event is checked first (read
/// once per session, shared with the tasks), so a deleted event leaves no file behind.
async fn upload(
    session: &ZohoSession,
    event: &str,
    name: &str,
    file: &ItemFile,
) -> Result<Option<DriveFile>, ConnectorError> {
    let Some(folder) = workdrive::folder(session)? else { return Ok(None) };
    if session.event(event).await?.is_none() {
        return Err(errors::target_gone(event, 404, None));
    }
    workdrive::upload(session, folder, name, file).await.map(Some)
}

pub async fn create(session: &ZohoSession, event: &str, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let file = file(item)?;
    let name = name(item, file);
    let drive = upload(session, event, &name, file).await?;
    let attachment = attach(session, event, &name, file).await?;
    Ok(Pushed { remote_id: remote_id(&attachment, drive.as_ref()), link: drive.and_then(|d| d.link) })
}

/// Every attachment of the event whose name holds `marker`.
async fn attachments(session: &ZohoSession, event: &str, marker: &str) -> Result<Vec<String>, ConnectorError> {
    let mut found = Vec::new();
    let mut page = 1u32;
    loop {
        let path = format!(
            "/{EVENTS_MODULE}/{}/Attachments?fields={}&per_page={PER_PAGE}&page={page}",
            enc(event),
            enc(ATTACHMENT_FIELDS)
        );
        let body = match session.get("GET /Events/{id}/Attachments", &session.crm(&path)).await {
            Ok(body) => body,
            Err(e) => return Err(session.explain(event, e).await),
        };
        let listing = wire::listing::<AttachmentRow>(body.as_deref(), "attachment").map_err(errors::parse)?;
        let more = listing.more() && !listing.data.is_empty();
        found.extend(
            listing
                .data
                .into_iter()
                .filter(|a| a.file_name.as_deref().is_some_and(|n| n.contains(marker)))
                .map(|a| a.id),
        );
        if !more {
            return Ok(found);
        }
        page += 1;
    }
}

/// The attachment with the marker; with a WorkDrive folder, the WorkDrive file too (uploaded
/// first, so it exists when the attachment does).
pub async fn find(session: &ZohoSession, event: &str, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
    let Some(attachment) = attachments(session, event, &item.marker).await?.into_iter().next() else {
        return Ok(None);
    };
    let drive = match workdrive::folder(session)? {
        Some(folder) => workdrive::find(session, folder, &item.marker).await?,
        None => None,
    };
    Ok(Some(Pushed { remote_id: remote_id(&attachment, drive.as_ref()), link: drive.and_then(|d| d.link) }))
}

/// A new version: WorkDrive gets the file again under its name (a new version of the same file;
/// a renamed report's earlier file goes to the trash), the event gets the new attachment, and
/// every other attachment with this marker (the earlier version, a leftover of an interrupted
/// attempt) is deleted.
pub async fn revise(
    session: &ZohoSession,
    event: &str,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let file = file(item)?;
    let name = name(item, file);
    let (_, old_drive) = split(&previous.remote_id);
    let drive = upload(session, event, &name, file).await?;
    if let (Some(old), Some(new)) = (old_drive, drive.as_ref())
        && old != new.id
    {
        workdrive::trash(session, old).await;
    }
    let attachment = attach(session, event, &name, file).await?;
    for old in attachments(session, event, &item.marker).await? {
        if old != attachment {
            delete(session, event, &old).await;
        }
    }
    Ok(Revision::Replaced(Pushed {
        remote_id: remote_id(&attachment, drive.as_ref()),
        link: drive.and_then(|d| d.link),
    }))
}

/// `DELETE /Events/{id}/Attachments/{attachment}`. Best effort: the new version is in place; a
/// failure is logged and the next revision removes the leftover.
async fn delete(session: &ZohoSession, event: &str, attachment: &str) {
    if !valid_id(attachment) {
        return;
    }
    let url = session.crm(&format!("/{EVENTS_MODULE}/{}/Attachments/{}", enc(event), enc(attachment)));
    match session.write_record("DELETE /Events/{id}/Attachments/{id}", Method::DELETE, &url, &Payload::Empty).await {
        Ok(_) => {}
        Err(e) if gone(&e) => {}
        Err(error) => {
            tracing::warn!(error = %error, "the earlier Zoho attachment could not be deleted; it stays on the event")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_ids_join_and_split() {
        let d = DriveFile { id: "nntzi84".into(), link: None };
        assert_eq!(remote_id("41", Some(&d)), "41|nntzi84");
        assert_eq!(remote_id("41", None), "41");
        assert_eq!(split("41|nntzi84"), ("41", Some("nntzi84")));
        assert_eq!(split("41"), ("41", None));
        assert_eq!(split("41|"), ("41", None));
    }
}
