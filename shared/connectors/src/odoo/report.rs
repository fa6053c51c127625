//! Reports: an `ir.attachment` on the record (`datas` base64, `description` holding the marker),
//! then a chatter note linking it (`message_post` with `attachment_ids`) [C2 §3.5, §8.3]. The
//! remote id is `{attachment}|{message}` (`{attachment}` alone when only the attachment was
//! found). A changed report is written into the same attachment (`Updated`); one deleted in Odoo
//! is sent again (`Replaced`).

use koppel_core::ports::meeting::{ItemFile, PushItem, Pushed, Revision, TargetRef};
use koppel_core::ports::source::ConnectorError;
use serde_json::{Value, json};

use super::assumptions::{ATTACHMENT_MARKER_FIELD, attachment_link};
use super::errors::{Failure, parse_error};
use super::rpc::{Rpc, create_args, first_id, write_args};
use super::targets::Record;
use super::wire::{IdRow, rows};
use super::{DISPLAY_NAME, html, note};

pub const ATTACHMENT_MODEL: &str = "ir.attachment";

pub async fn create(rpc: &Rpc, record: &Record, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let file = file_of(item)?;
    let mut vals = attachment_vals(item, file);
    if let Value::Object(map) = &mut vals {
        map.insert("res_model".into(), json!(record.model));
        map.insert("res_id".into(), json!(record.id));
    }
    let created =
        rpc.write(ATTACHMENT_MODEL, "create", create_args(vals)).await.map_err(|f| record.error(target, f))?;
    let attachment = first_id(&created).ok_or_else(|| parse_error("ir.attachment/create answered no id"))?;
    match note::post(rpc, record, html::report_body(item, &file.name), &[attachment]).await {
        Ok(message) => Ok(pushed(rpc, attachment, Some(message))),
        // Refused (the record was deleted, …) or still rate limited: no message was made, and
        // nothing of this report may stay behind, or the next send would add a second attachment.
        Err(f @ (Failure::Refused(_) | Failure::Error(ConnectorError::RateLimited { .. }))) => {
            if let Err(cleanup) = rpc.write(ATTACHMENT_MODEL, "unlink", json!({"ids": [attachment]})).await {
                tracing::warn!(attachment, error = %cleanup.into_error(), "Odoo attachment of a refused report not removed");
            }
            Err(record.error(target, f))
        }
        // No clear answer (timeout, 5xx, an unreadable success): the message may exist; the
        // attachment stays for `find`.
        Err(f) => Err(f.into_error()),
    }
}

/// The attachment whose description holds the marker, with its chatter message when found.
pub async fn find(
    rpc: &Rpc,
    record: &Record,
    target: &TargetRef,
    item: &PushItem,
) -> Result<Option<Pushed>, ConnectorError> {
    let body = json!({
        "domain": [
            ["res_model", "=", record.model],
            ["res_id", "=", record.id],
            [ATTACHMENT_MARKER_FIELD, "ilike", item.marker],
        ],
        "fields": ["id"],
        "limit": 1,
    });
    let found = rpc.read(ATTACHMENT_MODEL, "search_read", body).await.map_err(|f| record.error(target, f))?;
    let found = rows::<IdRow>(found, "ir.attachment/search_read").map_err(Failure::into_error)?;
    let Some(attachment) = found.first().map(|r| r.id) else {
        return Ok(None);
    };
    let message = note::find_message(rpc, record, &item.marker).await.map_err(|f| record.error(target, f))?;
    Ok(Some(pushed(rpc, attachment, message)))
}

/// The new file into the same attachment; the chatter message's text follows (or is posted now
/// when the earlier attempt left none).
pub async fn revise(
    rpc: &Rpc,
    record: &Record,
    target: &TargetRef,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let file = file_of(item)?;
    let (attachment, message) = ids(&previous.remote_id)?;
    let written = rpc.write(ATTACHMENT_MODEL, "write", write_args(attachment, attachment_vals(item, file))).await;
    match written {
        Ok(_) => {}
        Err(f) if f.is_missing() => return create(rpc, record, target, item).await.map(Revision::Replaced),
        Err(Failure::Refused(r)) if r.is_refusal_to_change() => {
            return Ok(Revision::Unsupported {
                reason: format!("Odoo does not let Koppel change the report it attached earlier: {}", r.message),
            });
        }
        Err(f) => return Err(f.into_error()),
    }
    let body = html::report_body(item, &file.name);
    let message = match message {
        // The file is what counts: a message text Odoo will not change is left as it was.
        Some(id) => {
            if let Err(f) = note::write_body(rpc, id, body).await {
                tracing::info!(message = id, error = %f.into_error(), "Odoo report message text not updated");
            }
            Some(id)
        }
        None => match note::post(rpc, record, body, &[attachment]).await {
            Ok(id) => Some(id),
            Err(f) => {
                tracing::warn!(attachment, error = %f.into_error(), "Odoo report message not posted");
                None
            }
        },
    };
    Ok(Revision::Updated(pushed(rpc, attachment, message)))
}

fn file_of(item: &PushItem) -> Result<&ItemFile, ConnectorError> {
    item.file.as_ref().ok_or_else(|| ConnectorError::Rejected {
        provider: DISPLAY_NAME.into(),
        status: 0,
        message: format!("the report {:?} has no file to attach", item.title),
    })
}

fn attachment_vals(item: &PushItem, file: &ItemFile) -> Value {
    json!({
        "name": file.name,
        "datas": html::base64(&file.bytes),
        "mimetype": file.mime,
        ATTACHMENT_MARKER_FIELD: html::report_description(item),
    })
}

fn pushed(rpc: &Rpc, attachment: i64, message: Option<i64>) -> Pushed {
    let remote_id = match message {
        Some(m) => format!("{attachment}|{m}"),
        None => attachment.to_string(),
    };
    Pushed { remote_id, link: Some(attachment_link(rpc.server_url(), attachment)) }
}

/// `att|msg` or `att`.
fn ids(remote_id: &str) -> Result<(i64, Option<i64>), ConnectorError> {
    let bad = || parse_error(&format!("{remote_id:?} is not the id of an Odoo report"));
    let mut parts = remote_id.split('|').map(str::trim);
    let attachment = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let message = match parts.next() {
        Some(p) => Some(p.parse().map_err(|_| bad())?),
        None => None,
    };
    Ok((attachment, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_ids_hold_the_attachment_and_the_message() {
        assert_eq!(ids("12|34").ok(), Some((12, Some(34))));
        assert_eq!(ids("12").ok(), Some((12, None)));
        for bad in ["", "x", "12|y", "|3"] {
            assert!(matches!(ids(bad), Err(ConnectorError::Parse { .. })), "{bad}");
        }
    }
}
