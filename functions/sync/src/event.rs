//! The two shapes the sync function receives.

use koppel_core::domain::run::Trigger;
use koppel_core::ports::bus::SYNC_REQUESTED;
use koppel_core::sync::SyncRequest;
use serde_json::Value;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EventError {
    #[error("unexpected event type {0:?}; this function handles {SYNC_REQUESTED} and Scheduler payloads")]
    WrongType(String),
    #[error("the event is not a sync request: {0}")]
    Malformed(String),
}

/// An EventBridge envelope (`detail-type` + `detail`) or the Scheduler's target input.
pub fn parse_event(v: Value) -> Result<SyncRequest, EventError> {
    let body = match v.get("detail-type").and_then(Value::as_str) {
        Some(t) if t == SYNC_REQUESTED => v.get("detail").cloned().unwrap_or(Value::Null),
        Some(other) => return Err(EventError::WrongType(other.into())),
        None => v,
    };
    let req: SyncRequest = serde_json::from_value(body).map_err(|e| EventError::Malformed(e.to_string()))?;
    if req.tenant_id.is_empty()
        || req.connection_id.is_empty()
        || req.tenant_id.contains('#')
        || req.connection_id.contains('#')
    {
        return Err(EventError::Malformed("tenant_id and connection_id must be set and may not contain '#'".into()));
    }
    Ok(req)
}

/// Whether a request came from a schedule (the only trigger that requires an active connection).
pub fn is_scheduled(req: &SyncRequest) -> bool {
    req.trigger == Trigger::Schedule
}

#[cfg(test)]
mod tests {
    use super::*;
    use koppel_core::domain::stream::StreamKind;
    use serde_json::json;

    #[test]
    fn reads_the_scheduler_payload() {
        let r = parse_event(json!({"tenant_id":"t1","connection_id":"c1","trigger":"schedule"})).unwrap();
        assert_eq!(r.streams, StreamKind::ALL.to_vec());
        assert!(is_scheduled(&r));
        assert_eq!(r.run_id, None);
    }

    #[test]
    fn reads_the_eventbridge_envelope() {
        let e = json!({"version":"0","id":"x","detail-type":"koppel.sync.requested.v1","source":"koppel",
            "detail":{"tenant_id":"t1","connection_id":"c1","streams":["customers"],"run_id":"r1","trigger":"manual"}});
        let r = parse_event(e).unwrap();
        assert_eq!(r.streams, vec![StreamKind::Customers]);
        assert_eq!(r.run_id.as_deref(), Some("r1"));
    }

    #[test]
    fn refuses_other_events_and_garbage() {
        assert!(matches!(parse_event(json!({"detail-type":"other.thing","detail":{}})), Err(EventError::WrongType(_))));
        assert!(matches!(parse_event(json!({"hello":1})), Err(EventError::Malformed(_))));
        assert!(matches!(parse_event(json!({"tenant_id":"a#b","connection_id":"c"})), Err(EventError::Malformed(_))));
    }
}
