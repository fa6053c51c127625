//! Notes: an internal log note on the record's chatter (`message_post`, `message_type` comment,
//! subtype `mail.mt_note`, HTML body with the marker line) [C2 §3.5]. Found again by
//! `mail.message` `body ilike <marker>` on the record; changed by writing the message's body.

use koppel_core::ports::meeting::{PushItem, Pushed, Revision, TargetRef};
use koppel_core::ports::source::ConnectorError;
use serde_json::{Value, json};

use super::assumptions::{BODY_IS_HTML, MESSAGE_BODY_WRITABLE, NOTE_MESSAGE_TYPE, NOTE_SUBTYPE_XMLID};
use super::errors::{Failure, parse_error};
use super::html;
use super::rpc::{Rpc, first_id, write_args};
use super::targets::Record;
use super::wire::{IdRow, rows};

pub const MESSAGE_MODEL: &str = "mail.message";

pub async fn create(rpc: &Rpc, record: &Record, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let id = post(rpc, record, html::note_body(item), &[]).await.map_err(|f| record.error(target, f))?;
    Ok(Pushed { remote_id: id.to_string(), link: None })
}

/// `message_post` on the record as an internal note; the new message's id.
pub async fn post(rpc: &Rpc, record: &Record, body: String, attachment_ids: &[i64]) -> Result<i64, Failure> {
    let mut args = json!({
        "ids": [record.id],
        "body": body,
        "body_is_html": BODY_IS_HTML,
        "message_type": NOTE_MESSAGE_TYPE,
        "subtype_xmlid": NOTE_SUBTYPE_XMLID,
    });
    if !attachment_ids.is_empty()
        && let Value::Object(map) = &mut args
    {
        map.insert("attachment_ids".into(), json!(attachment_ids));
    }
    let answer = rpc.write(record.model, "message_post", args).await?;
    first_id(&answer).ok_or_else(|| Failure::Error(parse_error("message_post answered no message id")))
}

/// The chatter message on the record whose body holds `marker`, if any.
pub async fn find_message(rpc: &Rpc, record: &Record, marker: &str) -> Result<Option<i64>, Failure> {
    let body = json!({
        "domain": [["model", "=", record.model], ["res_id", "=", record.id], ["body", "ilike", marker]],
        "fields": ["id"],
        "limit": 1,
    });
    let found = rows::<IdRow>(rpc.read(MESSAGE_MODEL, "search_read", body).await?, "mail.message/search_read")?;
    Ok(found.first().map(|r| r.id))
}

pub async fn find(
    rpc: &Rpc,
    record: &Record,
    target: &TargetRef,
    item: &PushItem,
) -> Result<Option<Pushed>, ConnectorError> {
    let found = find_message(rpc, record, &item.marker).await.map_err(|f| record.error(target, f))?;
    Ok(found.map(|id| Pushed { remote_id: id.to_string(), link: None }))
}

/// Writes the new body on the earlier message. Deleted in Odoo → posted again (`Replaced`);
/// Odoo refusing the change → `Unsupported` (the earlier note stays).
pub async fn revise(
    rpc: &Rpc,
    record: &Record,
    target: &TargetRef,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let id = message_id(&previous.remote_id)?;
    if !MESSAGE_BODY_WRITABLE {
        return Ok(Revision::Unsupported { reason: "Odoo does not let a posted note be changed".into() });
    }
    match write_body(rpc, id, html::note_body(item)).await {
        Ok(()) => Ok(Revision::Updated(Pushed { remote_id: id.to_string(), link: None })),
        Err(f) if f.is_missing() => create(rpc, record, target, item).await.map(Revision::Replaced),
        Err(Failure::Refused(r)) if r.is_refusal_to_change() => Ok(Revision::Unsupported {
            reason: format!("Odoo does not let Koppel change the note it posted earlier: {}", r.message),
        }),
        Err(f) => Err(f.into_error()),
    }
}

/// `mail.message/write` of the body (Koppel posted it, so it is the author).
pub async fn write_body(rpc: &Rpc, message_id: i64, body: String) -> Result<(), Failure> {
    rpc.write(MESSAGE_MODEL, "write", write_args(message_id, json!({"body": body}))).await.map(|_| ())
}

fn message_id(remote_id: &str) -> Result<i64, ConnectorError> {
    remote_id.trim().parse().map_err(|_| parse_error(&format!("{remote_id:?} is not the id of an Odoo message")))
}
