//! Building and running the stand-in: `BrokercloudSandbox::new(config).start(addr)`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::BrokercloudConfig;
use super::handles::{BrokercloudData, BrokercloudFaults, BrokercloudStats};
use super::routes;
use super::state::Shared;
use crate::bearer::BearerAuthority;
use crate::error::SandboxError;
use crate::fid_manager::stats::PushStatsSnapshot;
use crate::oauth::{OAuthServer, OAuthServerConfig};
use crate::state::write;

/// Brokercloud's OAuth paths [C], served by the wired-in OAuth stand-in.
pub const AUTHORIZE_PATH: &str = "/oauth/v2/auth";
pub const TOKEN_PATH: &str = "/oauth/v2/token";

/// A Brokercloud stand-in, data generated, not yet listening.
pub struct BrokercloudSandbox {
    shared: Arc<Shared>,
    extra: Vec<axum::Router>,
    oauth: Option<OAuthServer>,
}

impl BrokercloudSandbox {
    /// Generates the parties (deterministic for the seed). With `config.oauth`, the generic OAuth
    /// stand-in with Brokercloud's paths is wired in (see [`Self::with_oauth`]).
    pub fn new(config: BrokercloudConfig) -> Self {
        let oauth = config.oauth.then(|| OAuthServer::new(OAuthServerConfig::brokercloud()));
        let sandbox = Self { shared: Arc::new(Shared::new(config)), extra: Vec::new(), oauth: None };
        match oauth {
            Some(server) => sandbox.with_oauth(server),
            None => sandbox,
        }
    }

    /// Sign in with Brokercloud: `server`'s access tokens are accepted as bearers and its router
    /// (`/oauth/v2/auth`, `/oauth/v2/token` with `OAuthServerConfig::brokercloud()`, and the
    /// generic `/oauth/authorize`, `/oauth/token`) is served on this stand-in's address.
    pub fn with_oauth(mut self, server: OAuthServer) -> Self {
        self = self.with_authority(Arc::new(server.clone())).merge(server.router());
        self.oauth = Some(server);
        self
    }

    /// Also accept the bearers `authority` vouches for.
    pub fn with_authority(self, authority: Arc<dyn BearerAuthority>) -> Self {
        write(&self.shared.authorities).push(authority);
        self
    }

    /// Also serve `router` on the same address; its paths must not overlap `/api/v2`, `/_admin`.
    pub fn merge(mut self, router: axum::Router) -> Self {
        self.extra.push(router);
        self
    }

    /// The router (with the merged ones), to serve it yourself.
    pub fn router(&self) -> axum::Router {
        self.extra.iter().cloned().fold(routes::router(self.shared.clone()), axum::Router::merge)
    }

    pub fn data(&self) -> BrokercloudData {
        BrokercloudData { shared: self.shared.clone() }
    }

    pub fn faults(&self) -> BrokercloudFaults {
        BrokercloudFaults { shared: self.shared.clone() }
    }

    /// Listens on `addr` (`"127.0.0.1:9404"`, a `SocketAddr`, port 0 for a free one).
    pub async fn start<A>(self, addr: A) -> Result<RunningBrokercloud, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } =
            crate::listen::serve(addr, self.router(), "brokercloud").await?;
        tracing::info!(%addr, "Brokercloud sandbox listening");
        Ok(RunningBrokercloud { addr, shared: self.shared, oauth: self.oauth, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningBrokercloud, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

/// A listening stand-in. Dropping it stops the server.
pub struct RunningBrokercloud {
    addr: SocketAddr,
    shared: Arc<Shared>,
    oauth: Option<OAuthServer>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningBrokercloud {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}` — what `BrokercloudMeetings::with_defaults` takes.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The first configured static access token (a demo value, not a secret), if any.
    pub fn access_token(&self) -> Option<&str> {
        self.shared.config.access_tokens.first().map(String::as_str)
    }
    /// The wired-in OAuth stand-in (`issue_tokens`, `expire_access_tokens`, …), if any.
    pub fn oauth(&self) -> Option<OAuthServer> {
        self.oauth.clone()
    }
    /// `{base}/oauth/v2/auth` and `{base}/oauth/v2/token` when OAuth is wired in.
    pub fn oauth_urls(&self) -> Option<(String, String)> {
        let base = self.base_url();
        self.oauth.as_ref().map(|_| (format!("{base}{AUTHORIZE_PATH}"), format!("{base}{TOKEN_PATH}")))
    }
    pub fn data(&self) -> BrokercloudData {
        BrokercloudData { shared: self.shared.clone() }
    }
    pub fn faults(&self) -> BrokercloudFaults {
        BrokercloudFaults { shared: self.shared.clone() }
    }
    pub fn stats(&self) -> PushStatsSnapshot {
        self.stats_handle().snapshot()
    }
    /// A handle to read the counts later, e.g. from another task.
    pub fn stats_handle(&self) -> BrokercloudStats {
        BrokercloudStats { shared: self.shared.clone() }
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

impl Drop for RunningBrokercloud {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
