//! The mail side: `message_post` on a record's chatter, `mail.activity/action_feedback` (done:
//! a "done" message on the record, then the activity is deleted), and
//! `ir.model.data/check_object_reference`.

use chrono::Utc;
use serde_json::{Value, json};

use super::config::BOT_PARTNER_ID;
use super::error::OdooError;
use super::generate::{SUBTYPE_ACTIVITIES, SUBTYPE_COMMENT, SUBTYPE_NOTE, TODO_TYPE_ID};
use super::methods::Args;
use super::model::{self, ModelSpec, Row};
use super::store::Database;

/// Attachments waiting in a composer are re-pointed to the record they are posted on [C].
const COMPOSER: &str = "mail.compose.message";

/// `message_post(*, body, subject, message_type, subtype_xmlid, subtype_id, attachment_ids,
/// body_is_html, …, **kwargs)` [C2]: extra keyword arguments become message fields (an unknown
/// one is a `ValueError`). A plain-text body is escaped unless `body_is_html` [C2].
pub fn message_post(db: &mut Database, spec: &'static ModelSpec, args: &Args) -> Result<Value, OdooError> {
    let &[res_id] = args.ids.as_slice() else {
        return Err(OdooError::value(format!("Expected singleton: {}({:?})", spec.name, args.ids)));
    };
    if !db.exists(spec.name, res_id) {
        return Err(OdooError::missing(spec.name, &[res_id], args.uid));
    }
    const KNOWN: &[&str] = &[
        "body",
        "subject",
        "message_type",
        "subtype_xmlid",
        "subtype_id",
        "attachment_ids",
        "body_is_html",
        "partner_ids",
        "author_id",
        "email_from",
        "parent_id",
    ];
    if let Some(extra) = args.kwargs().keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(OdooError::value(format!("Invalid field {extra:?} on model \"mail.message\"")));
    }
    let raw = args.get("body").and_then(Value::as_str).unwrap_or_default();
    let body =
        if args.get("body_is_html").and_then(Value::as_bool).unwrap_or(false) { raw.to_string() } else { escape(raw) };
    let message_type = args.get("message_type").and_then(Value::as_str).unwrap_or("notification");
    if !["comment", "notification", "email", "auto_comment", "user_notification"].contains(&message_type) {
        return Err(OdooError::value(format!("Wrong value for mail.message.message_type: {message_type:?}")));
    }
    let subtype = match (args.get("subtype_xmlid").and_then(Value::as_str), args.get("subtype_id")) {
        (Some(xmlid), _) => Some(subtype_of(xmlid)?),
        (None, Some(id)) => id.as_i64(),
        (None, None) => None,
    };
    let attachments = attachment_ids(db, args)?;
    for id in &attachments {
        let Some(row) = db.table_mut(model::ATTACHMENT).and_then(|t| t.get_mut(*id)) else { continue };
        let waiting = matches!(row.get("res_model"), None | Some(Value::Bool(false)) | Some(Value::Null))
            || row.get("res_model").and_then(Value::as_str) == Some(COMPOSER);
        if waiting {
            row.insert("res_model".into(), json!(spec.name));
            row.insert("res_id".into(), json!(res_id));
        }
    }
    let mut message = Row::new();
    message.insert("model".into(), json!(spec.name));
    message.insert("res_id".into(), json!(res_id));
    message.insert("body".into(), json!(body));
    message.insert("subject".into(), args.get("subject").cloned().unwrap_or(json!(false)));
    message.insert("message_type".into(), json!(message_type));
    message.insert("subtype_id".into(), subtype.map_or(json!(false), |s| json!(s)));
    message.insert("author_id".into(), json!(BOT_PARTNER_ID));
    message.insert("attachment_ids".into(), json!(attachments));
    message.insert("date".into(), json!(Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()));
    let id = insert_message(db, message)?;
    Ok(json!([id]))
}

/// `action_feedback(feedback=False, attachment_ids=None)`: posts "To-Do done" with the
/// activity's note and the feedback on the record, then deletes the activity; answers the new
/// message's id [U].
pub fn action_feedback(db: &mut Database, args: &Args) -> Result<Value, OdooError> {
    args.signature(&["feedback", "attachment_ids"], &[], false)?;
    let feedback = args.get("feedback").and_then(Value::as_str).map(escape);
    let mut last = json!(false);
    for id in &args.ids {
        let Some(activity) = db.table(model::ACTIVITY).and_then(|t| t.get(*id)).cloned() else {
            return Err(OdooError::missing(model::ACTIVITY, &[*id], args.uid));
        };
        let text = |field: &str| activity.get(field).and_then(Value::as_str).unwrap_or_default().to_string();
        let type_name = match activity.get("activity_type_id").and_then(Value::as_i64) {
            Some(TODO_TYPE_ID) | None => "To-Do".to_string(),
            Some(t) => db
                .table(model::ACTIVITY_TYPE)
                .and_then(|tb| tb.get(t))
                .and_then(|r| r.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("Activity")
                .to_string(),
        };
        let mut body = format!("<div><p>{} done: {}</p>", escape(&type_name), escape(&text("summary")));
        if !text("note").is_empty() {
            body.push_str(&format!("<div>Original note:</div><div>{}</div>", text("note")));
        }
        if let Some(f) = &feedback {
            body.push_str(&format!("<div>Feedback:</div><p>{f}</p>"));
        }
        body.push_str("</div>");
        let mut message = Row::new();
        message.insert("model".into(), activity.get("res_model").cloned().unwrap_or(json!(false)));
        message.insert("res_id".into(), activity.get("res_id").cloned().unwrap_or(json!(false)));
        message.insert("body".into(), json!(body));
        message.insert("message_type".into(), json!("notification"));
        message.insert("subtype_id".into(), json!(SUBTYPE_ACTIVITIES));
        message.insert("author_id".into(), json!(BOT_PARTNER_ID));
        message.insert("attachment_ids".into(), json!([]));
        message.insert("date".into(), json!(Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()));
        last = json!(insert_message(db, message)?);
        if let Some(spec) = model::spec(model::ACTIVITY) {
            db.unlink(spec, &[*id])?;
        }
    }
    Ok(last)
}

/// `check_object_reference(module, xml_id, raise_on_access_error=False)` → `[model, id]` [C2].
pub fn check_object_reference(args: &Args) -> Result<Value, OdooError> {
    args.signature(&["module", "xml_id", "raise_on_access_error"], &["module", "xml_id"], true)?;
    let module = args.get("module").and_then(Value::as_str).unwrap_or_default();
    let name = args.get("xml_id").and_then(Value::as_str).unwrap_or_default();
    match format!("{module}.{name}").as_str() {
        "mail.mail_activity_data_todo" => Ok(json!([model::ACTIVITY_TYPE, TODO_TYPE_ID])),
        "mail.mt_note" => Ok(json!([model::SUBTYPE, SUBTYPE_NOTE])),
        "mail.mt_comment" => Ok(json!([model::SUBTYPE, SUBTYPE_COMMENT])),
        "mail.mt_activities" => Ok(json!([model::SUBTYPE, SUBTYPE_ACTIVITIES])),
        other => Err(OdooError::value(format!("External ID not found in the system: {other}"))),
    }
}

fn subtype_of(xmlid: &str) -> Result<i64, OdooError> {
    match xmlid {
        "mail.mt_note" => Ok(SUBTYPE_NOTE),
        "mail.mt_comment" => Ok(SUBTYPE_COMMENT),
        "mail.mt_activities" => Ok(SUBTYPE_ACTIVITIES),
        other => Err(OdooError::value(format!("External ID not found in the system: {other}"))),
    }
}

fn attachment_ids(db: &Database, args: &Args) -> Result<Vec<i64>, OdooError> {
    let ids: Vec<i64> = match args.get("attachment_ids") {
        None | Some(Value::Bool(false)) => vec![],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_i64().ok_or_else(|| OdooError::value(format!("attachment_ids: {v} is not an id"))))
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(OdooError::value(format!("attachment_ids must be a list, got {other}"))),
    };
    let missing: Vec<i64> = ids.iter().copied().filter(|id| !db.exists(model::ATTACHMENT, *id)).collect();
    if !missing.is_empty() {
        return Err(OdooError::missing(model::ATTACHMENT, &missing, args.uid));
    }
    Ok(ids)
}

fn insert_message(db: &mut Database, message: Row) -> Result<i64, OdooError> {
    let id = db
        .table_mut(model::MESSAGE)
        .map(|t| t.insert(message))
        .ok_or_else(|| OdooError::not_found("the model \"mail.message\" does not exist"))?;
    db.changed(model::MESSAGE, |c| c.created += 1);
    Ok(id)
}

/// What Odoo does to a plain-text body.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#x27;")
}
