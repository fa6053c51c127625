//! Reports as permanent documents of the company, in the root folder [C2]: uploaded as
//! `multipart/form-data` (`parent_id`, `name`, `content`), found again by the marker in the name,
//! replaced on a change (upload the new version, then delete every other document carrying the
//! marker).

use koppel_core::ports::meeting::{PushItem, Pushed, Revision};
use koppel_core::ports::source::ConnectorError;
use reqwest::Method;
use serde_json::Value;
use std::ops::ControlFlow;

use super::assumptions::{
    COMPANIES_PATH, DOCUMENT_CONTENT_FIELD, DOCUMENT_GONE_STATUS, DOCUMENT_NAME_FIELD, DOCUMENT_PARENT_FIELD,
    DOCUMENTS_SEGMENT, FOLDERS_SEGMENT, MAX_SCAN_PAGES, ROOT_FOLDER_ID, SCOPE_DOCUMENTS,
};
use super::errors::{self, Call};
use super::multipart::{FilePart, form};
use super::session::{Payload, SilverfinSession};
use super::text::{carries, document_name};
use super::wire::{self, Created, FolderEntry};

fn call(company: &str) -> Call<'_> {
    Call::Company { company, scope: SCOPE_DOCUMENTS }
}

fn pushed(id: String) -> Pushed {
    Pushed { remote_id: id, link: None }
}

/// Uploads the report's file as a permanent document named `{stem} [{marker}].{ext}`.
pub async fn create(session: &SilverfinSession, company: &str, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let Some(file) = item.file.as_ref() else {
        return Err(errors::refused("a report without a file cannot be sent to Silverfin"));
    };
    let name = document_name(item, &file.name);
    let body = form(
        &[(DOCUMENT_PARENT_FIELD, ROOT_FOLDER_ID), (DOCUMENT_NAME_FIELD, &name)],
        &FilePart { field: DOCUMENT_CONTENT_FIELD, file_name: &name, mime: &file.mime, bytes: &file.bytes },
    );
    let path = format!("{COMPANIES_PATH}/{company}/{DOCUMENTS_SEGMENT}");
    let label = "POST /companies/{id}/permanent_documents";
    let reply = session.call(Method::POST, &path, Payload::Form(&body), label).await?;
    let answer = session.accept(reply, call(company), label)?;
    let created: Created = wire::one(&answer, "the created permanent document").map_err(errors::parse)?;
    Ok(pushed(created.id))
}

/// The document in the root folder whose name carries the marker (the newest when there are
/// several).
pub async fn find(
    session: &SilverfinSession,
    company: &str,
    item: &PushItem,
) -> Result<Option<Pushed>, ConnectorError> {
    let marked = marked(session, company, &item.marker).await?;
    Ok(marked.into_iter().max_by(newer).map(pushed))
}

/// Uploads the new version, then deletes the earlier one and any other document carrying the
/// marker (a leftover of an upload that timed out). A failed delete is logged, not returned: the
/// new version is in place and the ledger must point at it.
pub async fn revise(
    session: &SilverfinSession,
    company: &str,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let new = create(session, company, item).await?;
    let mut stale: Vec<String> = match marked(session, company, &item.marker).await {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!(error = %e, "could not list Silverfin documents to remove the earlier version");
            Vec::new()
        }
    };
    stale.push(previous.remote_id.clone());
    stale.sort();
    stale.dedup();
    for id in stale.iter().filter(|id| **id != new.remote_id) {
        if let Err(e) = delete(session, company, id).await {
            tracing::warn!(error = %e, "could not delete the earlier version of a report in Silverfin");
        }
    }
    Ok(Revision::Replaced(new))
}

/// `DELETE …/permanent_documents/{id}`; gone already is fine.
async fn delete(session: &SilverfinSession, company: &str, id: &str) -> Result<(), ConnectorError> {
    if !super::session::safe_id(id) {
        return Ok(());
    }
    let path = format!("{COMPANIES_PATH}/{company}/{DOCUMENTS_SEGMENT}/{id}");
    let label = "DELETE /companies/{id}/permanent_documents/{id}";
    let reply = session.call(Method::DELETE, &path, Payload::None, label).await?;
    if reply.status == DOCUMENT_GONE_STATUS {
        return Ok(());
    }
    session.accept(reply, call(company), label).map(|_| ())
}

/// Ids of the root folder's documents whose names carry `marker`.
async fn marked(session: &SilverfinSession, company: &str, marker: &str) -> Result<Vec<String>, ConnectorError> {
    let path = format!("{COMPANIES_PATH}/{company}/{FOLDERS_SEGMENT}/{ROOT_FOLDER_ID}");
    let read = |body: &str| -> Result<Vec<(String, FolderEntry)>, String> {
        let value: Value = serde_json::from_str(body).map_err(|e| format!("a permanent folder is not JSON: {e}"))?;
        Ok(wire::folder_entries(&value)?.into_iter().map(|e| (e.id.clone(), e)).collect())
    };
    let mut ids = Vec::new();
    let label = "GET /companies/{id}/permanent_folders/{id}";
    session
        .scan(&path, call(company), label, MAX_SCAN_PAGES, read, |e| {
            if !e.is_folder && carries(&e.name, marker) {
                ids.push(e.id);
            }
            ControlFlow::Continue(())
        })
        .await?;
    Ok(ids)
}

/// Numeric ids compare as numbers, others as text.
fn newer(a: &String, b: &String) -> std::cmp::Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_of_several_is_the_highest_id() {
        let ids = ["9".to_string(), "10".to_string(), "2".to_string()];
        assert_eq!(ids.iter().max_by(|a, b| newer(a, b)).map(String::as_str), Some("10"));
    }
}
