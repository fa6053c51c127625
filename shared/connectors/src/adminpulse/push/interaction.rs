//! The envelope: the meeting as an interaction on the relation's timeline (subject = the
//! meeting's title, date, text = the summary with the marker). Updated in place.

use koppel_core::ports::meeting::{PushItem, Pushed, Revision};
use koppel_core::ports::source::ConnectorError;

use super::super::assumptions::{INTERACTIONS_PATH, RELATION_ID_FIELD, TEXT_FIELD, carries};
use super::calls::{Verb, enc, item_gone, pushed, target_gone};
use super::session::AdminPulseMeetingSession;
use super::wire::{id_of, interaction_body, text_of};

const CREATE: &str = "POST /interactions";
const LIST: &str = "GET /interactions";
const UPDATE: &str = "PUT /interactions/{id}";

pub(crate) async fn create(
    s: &AdminPulseMeetingSession,
    relation: &str,
    item: &PushItem,
) -> Result<Pushed, ConnectorError> {
    let stored =
        s.write(Verb::Post, INTERACTIONS_PATH, CREATE, &interaction_body(relation, item)).await.map_err(target_gone)?;
    pushed(&stored, CREATE)
}

/// The relation's interaction whose text carries the marker.
pub(crate) async fn find(
    s: &AdminPulseMeetingSession,
    relation: &str,
    item: &PushItem,
) -> Result<Option<Pushed>, ConnectorError> {
    let path = format!("{INTERACTIONS_PATH}?{RELATION_ID_FIELD}={}&", enc(relation));
    let rows = s.scan(&path, LIST, |row| carries(text_of(row, TEXT_FIELD), &item.marker)).await.map_err(target_gone)?;
    Ok(rows.iter().find_map(id_of).map(|remote_id| Pushed { remote_id, link: None }))
}

pub(crate) async fn revise(
    s: &AdminPulseMeetingSession,
    relation: &str,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let path = format!("{INTERACTIONS_PATH}/{}", enc(&previous.remote_id));
    s.write(Verb::Put, &path, UPDATE, &interaction_body(relation, item))
        .await
        .map_err(|e| item_gone(e, "meeting's interaction"))?;
    Ok(Revision::Updated(previous.clone()))
}
