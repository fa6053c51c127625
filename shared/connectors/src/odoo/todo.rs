//! To-dos: a `mail.activity` of the to-do type on the record (`summary`, HTML `note` with the
//! marker, `date_deadline` = the due date or the meeting's date) [C §3.5]; one done on the
//! platform is marked done with `action_feedback` [U]. The model's `ir.model` id and the to-do
//! type's id are looked up once per session.

use koppel_core::ports::meeting::{PushItem, Pushed, Revision, TargetRef};
use koppel_core::ports::source::ConnectorError;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use super::assumptions::{ACTIVITY_MARKER_FIELD, DONE_METHOD, IR_MODEL, TODO_TYPE_MODULE, TODO_TYPE_NAME};
use super::errors::{Failure, parse_error};
use super::rpc::{Rpc, create_args, first_id, write_args};
use super::targets::{EVENT_MODEL, Record};
use super::wire::{ActivityRow, IdRow, rows};
use super::{DISPLAY_NAME, html, note};

pub const ACTIVITY_MODEL: &str = "mail.activity";
/// The remote id of a to-do that was found only as its "done" message (the activity itself was
/// deleted when it was marked done): `done:{message id}`.
pub const DONE_PREFIX: &str = "done:";

/// Ids Odoo gives per database, asked once per session.
#[derive(Debug, Default)]
pub struct Lookups {
    partner_model: OnceCell<i64>,
    event_model: OnceCell<i64>,
    /// `None`: Odoo refused the lookup; its default activity type applies.
    todo_type: OnceCell<Option<i64>>,
}

impl Lookups {
    async fn model_id(&self, rpc: &Rpc, model: &'static str) -> Result<i64, Failure> {
        let cell = if model == EVENT_MODEL { &self.event_model } else { &self.partner_model };
        let id = cell
            .get_or_try_init(|| async {
                let body = json!({"domain": [["model", "=", model]], "fields": ["id"], "limit": 1});
                let found = rows::<IdRow>(rpc.read(IR_MODEL, "search_read", body).await?, "ir.model/search_read")?;
                found.first().map(|r| r.id).ok_or_else(|| {
                    Failure::Error(ConnectorError::Rejected {
                        provider: DISPLAY_NAME.into(),
                        status: 404,
                        message: format!("Odoo has no model {model}"),
                    })
                })
            })
            .await?;
        Ok(*id)
    }

    async fn todo_type(&self, rpc: &Rpc) -> Result<Option<i64>, Failure> {
        let id = self
            .todo_type
            .get_or_try_init(|| async {
                let body = json!({"module": TODO_TYPE_MODULE, "xml_id": TODO_TYPE_NAME});
                match rpc.read("ir.model.data", "check_object_reference", body).await {
                    // `["mail.activity.type", 4]`
                    Ok(answer) => Ok(answer.get(1).and_then(Value::as_i64)),
                    Err(Failure::Refused(r)) => {
                        tracing::info!(status = r.status, "Odoo to-do type not looked up; Odoo's default type applies");
                        Ok(None)
                    }
                    Err(f) => Err(f),
                }
            })
            .await?;
        Ok(*id)
    }
}

pub async fn create(
    rpc: &Rpc,
    lookups: &Lookups,
    record: &Record,
    target: &TargetRef,
    item: &PushItem,
) -> Result<Pushed, ConnectorError> {
    let model_id = lookups.model_id(rpc, record.model).await.map_err(Failure::into_error)?;
    let todo_type = lookups.todo_type(rpc).await.map_err(Failure::into_error)?;
    let mut vals = activity_vals(item);
    if let Value::Object(map) = &mut vals {
        map.insert("res_model_id".into(), json!(model_id));
        map.insert("res_id".into(), json!(record.id));
        if let Some(t) = todo_type {
            map.insert("activity_type_id".into(), json!(t));
        }
    }
    let created = rpc.write(ACTIVITY_MODEL, "create", create_args(vals)).await.map_err(|f| record.error(target, f))?;
    let id = first_id(&created).ok_or_else(|| parse_error("mail.activity/create answered no id"))?;
    if item.done {
        match mark_done(rpc, id, &item.marker).await {
            Ok(()) => {}
            // No clear answer: `find` looks at it next time and completes it.
            Err(Failure::Error(e @ (ConnectorError::Transport { .. } | ConnectorError::Server { .. }))) => {
                return Err(e);
            }
            // The to-do exists; a refused "done" must not make the engine create it again.
            Err(f) => tracing::warn!(activity = id, error = %f.into_error(), "Odoo to-do created but not marked done"),
        }
    }
    Ok(Pushed { remote_id: id.to_string(), link: None })
}

/// The activity whose note holds the marker (archived ones included); else the "done" message
/// Odoo posted when it was completed and deleted. A found activity that is still open while the
/// item is done is marked done now (the earlier attempt stopped between the two calls).
pub async fn find(
    rpc: &Rpc,
    record: &Record,
    target: &TargetRef,
    item: &PushItem,
) -> Result<Option<Pushed>, ConnectorError> {
    let domain = json!([
        ["res_model", "=", record.model],
        ["res_id", "=", record.id],
        [ACTIVITY_MARKER_FIELD, "ilike", item.marker],
    ]);
    let found = activities(rpc, domain).await.map_err(|f| record.error(target, f))?;
    if let Some(activity) = found.first() {
        if activity.active && item.done {
            mark_done(rpc, activity.id, &item.marker).await.map_err(Failure::into_error)?;
        }
        return Ok(Some(Pushed { remote_id: activity.id.to_string(), link: None }));
    }
    let message = note::find_message(rpc, record, &item.marker).await.map_err(|f| record.error(target, f))?;
    Ok(message.map(|m| Pushed { remote_id: format!("{DONE_PREFIX}{m}"), link: None }))
}

/// Writes summary, note and deadline on the activity, and marks it done when the item is done.
/// An activity already completed and deleted in Odoo cannot change: `Unsupported`.
pub async fn revise(rpc: &Rpc, previous: &Pushed, item: &PushItem) -> Result<Revision, ConnectorError> {
    let gone = || Revision::Unsupported {
        reason: "the to-do was completed or deleted in Odoo; it cannot be changed any more".into(),
    };
    if previous.remote_id.starts_with(DONE_PREFIX) {
        return Ok(gone());
    }
    let id: i64 = previous
        .remote_id
        .trim()
        .parse()
        .map_err(|_| parse_error(&format!("{:?} is not the id of an Odoo activity", previous.remote_id)))?;
    let found = activities(rpc, json!([["id", "=", id]])).await.map_err(Failure::into_error)?;
    let Some(activity) = found.first() else {
        return Ok(gone());
    };
    match rpc.write(ACTIVITY_MODEL, "write", write_args(id, activity_vals(item))).await {
        Ok(_) => {}
        Err(f) if f.is_missing() => return Ok(gone()),
        Err(Failure::Refused(r)) if r.is_refusal_to_change() => {
            return Ok(Revision::Unsupported {
                reason: format!("Odoo does not let Koppel change the to-do: {}", r.message),
            });
        }
        Err(f) => return Err(f.into_error()),
    }
    if activity.active && item.done {
        mark_done(rpc, id, &item.marker).await.map_err(Failure::into_error)?;
    }
    Ok(Revision::Updated(Pushed { remote_id: id.to_string(), link: None }))
}

async fn activities(rpc: &Rpc, domain: Value) -> Result<Vec<ActivityRow>, Failure> {
    let body = json!({
        "domain": domain,
        "fields": ["id", "active"],
        "limit": 1,
        "context": {"active_test": false},
    });
    rows::<ActivityRow>(rpc.read(ACTIVITY_MODEL, "search_read", body).await?, "mail.activity/search_read")
}

async fn mark_done(rpc: &Rpc, id: i64, marker: &str) -> Result<(), Failure> {
    let args = json!({"ids": [id], "feedback": html::done_feedback(marker)});
    rpc.write(ACTIVITY_MODEL, DONE_METHOD, args).await.map(|_| ())
}

fn activity_vals(item: &PushItem) -> Value {
    let deadline = item.due.unwrap_or_else(|| item.meeting_at.date_naive());
    json!({
        "summary": item.title,
        ACTIVITY_MARKER_FIELD: html::todo_note(item),
        "date_deadline": deadline.format("%Y-%m-%d").to_string(),
    })
}
