//! Notes: notes on the meeting's interaction, on its timeline. Their remote id is
//! `{noteId}|{interactionId}`, so an update finds the note's interaction without the envelope.

use koppel_core::ports::meeting::{PushItem, Pushed, Revision};
use koppel_core::ports::source::ConnectorError;

use super::super::assumptions::{INTERACTIONS_PATH, NOTES_SEGMENT, TEXT_FIELD, carries};
use super::calls::{Verb, enc, item_gone, parse, refuse, target_gone};
use super::session::AdminPulseMeetingSession;
use super::wire::{id_of, note_body, text_of};

const CREATE: &str = "POST /interactions/{id}/notes";
const LIST: &str = "GET /interactions/{id}/notes";
const UPDATE: &str = "PUT /interactions/{id}/notes/{noteId}";

fn notes_path(interaction: &str) -> String {
    format!("{INTERACTIONS_PATH}/{}/{NOTES_SEGMENT}", enc(interaction))
}

fn parent(item: &PushItem) -> Result<&str, ConnectorError> {
    item.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()).ok_or_else(|| {
        refuse("a note goes on the meeting's interaction in AdminPulse, which was not sent yet; send the meeting again")
    })
}

fn remote(note: String, interaction: &str) -> Pushed {
    Pushed { remote_id: format!("{note}|{interaction}"), link: None }
}

pub(crate) async fn create(s: &AdminPulseMeetingSession, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let interaction = parent(item)?;
    let stored = s.write(Verb::Post, &notes_path(interaction), CREATE, &note_body(item)).await.map_err(target_gone)?;
    let note = id_of(&stored).ok_or_else(|| parse(CREATE, "the stored note has no 'id'".into()))?;
    Ok(remote(note, interaction))
}

/// The interaction's note whose text carries the marker (none without an interaction).
pub(crate) async fn find(s: &AdminPulseMeetingSession, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
    let Ok(interaction) = parent(item) else { return Ok(None) };
    let path = format!("{}?", notes_path(interaction));
    let rows = s.scan(&path, LIST, |row| carries(text_of(row, TEXT_FIELD), &item.marker)).await.map_err(target_gone)?;
    Ok(rows.iter().find_map(id_of).map(|note| remote(note, interaction)))
}

pub(crate) async fn revise(
    s: &AdminPulseMeetingSession,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let (note, interaction) = match previous.remote_id.split_once('|') {
        Some((note, interaction)) => (note, interaction),
        None => (previous.remote_id.as_str(), parent(item)?),
    };
    let path = format!("{}/{}", notes_path(interaction), enc(note));
    s.write(Verb::Put, &path, UPDATE, &note_body(item)).await.map_err(|e| item_gone(e, "note"))?;
    Ok(Revision::Updated(remote(note.to_string(), interaction)))
}
