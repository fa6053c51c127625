//! Notes on the event: `POST /Notes` (parent = the event), found again in the event's notes by
//! the marker line, updated in place with `PUT /Notes/{id}`.

use koppel_core::ports::meeting::{ItemLink, PushItem, Pushed, Revision};
use koppel_core::ports::source::ConnectorError;
use reqwest::Method;

use super::assumptions::{
    EVENTS_MODULE, INVALID_DATA, LINKS_HEADING, MARKER_LABEL, NOTE_FIELDS, NOTES_MODULE, PER_PAGE,
};
use super::errors;
use super::session::{Payload, ZohoSession, enc, valid_id};
use super::wire::{self, NoteRow};

/// The note's text: the platform's text, the links to this meeting's reports, the marker line.
pub fn content(item: &PushItem) -> String {
    let mut text = item.text.trim_end().to_string();
    if !item.links.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(LINKS_HEADING);
        for ItemLink { name, url } in &item.links {
            text.push_str(&format!("\n- {}: {}", name.trim(), url.trim()));
        }
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(MARKER_LABEL);
    text.push_str(&item.marker);
    text
}

fn title(item: &PushItem) -> String {
    let t = item.title.trim();
    if t.is_empty() { item.meeting_title.trim().to_string() } else { t.to_string() }
}

pub async fn create(session: &ZohoSession, event: &str, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let body = Payload::Json(wire::note_body(&title(item), &content(item), event));
    match session.write_record("POST /Notes", Method::POST, &session.crm(&format!("/{NOTES_MODULE}")), &body).await {
        Ok(id) => Ok(Pushed { remote_id: id, link: None }),
        Err(e) => Err(session.explain(event, e).await),
    }
}

/// The event's notes, page by page, until one holds the marker.
pub async fn find(session: &ZohoSession, event: &str, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
    let mut page = 1u32;
    loop {
        let path = format!(
            "/{EVENTS_MODULE}/{}/{NOTES_MODULE}?fields={}&per_page={PER_PAGE}&page={page}",
            enc(event),
            enc(NOTE_FIELDS)
        );
        let body = match session.get("GET /Events/{id}/Notes", &session.crm(&path)).await {
            Ok(body) => body,
            Err(e) => return Err(session.explain(event, e).await),
        };
        let listing = wire::listing::<NoteRow>(body.as_deref(), "note").map_err(errors::parse)?;
        let more = listing.more() && !listing.data.is_empty();
        if let Some(row) =
            listing.data.into_iter().find(|n| n.content.as_deref().is_some_and(|c| c.contains(&item.marker)))
        {
            return Ok(Some(Pushed { remote_id: row.id, link: None }));
        }
        if !more {
            return Ok(None);
        }
        page += 1;
    }
}

/// Updated in place; a note deleted in Zoho meanwhile is written again (`Replaced`).
pub async fn revise(
    session: &ZohoSession,
    event: &str,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let id = previous.remote_id.trim();
    if !valid_id(id) {
        return create(session, event, item).await.map(Revision::Replaced);
    }
    let body = Payload::Json(wire::note_update(&title(item), &content(item)));
    let url = session.crm(&format!("/{NOTES_MODULE}/{}", enc(id)));
    match session.write_record("PUT /Notes/{id}", Method::PUT, &url, &body).await {
        Ok(id) => Ok(Revision::Updated(Pushed { remote_id: id, link: None })),
        Err(e) if gone(&e) => {
            tracing::info!("the earlier Zoho note is gone; writing it again");
            create(session, event, item).await.map(Revision::Replaced)
        }
        Err(e) => Err(e),
    }
}

/// An update refused because the record no longer exists (404, or `INVALID_DATA` on an update
/// whose only fields are text) [U].
pub fn gone(error: &ConnectorError) -> bool {
    matches!(error, ConnectorError::Rejected { status: 404, .. })
        || matches!(error, ConnectorError::Rejected { message, .. } if message.contains(INVALID_DATA))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use koppel_core::ports::meeting::ItemKind;

    fn item(text: &str, links: Vec<ItemLink>) -> PushItem {
        PushItem {
            meeting_id: "m1".into(),
            item_id: "n1".into(),
            kind: ItemKind::Note,
            marker: "koppel-0123456789abcdef0123".into(),
            title: "Notities".into(),
            text: text.into(),
            file: None,
            due: None,
            done: false,
            meeting_title: "Adviesgesprek".into(),
            meeting_at: chrono::Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().unwrap_or_default(),
            parent: None,
            links,
        }
    }

    #[test]
    fn the_text_ends_with_the_links_and_the_marker() {
        let links = vec![ItemLink { name: "Verslag.pdf".into(), url: "https://workdrive.zoho.eu/file/abc".into() }];
        assert_eq!(
            content(&item("Klant wil offerte.\n", links)),
            "Klant wil offerte.\n\nReports:\n- Verslag.pdf: https://workdrive.zoho.eu/file/abc\n\n\
             Koppel-ref: koppel-0123456789abcdef0123"
        );
        assert_eq!(content(&item("", vec![])), "Koppel-ref: koppel-0123456789abcdef0123");
    }

    #[test]
    fn gone_means_missing_record() {
        let e = |status: u16, message: &str| ConnectorError::Rejected {
            provider: "Zoho".into(),
            status,
            message: message.into(),
        };
        assert!(gone(&e(404, "")));
        assert!(gone(&e(400, "the id given seems to be invalid (INVALID_DATA)")));
        assert!(!gone(&e(400, "required field not found (MANDATORY_NOT_FOUND)")));
    }
}
