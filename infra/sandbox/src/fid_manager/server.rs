//! Building and running the stand-in: `FidManagerSandbox::new(config).start(addr)`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::FidManagerConfig;
use super::handles::{FidManagerData, FidManagerFaults, FidManagerStats};
use super::routes;
use super::state::Shared;
use super::stats::PushStatsSnapshot;
use crate::error::SandboxError;

/// A Fid-Manager office stand-in, data generated, not yet listening.
pub struct FidManagerSandbox {
    shared: Arc<Shared>,
}

impl FidManagerSandbox {
    /// Generates the clients and their folders (deterministic for the seed).
    pub fn new(config: FidManagerConfig) -> Self {
        Self { shared: Arc::new(Shared::new(config)) }
    }

    /// The router, to serve it yourself.
    pub fn router(&self) -> axum::Router {
        routes::router(self.shared.clone())
    }

    pub fn data(&self) -> FidManagerData {
        FidManagerData { shared: self.shared.clone() }
    }

    pub fn faults(&self) -> FidManagerFaults {
        FidManagerFaults { shared: self.shared.clone() }
    }

    /// Listens on `addr` (`"127.0.0.1:9410"`, a `SocketAddr`, port 0 for a free one).
    pub async fn start<A>(self, addr: A) -> Result<RunningFidManager, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } =
            crate::listen::serve(addr, self.router(), "fid-manager").await?;
        tracing::info!(%addr, "Fid-Manager sandbox listening");
        Ok(RunningFidManager { addr, shared: self.shared, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningFidManager, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

/// A listening stand-in. Dropping it stops the server.
pub struct RunningFidManager {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningFidManager {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}` — the connection's `office_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The first configured user name (not a secret).
    pub fn username(&self) -> Option<&str> {
        self.shared.config.users.first().map(|u| u.username.as_str())
    }
    pub fn data(&self) -> FidManagerData {
        FidManagerData { shared: self.shared.clone() }
    }
    pub fn faults(&self) -> FidManagerFaults {
        FidManagerFaults { shared: self.shared.clone() }
    }
    pub fn stats(&self) -> PushStatsSnapshot {
        self.stats_handle().snapshot()
    }
    /// A handle to read the counts later, e.g. from another task.
    pub fn stats_handle(&self) -> FidManagerStats {
        FidManagerStats { shared: self.shared.clone() }
    }
    pub fn reset_stats(&self) {
        self.stats_handle().reset();
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

impl Drop for RunningFidManager {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
