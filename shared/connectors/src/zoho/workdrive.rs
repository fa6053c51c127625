//! Zoho WorkDrive: reports uploaded to the connection's folder (a re-upload of the same name is a
//! new version), found again by name, and a renamed report's earlier file trashed.

use koppel_core::ports::meeting::ItemFile;
use koppel_core::ports::source::ConnectorError;
use reqwest::Method;
use serde_json::json;

use super::assumptions::{
    WORKDRIVE_ID_ATTR, WORKDRIVE_LINK_ATTR, WORKDRIVE_PAGE, WORKDRIVE_TRASHED, WORKDRIVE_UPLOAD_PATH,
};
use super::multipart::Form;
use super::session::{Payload, ZohoSession, enc, valid_id};
use super::wire::{DriveEntry, DriveListing};
use super::{DISPLAY_NAME, errors};

/// A file in WorkDrive: its resource id and the link users open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriveFile {
    pub id: String,
    pub link: Option<String>,
}

/// The folder setting, checked.
pub fn folder(session: &ZohoSession) -> Result<Option<&str>, ConnectorError> {
    match session.workdrive_folder() {
        None => Ok(None),
        Some(f) if valid_id(f) => Ok(Some(f)),
        Some(_) => Err(ConnectorError::Rejected {
            provider: DISPLAY_NAME.into(),
            status: 0,
            message: "the connection's WorkDrive folder is not a folder id (the letters and digits at the end of \
                      the folder's address in WorkDrive): correct it in the connection settings"
                .into(),
        }),
    }
}

const UPLOAD_HINT: &str = "Zoho WorkDrive refused the upload: the sign-in lacks WorkDrive access \
(WorkDrive.files.CREATE), or the WorkDrive folder is not one this user may upload to (editor or above). Check \
the folder in the connection settings, or sign in with Zoho again.";

/// `POST /workdrive/api/v1/upload` with `override-name-exist=true`.
pub async fn upload(
    session: &ZohoSession,
    folder: &str,
    name: &str,
    file: &ItemFile,
) -> Result<DriveFile, ConnectorError> {
    let (content_type, body) = Form::new()
        .text("filename", &enc(name))
        .text("parent_id", folder)
        .text("override-name-exist", "true")
        .file("content", name, &file.mime, &file.bytes)
        .finish();
    let payload = Payload::Form { content_type, body };
    let reply =
        session.send("POST /workdrive/upload", Method::POST, &session.at(WORKDRIVE_UPLOAD_PATH), &payload).await?;
    if reply.status == 401 {
        return Err(ConnectorError::Unauthorized {
            provider: DISPLAY_NAME.into(),
            what: "the Zoho sign-in (WorkDrive)".into(),
            hint: UPLOAD_HINT.into(),
        });
    }
    if !reply.is_success() {
        return Err(session.refused(&reply));
    }
    let listing: DriveListing =
        serde_json::from_str(&reply.body).map_err(|e| errors::parse(format!("the WorkDrive upload answer: {e}")))?;
    let entry = listing.data.into_iter().next().ok_or_else(|| errors::parse("the WorkDrive upload answer is empty"))?;
    let id = entry
        .attr(WORKDRIVE_ID_ATTR)
        .or_else(|| entry.id.clone())
        .ok_or_else(|| errors::parse("the WorkDrive upload answer has no resource_id"))?;
    Ok(DriveFile { id, link: entry.attr(WORKDRIVE_LINK_ATTR).or_else(|| entry.attr("permalink")) })
}

/// The folder's files, page by page, until one's name holds `marker`.
pub async fn find(session: &ZohoSession, folder: &str, marker: &str) -> Result<Option<DriveFile>, ConnectorError> {
    let mut offset = 0u32;
    loop {
        let path = format!(
            "/workdrive/api/v1/files/{}/files?page%5Blimit%5D={WORKDRIVE_PAGE}&page%5Boffset%5D={offset}",
            enc(folder)
        );
        let body = session.get("GET /workdrive/files/{id}/files", &session.at(&path)).await?;
        let listing: DriveListing = match body.as_deref().map(str::trim) {
            None | Some("") => DriveListing { data: Vec::new() },
            Some(text) => {
                serde_json::from_str(text).map_err(|e| errors::parse(format!("the WorkDrive file list: {e}")))?
            }
        };
        let count = listing.data.len();
        if let Some(file) = listing.data.into_iter().find(|e| e.attr("name").is_some_and(|n| n.contains(marker))) {
            return Ok(Some(drive_file(file)));
        }
        if count < WORKDRIVE_PAGE as usize {
            return Ok(None);
        }
        offset += WORKDRIVE_PAGE;
    }
}

fn drive_file(entry: DriveEntry) -> DriveFile {
    let link = entry.attr("permalink").or_else(|| entry.attr(WORKDRIVE_LINK_ATTR));
    DriveFile { id: entry.id.clone().or_else(|| entry.attr(WORKDRIVE_ID_ATTR)).unwrap_or_default(), link }
}

/// Moves a file to WorkDrive's trash (a renamed report's earlier file). Best effort: a failure is
/// logged, the new version stays.
pub async fn trash(session: &ZohoSession, id: &str) {
    if !valid_id(id) {
        return;
    }
    let body = Payload::Json(json!({"data": {"attributes": {"status": WORKDRIVE_TRASHED}, "type": "files"}}));
    let url = session.at(&format!("/workdrive/api/v1/files/{}", enc(id)));
    match session.send("PATCH /workdrive/files/{id}", Method::PATCH, &url, &body).await {
        Ok(reply) if reply.is_success() => {}
        Ok(reply) => {
            let error = session.refused(&reply);
            tracing::warn!(error = %error, "the earlier WorkDrive file could not be trashed; it stays in the folder");
        }
        Err(error) => tracing::warn!(error = %error, "the earlier WorkDrive file could not be trashed"),
    }
}
