//! To-dos: to-dos on the relation, linked to the meeting's interaction, with their due date and
//! whether they are done. Updated in place.

use koppel_core::ports::meeting::{PushItem, Pushed, Revision};
use koppel_core::ports::source::ConnectorError;

use super::super::assumptions::{DESCRIPTION_FIELD, RELATION_ID_FIELD, TODOS_PATH, carries};
use super::calls::{Verb, enc, item_gone, pushed, target_gone};
use super::session::AdminPulseMeetingSession;
use super::wire::{id_of, text_of, todo_body};

const CREATE: &str = "POST /todos";
const LIST: &str = "GET /todos";
const UPDATE: &str = "PUT /todos/{id}";

fn parent(item: &PushItem) -> Option<&str> {
    item.parent.as_deref().map(str::trim).filter(|p| !p.is_empty())
}

pub(crate) async fn create(
    s: &AdminPulseMeetingSession,
    relation: &str,
    item: &PushItem,
) -> Result<Pushed, ConnectorError> {
    let body = todo_body(relation, parent(item), item);
    let stored = s.write(Verb::Post, TODOS_PATH, CREATE, &body).await.map_err(target_gone)?;
    pushed(&stored, CREATE)
}

/// The relation's to-do whose description carries the marker.
pub(crate) async fn find(
    s: &AdminPulseMeetingSession,
    relation: &str,
    item: &PushItem,
) -> Result<Option<Pushed>, ConnectorError> {
    let path = format!("{TODOS_PATH}?{RELATION_ID_FIELD}={}&", enc(relation));
    let rows =
        s.scan(&path, LIST, |row| carries(text_of(row, DESCRIPTION_FIELD), &item.marker)).await.map_err(target_gone)?;
    Ok(rows.iter().find_map(id_of).map(|remote_id| Pushed { remote_id, link: None }))
}

pub(crate) async fn revise(
    s: &AdminPulseMeetingSession,
    relation: &str,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let path = format!("{TODOS_PATH}/{}", enc(&previous.remote_id));
    let body = todo_body(relation, parent(item), item);
    s.write(Verb::Put, &path, UPDATE, &body).await.map_err(|e| item_gone(e, "to-do"))?;
    Ok(Revision::Updated(previous.clone()))
}
