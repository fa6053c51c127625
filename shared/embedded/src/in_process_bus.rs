//! [`EventBus`] that delivers inside this process: each subscriber gets each event on its own
//! tokio task, so `publish` returns as soon as the event is handed over.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use async_trait::async_trait;
use koppel_core::ports::{BusError, DomainEvent, EventBus, check_detail_type};

/// What a subscriber runs for each event.
pub type EventHandler = Arc<dyn Fn(DomainEvent) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// The in-process event bus (`InProcessBus::new()`).
#[derive(Default)]
pub struct InProcessBus {
    subscribers: RwLock<Vec<EventHandler>>,
    published: Mutex<Vec<DomainEvent>>,
}

impl std::fmt::Debug for InProcessBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let subscribers = self.subscribers.read().map(|s| s.len()).unwrap_or_default();
        f.debug_struct("InProcessBus").field("subscribers", &subscribers).finish_non_exhaustive()
    }
}

impl InProcessBus {
    pub fn new() -> Self {
        Self::default()
    }

    /// Deliver every later event to `handler` (all event types: filter inside).
    pub fn subscribe(&self, handler: EventHandler) {
        self.subscribers.write().unwrap_or_else(PoisonError::into_inner).push(handler);
    }

    /// Every event accepted so far, in publishing order (for tests and the local runner).
    pub fn published(&self) -> Vec<DomainEvent> {
        self.published.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

#[async_trait]
impl EventBus for InProcessBus {
    /// Refuses a `detail_type` that is not `koppel.<entity>.<past_tense>.v<N>` with
    /// [`BusError::Rejected`]: EventBridge itself would accept it, but no rule of ours matches
    /// such a type, so the event would vanish silently. Refusing it here surfaces the bug.
    async fn publish(&self, event: DomainEvent) -> Result<(), BusError> {
        check_detail_type(&event.detail_type)?;
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| BusError::Unavailable("the in-process bus needs a tokio runtime".into()))?;
        let subscribers = self.subscribers.read().unwrap_or_else(PoisonError::into_inner).clone();
        self.published.lock().unwrap_or_else(PoisonError::into_inner).push(event.clone());
        for handler in subscribers {
            runtime.spawn(handler(event.clone()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use koppel_core::ports::bus::{SYNC_COMPLETED, SYNC_REQUESTED};
    use std::time::Duration;
    use tokio::sync::mpsc;

    fn event(detail_type: &str, n: u32) -> DomainEvent {
        DomainEvent { detail_type: detail_type.into(), detail: serde_json::json!({ "n": n }) }
    }

    fn forward_to(tx: mpsc::UnboundedSender<(u8, DomainEvent)>, id: u8) -> EventHandler {
        Arc::new(move |e| {
            let tx = tx.clone();
            Box::pin(async move {
                let _ = tx.send((id, e));
            })
        })
    }

    #[tokio::test]
    async fn every_subscriber_gets_every_event() {
        let bus = InProcessBus::new();
        let (tx, mut rx) = mpsc::unbounded_channel();
        bus.subscribe(forward_to(tx.clone(), 1));
        bus.subscribe(forward_to(tx, 2));
        bus.publish(event(SYNC_REQUESTED, 1)).await.unwrap();
        bus.publish(event(SYNC_COMPLETED, 2)).await.unwrap();
        let mut got = Vec::new();
        for _ in 0..4 {
            let received = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await;
            got.push(received.expect("delivered in time").expect("channel open"));
        }
        got.sort_by_key(|(id, e)| (*id, e.detail_type.clone()));
        assert_eq!(
            got,
            vec![
                (1, event(SYNC_COMPLETED, 2)),
                (1, event(SYNC_REQUESTED, 1)),
                (2, event(SYNC_COMPLETED, 2)),
                (2, event(SYNC_REQUESTED, 1)),
            ]
        );
        assert_eq!(bus.published(), vec![event(SYNC_REQUESTED, 1), event(SYNC_COMPLETED, 2)]);
    }

    #[tokio::test]
    async fn publish_does_not_wait_for_a_slow_subscriber() {
        let bus = InProcessBus::new();
        let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
        let release_rx = Arc::new(Mutex::new(Some(release_rx)));
        bus.subscribe(Arc::new(move |_| {
            let release = release_rx.lock().unwrap().take();
            Box::pin(async move {
                if let Some(release) = release {
                    let _ = release.await;
                }
            })
        }));
        let published = tokio::time::timeout(Duration::from_secs(5), bus.publish(event(SYNC_REQUESTED, 1))).await;
        assert_eq!(published, Ok(Ok(())), "publish must return while the subscriber is still busy");
        let _ = release_tx.send(());
    }

    #[tokio::test]
    async fn a_rejected_event_is_neither_delivered_nor_recorded() {
        let bus = InProcessBus::new();
        let (tx, mut rx) = mpsc::unbounded_channel();
        bus.subscribe(forward_to(tx, 1));
        let result = bus.publish(event("SyncRequested", 1)).await;
        assert!(matches!(result, Err(BusError::Rejected(_))), "{result:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(rx.try_recv().is_err(), "nothing delivered");
        assert!(bus.published().is_empty(), "nothing recorded");
    }

    #[test]
    fn publishing_outside_a_runtime_is_an_error_not_a_panic() {
        let bus = InProcessBus::new();
        let result = block_on_without_runtime(bus.publish(event(SYNC_REQUESTED, 1)));
        assert!(matches!(result, Err(BusError::Unavailable(_))), "{result:?}");
    }

    /// Poll a future to completion without a tokio runtime (publish never actually waits).
    fn block_on_without_runtime<F: Future>(future: F) -> F::Output {
        use std::task::{Context, Poll, Waker};
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
        }
    }
}
