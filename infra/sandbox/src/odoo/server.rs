//! Building and running the stand-in: `OdooSandbox::new(config).start(addr)`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::OdooConfig;
use super::handles::{OdooData, OdooFaults, OdooStats};
use super::routes;
use super::state::Shared;
use super::stats::OdooStatsSnapshot;
use crate::error::SandboxError;
use crate::state::lock;

/// An Odoo stand-in, data generated, not yet listening.
pub struct OdooSandbox {
    shared: Arc<Shared>,
}

impl OdooSandbox {
    /// Generates each database's contacts and meetings (deterministic for the seed).
    pub fn new(config: OdooConfig) -> Self {
        Self { shared: Arc::new(Shared::new(config)) }
    }

    /// The router, to serve it yourself.
    pub fn router(&self) -> axum::Router {
        routes::router(self.shared.clone())
    }

    pub fn data(&self) -> OdooData {
        OdooData { shared: self.shared.clone(), database: self.shared.first_database() }
    }

    pub fn faults(&self) -> OdooFaults {
        OdooFaults { shared: self.shared.clone() }
    }

    /// Listens on `addr` (`"127.0.0.1:9405"`, a `SocketAddr`, port 0 for a free one).
    pub async fn start<A>(self, addr: A) -> Result<RunningOdoo, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } = crate::listen::serve(addr, self.router(), "odoo").await?;
        tracing::info!(%addr, "Odoo sandbox listening");
        Ok(RunningOdoo { addr, shared: self.shared, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningOdoo, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

/// A listening stand-in. Dropping it stops the server.
pub struct RunningOdoo {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningOdoo {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}` — a connection's `server_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The first configured database.
    pub fn database(&self) -> String {
        self.shared.first_database()
    }
    /// The first configured API key (a demo value, not a secret), if any.
    pub fn api_key(&self) -> Option<String> {
        lock(&self.shared.keys).first().map(|k| k.api_key.clone())
    }
    pub fn data(&self) -> OdooData {
        OdooData { shared: self.shared.clone(), database: self.shared.first_database() }
    }
    pub fn faults(&self) -> OdooFaults {
        OdooFaults { shared: self.shared.clone() }
    }
    pub fn stats(&self) -> OdooStatsSnapshot {
        self.stats_handle().snapshot()
    }
    /// A handle to read the counts later, e.g. from another task.
    pub fn stats_handle(&self) -> OdooStats {
        OdooStats { shared: self.shared.clone() }
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

impl Drop for RunningOdoo {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
