//! Reports: documents uploaded through `documents/add`, linked to the relation and the meeting's
//! interaction, within its 50 calls a minute. A changed report is uploaded again and the
//! earlier version deleted; the description's content version makes a retry after a timed-out
//! upload adopt what was stored instead of uploading it twice.

use koppel_core::ports::meeting::{PushItem, Pushed, Revision};
use koppel_core::ports::source::ConnectorError;
use serde_json::Value;

use super::super::assumptions::{
    DESCRIPTION_FIELD, DOCUMENTS_ADD_PATH, DOCUMENTS_CAN_BE_DELETED, DOCUMENTS_PATH, RELATION_ID_FIELD, carries,
    version_of,
};
use super::calls::{enc, pushed, refuse, target_gone};
use super::session::AdminPulseMeetingSession;
use super::wire::{document_form, id_of, report_version, text_of};

const UPLOAD: &str = "POST /documents/add";
const LIST: &str = "GET /documents";
const DELETE: &str = "DELETE /documents/{id}";

pub const NO_DELETE_REASON: &str = "AdminPulse does not let Koppel delete documents, so a changed report cannot \
replace the earlier version; the earlier version stays in AdminPulse";

fn parent(item: &PushItem) -> Option<&str> {
    item.parent.as_deref().map(str::trim).filter(|p| !p.is_empty())
}

pub(crate) async fn create(
    s: &AdminPulseMeetingSession,
    relation: &str,
    item: &PushItem,
) -> Result<Pushed, ConnectorError> {
    let Some(file) = &item.file else {
        return Err(refuse("the report has no file to send"));
    };
    let stored = s.upload(DOCUMENTS_ADD_PATH, UPLOAD, document_form(relation, parent(item), item, file)).await;
    pushed(&stored.map_err(target_gone)?, UPLOAD)
}

/// The relation's documents carrying the marker (every version), newest answer order kept.
async fn marked(s: &AdminPulseMeetingSession, relation: &str, item: &PushItem) -> Result<Vec<Value>, ConnectorError> {
    let path = format!("{DOCUMENTS_PATH}?{RELATION_ID_FIELD}={}&", enc(relation));
    s.scan(&path, LIST, |row| carries(text_of(row, DESCRIPTION_FIELD), &item.marker)).await.map_err(target_gone)
}

fn same_version(row: &Value, item: &PushItem, version: &str) -> bool {
    version_of(text_of(row, DESCRIPTION_FIELD), &item.marker) == Some(version)
}

/// The document carrying the marker: the one with this content if there is one, else any.
pub(crate) async fn find(
    s: &AdminPulseMeetingSession,
    relation: &str,
    item: &PushItem,
) -> Result<Option<Pushed>, ConnectorError> {
    let rows = marked(s, relation, item).await?;
    let version = report_version(item);
    let best = rows.iter().find(|r| same_version(r, item, &version)).or_else(|| rows.first());
    Ok(best.and_then(id_of).map(|remote_id| Pushed { remote_id, link: None }))
}

/// Upload the new version (unless an earlier, uncertain attempt stored it already), then delete
/// every other version. A 404 on a delete is a version already gone; a 405 means AdminPulse
/// does not delete documents: the answer is then `Unsupported` (and a later attempt adopts the
/// version uploaded now instead of uploading it again).
pub(crate) async fn revise(
    s: &AdminPulseMeetingSession,
    relation: &str,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    if !DOCUMENTS_CAN_BE_DELETED {
        return Ok(Revision::Unsupported { reason: NO_DELETE_REASON.into() });
    }
    let rows = marked(s, relation, item).await?;
    let version = report_version(item);
    let stored: Vec<String> = rows.iter().filter(|r| same_version(r, item, &version)).filter_map(id_of).collect();
    if stored.contains(&previous.remote_id) {
        // The earlier version holds this very content: nothing to replace.
        return Ok(Revision::Updated(previous.clone()));
    }
    let current = match stored.into_iter().next() {
        Some(remote_id) => Pushed { remote_id, link: None },
        None => create(s, relation, item).await?,
    };
    let mut stale: Vec<String> = rows.iter().filter_map(id_of).filter(|id| *id != current.remote_id).collect();
    if !stale.contains(&previous.remote_id) {
        stale.push(previous.remote_id.clone());
    }
    for id in stale {
        match s.delete(&format!("{DOCUMENTS_PATH}/{}", enc(&id)), DELETE).await {
            Ok(()) | Err(ConnectorError::Rejected { status: 404, .. }) => {}
            Err(ConnectorError::Rejected { status: 405, .. }) => {
                return Ok(Revision::Unsupported { reason: NO_DELETE_REASON.into() });
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Revision::Replaced(current))
}
