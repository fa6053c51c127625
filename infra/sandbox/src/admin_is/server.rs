//! Building and running the stand-in: `AdminIsSandbox::new(config).start(addr)`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::AdminIsConfig;
use super::handles::{AdminIsData, AdminIsFaults, AdminIsStats};
use super::routes;
use super::state::Shared;
use super::stats::AdminIsStatsSnapshot;
use crate::error::SandboxError;

/// An Admin IS stand-in, data generated, not yet listening.
pub struct AdminIsSandbox {
    shared: Arc<Shared>,
}

impl AdminIsSandbox {
    /// Generates the office's data (deterministic for the seed and the clock's now).
    pub fn new(config: AdminIsConfig) -> Self {
        Self { shared: Arc::new(Shared::new(config)) }
    }

    /// The router, to serve it yourself.
    pub fn router(&self) -> axum::Router {
        routes::router(self.shared.clone())
    }

    /// Listens on `addr` (port 0 for a free one).
    pub async fn start<A>(self, addr: A) -> Result<RunningAdminIs, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } =
            crate::listen::serve(addr, self.router(), "admin is").await?;
        tracing::info!(%addr, "Admin IS sandbox listening");
        Ok(RunningAdminIs { addr, shared: self.shared, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningAdminIs, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

/// A listening stand-in. Dropping it stops the server.
pub struct RunningAdminIs {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningAdminIs {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}` — the office address a connection is set up with.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The API key it accepts (a demo key, not a secret).
    pub fn api_key(&self) -> &str {
        &self.shared.config.api_key
    }
    pub fn data(&self) -> AdminIsData {
        AdminIsData { shared: self.shared.clone() }
    }
    pub fn faults(&self) -> AdminIsFaults {
        AdminIsFaults { shared: self.shared.clone() }
    }
    pub fn stats(&self) -> AdminIsStatsSnapshot {
        self.stats_handle().snapshot()
    }
    pub fn stats_handle(&self) -> AdminIsStats {
        AdminIsStats { shared: self.shared.clone() }
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

impl Drop for RunningAdminIs {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
