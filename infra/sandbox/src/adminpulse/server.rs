//! Building and running the stand-in: `AdminPulseSandbox::new(config).start(addr)`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::AdminPulseConfig;
use super::handles::{AdminPulseData, AdminPulseFaults, AdminPulseStats};
use super::routes;
use super::state::Shared;
use super::stats::AdminPulseStatsSnapshot;
use crate::bearer::BearerAuthority;
use crate::error::SandboxError;
use crate::oauth::OAuthServer;
use crate::state::write;

/// An AdminPulse stand-in, data generated, not yet listening.
pub struct AdminPulseSandbox {
    shared: Arc<Shared>,
    extra: Vec<axum::Router>,
    oauth: Option<OAuthServer>,
}

impl AdminPulseSandbox {
    /// Generates the relations (deterministic for the seed). With `config.oauth`, a generic OAuth
    /// stand-in with its default configuration is wired in (see [`Self::with_oauth`]).
    pub fn new(config: AdminPulseConfig) -> Self {
        let oauth = config.oauth.then(OAuthServer::default);
        let sandbox = Self { shared: Arc::new(Shared::new(config)), extra: Vec::new(), oauth: None };
        match oauth {
            Some(server) => sandbox.with_oauth(server),
            None => sandbox,
        }
    }

    /// Sign in with AdminPulse: `server`'s access tokens are accepted as bearers and its
    /// `/oauth/authorize` and `/oauth/token` are served on this stand-in's address.
    pub fn with_oauth(mut self, server: OAuthServer) -> Self {
        self = self.with_authority(Arc::new(server.clone())).merge(server.router());
        self.oauth = Some(server);
        self
    }

    /// The wired-in OAuth stand-in, if any.
    pub fn oauth(&self) -> Option<OAuthServer> {
        self.oauth.clone()
    }

    /// Also accept the bearers `authority` vouches for (e.g. an OAuth stand-in's access tokens).
    pub fn with_authority(self, authority: Arc<dyn BearerAuthority>) -> Self {
        write(&self.shared.authorities).push(authority);
        self
    }

    /// Also serve `router` on the same address (e.g. an OAuth stand-in's `/oauth/…`). Its paths
    /// must not overlap this stand-in's (`/relations`, `/_admin`, `/__admin`).
    pub fn merge(mut self, router: axum::Router) -> Self {
        self.extra.push(router);
        self
    }

    /// The router (with the merged ones), to serve it yourself.
    pub fn router(&self) -> axum::Router {
        self.extra.iter().cloned().fold(routes::router(self.shared.clone()), axum::Router::merge)
    }

    pub fn data(&self) -> AdminPulseData {
        AdminPulseData { shared: self.shared.clone() }
    }

    pub fn faults(&self) -> AdminPulseFaults {
        AdminPulseFaults { shared: self.shared.clone() }
    }

    /// Listens on `addr` (`"127.0.0.1:9403"`, a `SocketAddr`, port 0 for a free one).
    pub async fn start<A>(self, addr: A) -> Result<RunningAdminPulse, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } =
            crate::listen::serve(addr, self.router(), "adminpulse").await?;
        tracing::info!(%addr, "AdminPulse sandbox listening");
        Ok(RunningAdminPulse { addr, shared: self.shared, oauth: self.oauth, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningAdminPulse, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

/// A listening stand-in. Dropping it stops the server.
pub struct RunningAdminPulse {
    addr: SocketAddr,
    shared: Arc<Shared>,
    oauth: Option<OAuthServer>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningAdminPulse {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}` — what the connector calls its base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The first configured API key (a demo value, not a secret), if any.
    pub fn api_key(&self) -> Option<&str> {
        self.shared.config.api_keys.first().map(String::as_str)
    }
    /// The wired-in OAuth stand-in (its handles: `issue_tokens`, `expire_access_tokens`, …), if any.
    pub fn oauth(&self) -> Option<OAuthServer> {
        self.oauth.clone()
    }
    /// `{base}/oauth/authorize` and `{base}/oauth/token` when OAuth is wired in.
    pub fn oauth_urls(&self) -> Option<(String, String)> {
        use crate::oauth::{AUTHORIZE_PATH, TOKEN_PATH};
        let base = self.base_url();
        self.oauth.as_ref().map(|_| (format!("{base}{AUTHORIZE_PATH}"), format!("{base}{TOKEN_PATH}")))
    }
    /// Also accept the bearers `authority` vouches for, from now on.
    pub fn add_authority(&self, authority: Arc<dyn BearerAuthority>) {
        write(&self.shared.authorities).push(authority);
    }
    pub fn data(&self) -> AdminPulseData {
        AdminPulseData { shared: self.shared.clone() }
    }
    pub fn faults(&self) -> AdminPulseFaults {
        AdminPulseFaults { shared: self.shared.clone() }
    }
    pub fn stats(&self) -> AdminPulseStatsSnapshot {
        self.stats_handle().snapshot()
    }
    /// A handle to read the counts later, e.g. from another task.
    pub fn stats_handle(&self) -> AdminPulseStats {
        AdminPulseStats { shared: self.shared.clone() }
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

impl Drop for RunningAdminPulse {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
