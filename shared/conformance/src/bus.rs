//! Event-bus conformance: what every [`EventBus`] must do, EventBridge and in-process alike.
//!
//! It panics with a message naming the broken rule (`bus: …`).

use koppel_core::ports::bus::SYNC_REQUESTED;
use koppel_core::ports::{BusError, DomainEvent, EventBus};

/// Run every bus check against `bus`.
pub async fn run(bus: &dyn EventBus) {
    let run = ulid::Ulid::new().to_string();

    eprintln!("bus conformance: a well-formed event is published");
    let requested = DomainEvent {
        detail_type: SYNC_REQUESTED.into(),
        detail: serde_json::json!({
            "tenant_id": format!("conformance-{run}"),
            "connection_id": "c1",
            "streams": ["customers", "invoices", "payments"],
            "run_id": null,
            "trigger": "manual",
        }),
    };
    let result = bus.publish(requested).await;
    assert_eq!(result, Ok(()), "bus: a valid {SYNC_REQUESTED} event must publish");

    eprintln!("bus conformance: a malformed detail type is rejected");
    for bad in ["SyncRequested", "koppel.sync.requested", "koppel.sync.requested.v0", "other.sync.requested.v1", ""] {
        let event = DomainEvent { detail_type: bad.into(), detail: serde_json::json!({ "run": run }) };
        let result = bus.publish(event).await;
        assert!(
            matches!(result, Err(BusError::Rejected(_))),
            "bus: an event with detail type {bad:?} (not koppel.<entity>.<past_tense>.v<N>) must be Rejected, got {result:?}"
        );
    }
}
