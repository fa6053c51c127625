//! Building and running the sandbox: `SnelStartSandbox::new(config).start(addr)`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::SandboxConfig;
use crate::error::SandboxError;
use crate::handles::{Faults, SandboxData, Stats};
use crate::routes;
use crate::state::Shared;
use crate::stats::StatsSnapshot;

/// A SnelStart stand-in, data generated, not yet listening.
pub struct SnelStartSandbox {
    shared: Arc<Shared>,
}

impl SnelStartSandbox {
    /// Generates the data set (deterministic for the seed).
    pub fn new(config: SandboxConfig) -> Self {
        Self { shared: Arc::new(Shared::new(config)) }
    }

    /// The router, to serve it yourself (e.g. inside another test server).
    pub fn router(&self) -> axum::Router {
        routes::router(self.shared.clone())
    }

    pub fn data(&self) -> SandboxData {
        SandboxData { shared: self.shared.clone() }
    }

    pub fn faults(&self) -> Faults {
        Faults { shared: self.shared.clone() }
    }

    pub fn stats(&self) -> Stats {
        Stats { shared: self.shared.clone() }
    }

    /// Listens on `addr` (`"127.0.0.1:9400"`, a `SocketAddr`, port 0 for a free one).
    pub async fn start<A>(self, addr: A) -> Result<RunningSandbox, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } =
            crate::listen::serve(addr, self.router(), "snelstart").await?;
        tracing::info!(%addr, "SnelStart sandbox listening");
        Ok(RunningSandbox { addr, shared: self.shared, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningSandbox, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

/// A listening sandbox. Dropping it stops the server.
pub struct RunningSandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningSandbox {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// What the connector calls `api_base`: `{base_url}/v2`.
    pub fn api_base(&self) -> String {
        format!("{}/v2", self.base_url())
    }
    /// What the connector calls `auth_base`: the token is `POST {auth_base}/b2b/token`.
    pub fn auth_base(&self) -> String {
        self.base_url()
    }
    pub fn subscription_key(&self) -> &str {
        &self.shared.config.subscription_key
    }
    pub fn client_key(&self) -> &str {
        &self.shared.config.client_key
    }
    pub fn faults(&self) -> Faults {
        Faults { shared: self.shared.clone() }
    }
    pub fn data(&self) -> SandboxData {
        SandboxData { shared: self.shared.clone() }
    }
    pub fn stats(&self) -> StatsSnapshot {
        Stats { shared: self.shared.clone() }.snapshot()
    }
    /// A handle to read the counts later, e.g. from another task.
    pub fn stats_handle(&self) -> Stats {
        Stats { shared: self.shared.clone() }
    }
    /// Every token issued so far (the last 1,000), expired ones included. A test hook for
    /// asserting that no token reaches a log line.
    pub fn issued_tokens(&self) -> Vec<String> {
        crate::state::lock(&self.shared.tokens).history()
    }
    pub fn reset_stats(&self) {
        Stats { shared: self.shared.clone() }.reset();
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

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
