//! Building and running the stand-in: `FlexmailSandbox::new(config).start(addr)`.

use serde_json::Value;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::FlexmailConfig;
use super::handles::{FlexmailData, FlexmailFaults, FlexmailStats};
use super::routes;
use super::state::Shared;
use super::stats::FlexmailStatsSnapshot;
use super::webhook::{self, FireError, WebhookDelivery};
use crate::error::SandboxError;

/// A Flexmail stand-in, data generated, not yet listening.
pub struct FlexmailSandbox {
    shared: Arc<Shared>,
}

impl FlexmailSandbox {
    /// Generates the data set (deterministic for the seed).
    pub fn new(config: FlexmailConfig) -> Self {
        Self { shared: Arc::new(Shared::new(config)) }
    }

    /// The router, to serve it yourself.
    pub fn router(&self) -> axum::Router {
        routes::router(self.shared.clone())
    }

    pub fn data(&self) -> FlexmailData {
        FlexmailData { shared: self.shared.clone() }
    }

    pub fn faults(&self) -> FlexmailFaults {
        FlexmailFaults { shared: self.shared.clone() }
    }

    pub fn stats(&self) -> FlexmailStats {
        FlexmailStats { shared: self.shared.clone() }
    }

    /// Listens on `addr` (`"127.0.0.1:9401"`, a `SocketAddr`, port 0 for a free one).
    pub async fn start<A>(self, addr: A) -> Result<RunningFlexmail, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } =
            crate::listen::serve(addr, self.router(), "flexmail").await?;
        tracing::info!(%addr, "Flexmail sandbox listening");
        Ok(RunningFlexmail { addr, shared: self.shared, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningFlexmail, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

/// A listening stand-in. Dropping it stops the server.
pub struct RunningFlexmail {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningFlexmail {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}` — what the connector calls its base URL (no path prefix).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The HTTP Basic user.
    pub fn account_id(&self) -> &str {
        &self.shared.config.account_id
    }
    /// The HTTP Basic password (a demo token, not a secret).
    pub fn token(&self) -> &str {
        &self.shared.config.token
    }
    pub fn data(&self) -> FlexmailData {
        FlexmailData { shared: self.shared.clone() }
    }
    pub fn faults(&self) -> FlexmailFaults {
        FlexmailFaults { shared: self.shared.clone() }
    }
    pub fn stats(&self) -> FlexmailStatsSnapshot {
        self.stats_handle().snapshot()
    }
    /// A handle to read the counts later, e.g. from another task.
    pub fn stats_handle(&self) -> FlexmailStats {
        FlexmailStats { shared: self.shared.clone() }
    }
    pub fn reset_stats(&self) {
        self.stats_handle().reset();
    }

    /// Fires `event_name` for the contact with `email` at every webhook registered for it
    /// and answers the highest status the receivers gave; an error when the contact or a
    /// webhook is missing or a delivery got no answer.
    pub async fn fire_webhook(&self, event_name: &str, email: &str, data: Value) -> Result<u16, String> {
        let deliveries = self.fire_webhooks(event_name, email, data).await.map_err(|e| e.to_string())?;
        webhook::summary(&deliveries)
    }

    /// Like `fire_webhook`, with one result per webhook.
    pub async fn fire_webhooks(
        &self,
        event_name: &str,
        email: &str,
        data: Value,
    ) -> Result<Vec<WebhookDelivery>, FireError> {
        webhook::fire(&self.shared, event_name, email, data).await
    }

    /// Stops accepting, lets open requests finish (at most 5 s), then stops.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task).await.is_err()
        {
            task.abort();
        }
    }
}

impl Drop for RunningFlexmail {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
