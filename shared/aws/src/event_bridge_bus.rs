//! `EventBus` over EventBridge PutEvents, one entry per event, failed entries reported.

use async_trait::async_trait;
use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::operation::put_events::PutEventsOutput;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use koppel_core::ports::bus::SOURCE;
use koppel_core::ports::{BusError, DomainEvent, EventBus};

use crate::sdk_error;
use koppel_core::ports::check_detail_type;

/// EventBridge's limit for one entry, source, detail type and detail included.
pub const MAX_ENTRY_BYTES: usize = 256 * 1024;

/// The production event bus.
#[derive(Debug, Clone)]
pub struct EventBridgeBus {
    client: Client,
    bus_name: String,
}

impl EventBridgeBus {
    /// Events go to the bus `bus_name` (name or ARN) with source `koppel`.
    pub fn new(client: Client, bus_name: impl Into<String>) -> Self {
        Self { client, bus_name: bus_name.into() }
    }
    pub fn bus_name(&self) -> &str {
        &self.bus_name
    }
}

/// An answer with a failed entry is a refusal, even when the call itself succeeded.
pub(crate) fn check_output(out: &PutEventsOutput) -> Result<(), BusError> {
    let failed = out.entries().iter().find(|e| e.error_code().is_some());
    match failed {
        Some(entry) => Err(BusError::Rejected(format!(
            "{}: {}",
            entry.error_code().unwrap_or("unknown"),
            entry.error_message().unwrap_or("no message")
        ))),
        None if out.failed_entry_count() > 0 => {
            Err(BusError::Rejected(format!("{} entries failed without a reason", out.failed_entry_count())))
        }
        None if out.entries().is_empty() => Err(BusError::Unavailable("EventBridge PutEvents: no entry result".into())),
        None => Ok(()),
    }
}

#[async_trait]
impl EventBus for EventBridgeBus {
    async fn publish(&self, event: DomainEvent) -> Result<(), BusError> {
        check_detail_type(&event.detail_type)?;
        let detail = serde_json::to_string(&event.detail).map_err(|e| BusError::Rejected(e.to_string()))?;
        let size = SOURCE.len() + event.detail_type.len() + detail.len();
        if size > MAX_ENTRY_BYTES {
            return Err(BusError::Rejected(format!(
                "event {} is {size} bytes; EventBridge takes at most {MAX_ENTRY_BYTES}",
                event.detail_type
            )));
        }
        let entry = PutEventsRequestEntry::builder()
            .event_bus_name(&self.bus_name)
            .source(SOURCE)
            .detail_type(&event.detail_type)
            .detail(detail)
            .build();
        let out = self.client.put_events().entries(entry).send().await.map_err(|e| {
            let message = sdk_error::describe("EventBridge PutEvents", &e);
            if sdk_error::is_transient(&e) { BusError::Unavailable(message) } else { BusError::Rejected(message) }
        })?;
        check_output(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_eventbridge::types::PutEventsResultEntry;

    #[test]
    fn an_accepted_entry_is_ok() {
        let out = PutEventsOutput::builder()
            .failed_entry_count(0)
            .entries(PutEventsResultEntry::builder().event_id("e1").build())
            .build();
        assert_eq!(check_output(&out), Ok(()));
    }

    #[test]
    fn a_failed_entry_is_a_refusal_with_its_code() {
        let out = PutEventsOutput::builder()
            .failed_entry_count(1)
            .entries(PutEventsResultEntry::builder().error_code("InternalFailure").error_message("try again").build())
            .build();
        assert_eq!(check_output(&out), Err(BusError::Rejected("InternalFailure: try again".into())));
        let counted_only = PutEventsOutput::builder().failed_entry_count(1).build();
        assert!(matches!(check_output(&counted_only), Err(BusError::Rejected(_))));
        let empty = PutEventsOutput::builder().failed_entry_count(0).build();
        assert!(matches!(check_output(&empty), Err(BusError::Unavailable(_))));
    }
}
