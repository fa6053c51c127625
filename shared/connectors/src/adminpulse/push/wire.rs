//! The meeting side's request bodies and the rows read back, exactly as
//! [`super::super::assumptions`] names them. Optional values the item does not have are left
//! out, never sent as `null`.

use koppel_core::ports::meeting::{ItemFile, PushItem};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::super::assumptions::{
    DATE_FIELD, DEADLINE_FIELD, DESCRIPTION_FIELD, DOCUMENT_FILE_PART, DOCUMENT_NAME_PART, ID_FIELD,
    INTERACTION_ID_FIELD, INTERACTION_TYPE, RELATION_ID_FIELD, STATUS_FIELD, SUBJECT_FIELD, TEXT_FIELD,
    TODO_STATUS_DONE, TODO_STATUS_OPEN, TYPE_FIELD, id_value, marked,
};

/// `POST /interactions` and `PUT /interactions/{id}`: the meeting on the relation's timeline.
pub fn interaction_body(relation_id: &str, item: &PushItem) -> Value {
    let subject = if item.title.trim().is_empty() { &item.meeting_title } else { &item.title };
    let mut body = Map::new();
    body.insert(RELATION_ID_FIELD.into(), id_value(relation_id));
    body.insert(SUBJECT_FIELD.into(), json!(subject.trim()));
    body.insert(DATE_FIELD.into(), json!(item.meeting_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()));
    body.insert(TEXT_FIELD.into(), json!(marked(&item.text, &item.marker, None)));
    body.insert(TYPE_FIELD.into(), json!(INTERACTION_TYPE));
    Value::Object(body)
}

/// `POST /interactions/{id}/notes` and its `PUT`: the title on the first line, the text, the
/// links to the meeting's reports, the marker.
pub fn note_body(item: &PushItem) -> Value {
    let mut text = String::new();
    for part in [item.title.trim(), item.text.trim()] {
        if !part.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(part);
        }
    }
    if !item.links.is_empty() {
        let links: Vec<String> = item.links.iter().map(|l| format!("- {}: {}", l.name, l.url)).collect();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&links.join("\n"));
    }
    json!({ TEXT_FIELD: marked(&text, &item.marker, None) })
}

/// `POST /todos` and `PUT /todos/{id}`: linked to the relation and, when there is one, to the
/// meeting's interaction.
pub fn todo_body(relation_id: &str, interaction_id: Option<&str>, item: &PushItem) -> Value {
    let mut body = Map::new();
    body.insert(RELATION_ID_FIELD.into(), id_value(relation_id));
    if let Some(interaction) = interaction_id {
        body.insert(INTERACTION_ID_FIELD.into(), id_value(interaction));
    }
    body.insert(SUBJECT_FIELD.into(), json!(item.title.trim()));
    body.insert(DESCRIPTION_FIELD.into(), json!(marked(&item.text, &item.marker, None)));
    if let Some(due) = item.due {
        body.insert(DEADLINE_FIELD.into(), json!(due.format("%Y-%m-%d").to_string()));
    }
    body.insert(STATUS_FIELD.into(), json!(if item.done { TODO_STATUS_DONE } else { TODO_STATUS_OPEN }));
    Value::Object(body)
}

/// A short fingerprint of a report's content (file name, type, bytes, title, text): tells a
/// version of the same report from another.
pub fn report_version(item: &PushItem) -> String {
    let mut hash = Sha256::new();
    if let Some(file) = &item.file {
        for part in [file.name.as_bytes(), file.mime.as_bytes(), &file.bytes] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
    }
    for part in [item.title.as_bytes(), item.text.as_bytes()] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hex::encode(&hash.finalize()[..6])
}

/// A `multipart/form-data` body, built by hand (the workspace's reqwest has no multipart
/// feature). The boundary is random per body and checked against the content.
pub struct Multipart {
    pub content_type: String,
    pub body: Vec<u8>,
}

/// `POST /documents/add`: the file, the relation, the interaction (if any), the title and the
/// description carrying the marker and the version.
pub fn document_form(relation_id: &str, interaction_id: Option<&str>, item: &PushItem, file: &ItemFile) -> Multipart {
    let description = marked(&item.text, &item.marker, Some(&report_version(item)));
    let title = if item.title.trim().is_empty() { file.name.as_str() } else { item.title.trim() };
    let mut fields: Vec<(&str, &str)> = vec![(RELATION_ID_FIELD, relation_id.trim())];
    if let Some(interaction) = interaction_id {
        fields.push((INTERACTION_ID_FIELD, interaction.trim()));
    }
    fields.push((DOCUMENT_NAME_PART, title));
    fields.push((DESCRIPTION_FIELD, &description));
    multipart(&fields, file)
}

fn multipart(fields: &[(&str, &str)], file: &ItemFile) -> Multipart {
    let mut boundary = format!("koppel-{:032x}", rand::random::<u128>());
    while contains(&file.bytes, boundary.as_bytes()) || fields.iter().any(|(_, v)| v.contains(&boundary)) {
        boundary = format!("koppel-{:032x}", rand::random::<u128>());
    }
    let mut body = Vec::with_capacity(file.bytes.len() + 1024);
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes());
        body.extend_from_slice(b"Content-Type: text/plain; charset=utf-8\r\n\r\n");
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    let mime = Some(file.mime.trim())
        .filter(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_graphic() || c == ' '))
        .unwrap_or("application/octet-stream");
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!(
            "Content-Disposition: form-data; name=\"{DOCUMENT_FILE_PART}\"; filename=\"{}\"\r\n",
            header_safe(&file.name)
        )
        .as_bytes(),
    );
    body.extend_from_slice(format!("Content-Type: {mime}\r\n\r\n").as_bytes());
    body.extend_from_slice(&file.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Multipart { content_type: format!("multipart/form-data; boundary={boundary}"), body }
}

/// A file name fit for a quoted header parameter: no quotes, backslashes or line breaks.
fn header_safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '\\' | '/' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let safe = safe.trim();
    if safe.is_empty() { "report".to_string() } else { safe.to_string() }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// A stored record's `id` as text (AdminPulse ids are text or numbers).
pub fn id_of(row: &Value) -> Option<String> {
    match row.get(ID_FIELD)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A text field of a stored record, empty when absent.
pub fn text_of<'r>(row: &'r Value, field: &str) -> &'r str {
    row.get(field).and_then(Value::as_str).unwrap_or_default()
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
