//! To-dos as Zoho tasks: `POST /Tasks` pointing at the event's account / deal and contact, found
//! again by a subject search and the marker in the description, updated with `PUT /Tasks/{id}`.

use koppel_core::ports::meeting::{PushItem, Pushed, Revision};
use koppel_core::ports::source::ConnectorError;
use reqwest::Method;

use super::assumptions::{
    MARKER_LABEL, PER_PAGE, SUBJECT_MAX_CHARS, TASK_FIELDS, TASK_LINKS_FROM_EVENT, TASK_SEARCH_FIELD, TASKS_MODULE,
};
use super::errors;
use super::notes::gone;
use super::session::{Payload, ZohoSession, enc, valid_id};
use super::wire::{self, TaskRow};

/// The subject: the to-do's title (else the meeting's), at most [`SUBJECT_MAX_CHARS`].
pub fn subject(item: &PushItem) -> String {
    let title = item.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = if title.is_empty() { format!("To-do: {}", item.meeting_title.trim()) } else { title };
    if title.chars().count() <= SUBJECT_MAX_CHARS {
        return title;
    }
    let cut: String = title.chars().take(SUBJECT_MAX_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The description: the to-do's text, the meeting it came from, the marker line.
pub fn description(item: &PushItem) -> String {
    let mut text = item.text.trim_end().to_string();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "Meeting: {} ({})\n{MARKER_LABEL}{}",
        item.meeting_title.trim(),
        item.meeting_at.format("%Y-%m-%d"),
        item.marker
    ));
    text
}

pub async fn create(session: &ZohoSession, event: &str, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let links = if TASK_LINKS_FROM_EVENT {
        match session.event(event).await? {
            Some(links) => Some(links),
            None => return Err(errors::target_gone(event, 404, None)),
        }
    } else {
        None
    };
    let body = wire::task_body(&subject(item), &description(item), item.due, item.done, links.as_ref());
    let url = session.crm(&format!("/{TASKS_MODULE}"));
    let id = session.write_record("POST /Tasks", Method::POST, &url, &Payload::Json(body)).await?;
    Ok(Pushed { remote_id: id, link: None })
}

/// `criteria=(Subject:equals:…)` with `(`, `)`, `,` and `\` escaped [C].
pub fn search_path(subject: &str, page: u32) -> String {
    let mut escaped = String::with_capacity(subject.len());
    for c in subject.chars() {
        if matches!(c, '(' | ')' | ',' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    format!(
        "/{TASKS_MODULE}/search?criteria={}&fields={}&per_page={PER_PAGE}&page={page}",
        enc(&format!("({TASK_SEARCH_FIELD}:equals:{escaped})")),
        enc(TASK_FIELDS)
    )
}

pub async fn find(session: &ZohoSession, _event: &str, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
    let subject = subject(item);
    let mut page = 1u32;
    loop {
        let body = session.get("GET /Tasks/search", &session.crm(&search_path(&subject, page))).await?;
        let listing = wire::listing::<TaskRow>(body.as_deref(), "task").map_err(errors::parse)?;
        let more = listing.more() && !listing.data.is_empty();
        let hit = listing.data.into_iter().find(|t| t.description.as_deref().is_some_and(|d| d.contains(&item.marker)));
        if let Some(row) = hit {
            return Ok(Some(Pushed { remote_id: row.id, link: None }));
        }
        if !more {
            return Ok(None);
        }
        page += 1;
    }
}

/// Updated in place (subject, description, due date, status); a task deleted in Zoho meanwhile
/// is written again (`Replaced`).
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
    let body = wire::task_body(&subject(item), &description(item), item.due, item.done, None);
    let url = session.crm(&format!("/{TASKS_MODULE}/{}", enc(id)));
    match session.write_record("PUT /Tasks/{id}", Method::PUT, &url, &Payload::Json(body)).await {
        Ok(id) => Ok(Revision::Updated(Pushed { remote_id: id, link: None })),
        Err(e) if gone(&e) => {
            tracing::info!("the earlier Zoho task is gone; writing it again");
            create(session, event, item).await.map(Revision::Replaced)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use koppel_core::ports::meeting::ItemKind;

    fn item(title: &str) -> PushItem {
        PushItem {
            meeting_id: "m1".into(),
            item_id: "t1".into(),
            kind: ItemKind::Todo,
            marker: "koppel-00000000000000000001".into(),
            title: title.into(),
            text: "Offerte sturen".into(),
            file: None,
            due: None,
            done: false,
            meeting_title: "Adviesgesprek".into(),
            meeting_at: chrono::Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().unwrap_or_default(),
            parent: None,
            links: vec![],
        }
    }

    #[test]
    fn subjects_are_tidied_and_cut() {
        assert_eq!(subject(&item("  Bel\n terug ")), "Bel terug");
        assert_eq!(subject(&item("")), "To-do: Adviesgesprek");
        let long = subject(&item(&"x".repeat(400)));
        assert_eq!(long.chars().count(), SUBJECT_MAX_CHARS);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn descriptions_hold_the_meeting_and_the_marker() {
        assert_eq!(
            description(&item("Bel")),
            "Offerte sturen\n\nMeeting: Adviesgesprek (2026-03-02)\nKoppel-ref: koppel-00000000000000000001"
        );
    }

    #[test]
    fn the_search_escapes_the_subject() {
        assert_eq!(
            search_path("Bel (a,b)", 1),
            "/Tasks/search?criteria=%28Subject%3Aequals%3ABel%20%5C%28a%5C%2Cb%5C%29%29\
             &fields=Subject%2CDescription%2CStatus%2CDue_Date&per_page=200&page=1"
        );
    }
}
