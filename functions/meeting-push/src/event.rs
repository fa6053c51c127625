//! The platform's `meeting.completed` event (EventBridge envelope, `detail-type`
//! `meeting.completed`, `detail` `{tenant_id, meeting_id}`).

use koppel_core::Deps;
use koppel_core::push::completed::{self, MeetingCompleted};
use serde_json::{Value, json};

pub const MEETING_COMPLETED: &str = "meeting.completed";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EventError {
    #[error("unexpected event type {0:?}; this function handles {MEETING_COMPLETED}")]
    WrongType(String),
    #[error("the event is not a meeting.completed event: {0}")]
    Malformed(String),
}

pub fn parse(v: &Value) -> Result<MeetingCompleted, EventError> {
    match v.get("detail-type").and_then(Value::as_str) {
        Some(MEETING_COMPLETED) => {}
        Some(other) => return Err(EventError::WrongType(other.into())),
        None => return Err(EventError::Malformed("no detail-type".into())),
    }
    let detail = v.get("detail").cloned().unwrap_or(Value::Null);
    let e: MeetingCompleted = serde_json::from_value(detail).map_err(|e| EventError::Malformed(e.to_string()))?;
    let ok = |s: &str| !s.is_empty() && s.len() <= 128 && !s.contains('#') && !s.contains(':');
    if !ok(&e.tenant_id) || !koppel_core::push::valid_id(&e.meeting_id) {
        return Err(EventError::Malformed("tenant_id and meeting_id must be set, without '#' or ':'".into()));
    }
    Ok(e)
}

/// Handle one event. A malformed or foreign event is logged and dropped (retrying cannot fix
/// it); a push that may succeed later returns an error so Lambda delivers the event again.
pub async fn handle(deps: &Deps, v: Value) -> Result<Value, lambda_runtime::Error> {
    let event = match parse(&v) {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(error = %e, "event dropped");
            return Ok(json!({"dropped": e.to_string()}));
        }
    };
    match completed::handle(deps, &event).await {
        Ok(summary) => Ok(json!({
            "sent": summary.sent.iter().map(|o| json!({"connection_id": o.connection_id, "counts": o.counts})).collect::<Vec<_>>(),
            "skipped": summary.skipped,
        })),
        Err(koppel_core::AppError::NotFound(what)) => {
            tracing::warn!(tenant = %event.tenant_id, meeting = %event.meeting_id, "{what} not found; event dropped");
            Ok(json!({"dropped": format!("{what} not found")}))
        }
        Err(e) => Err(Box::new(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_envelope_and_refuses_others() {
        let ok = json!({"detail-type": "meeting.completed", "source": "platform", "detail": {"tenant_id": "t1", "meeting_id": "m-1"}});
        assert_eq!(parse(&ok).unwrap(), MeetingCompleted { tenant_id: "t1".into(), meeting_id: "m-1".into() });
        assert!(matches!(parse(&json!({"detail-type": "other", "detail": {}})), Err(EventError::WrongType(_))));
        assert!(matches!(
            parse(&json!({"detail-type": "meeting.completed", "detail": {"tenant_id": "a#b", "meeting_id": "m"}})),
            Err(EventError::Malformed(_))
        ));
        assert!(matches!(parse(&json!({"hello": 1})), Err(EventError::Malformed(_))));
    }
}
